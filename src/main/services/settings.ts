import { z } from 'zod'
import type { Db, ReadableDb } from '../db/open'
import { writeTransaction } from '../db/write'
import { advisorProfile, thresholdsSchema, type RequestOf } from '../../shared/contract'
import { queueSettings } from '../../shared/answers'
import { DEFAULT_QUEUE_SETTINGS, DEFAULT_THRESHOLDS, EMPTY_ADVISOR, type Settings } from '../../shared/detection'
import { DEFAULT_TEMPLATES, formatArn, formatEuin, LANGUAGES, type Language } from '../../shared/messages'
import type { OpportunityType } from '../../shared/detection'
import { allRows, LIVE_SIP, oneRow, runSql, sql } from '../db/sql'
import { localToday } from '../../shared/format'
import { AppError } from '../../shared/errors'

/**
 * Each setting's schema: a stored value that does not match (an edited or damaged database) is
 * read as if absent, so one bad value can never break every screen.
 */
const SCHEMAS = {
  thresholds: thresholdsSchema.partial(),
  queue: queueSettings.partial(),
  as_of_mode: z.enum(['data', 'today', 'date']),
  as_of_date: z.string().nullable(),
  advisor: advisorProfile.partial(),
  templates: z.record(z.string(), z.string()),
  last_backup_at: z.string().nullable(),
  // A `_` key: never taken from a backup, so a restored book does not claim its backup's own restore.
  _restored_from: z.object({ file: z.string(), backup_made_at: z.string() }),
} as const
type Key = keyof typeof SCHEMAS

/** Every setting's stored text, read in one statement. */
type Stored = ReadonlyMap<string, string>
const stored = (db: ReadableDb): Stored =>
  new Map(
    allRows<{ key: string; value: string }>(
      db.sqlite,
      sql`SELECT key, value FROM settings WHERE key IN (${sql.list(Object.keys(SCHEMAS))})`,
    ).map((row) => [row.key, row.value]),
  )

function read<K extends Key>(values: Stored, key: K): z.infer<(typeof SCHEMAS)[K]> | undefined {
  const value = values.get(key)
  if (value === undefined) return undefined
  try {
    const parsed = SCHEMAS[key].safeParse(JSON.parse(value))
    return parsed.success ? (parsed.data as z.infer<(typeof SCHEMAS)[K]>) : undefined
  } catch {
    return undefined
  }
}

const write = (db: Db, key: Key, value: unknown): void => {
  runSql(
    db.sqlite,
    sql`INSERT INTO settings (key, value) VALUES (${key}, ${JSON.stringify(value)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  )
}

export function getSettings(db: ReadableDb): Settings {
  const values = stored(db)
  return {
    thresholds: { ...DEFAULT_THRESHOLDS, ...read(values, 'thresholds') },
    queue: { ...DEFAULT_QUEUE_SETTINGS, ...read(values, 'queue') },
    as_of_mode: read(values, 'as_of_mode') ?? 'data',
    as_of_date: read(values, 'as_of_date') ?? null,
    advisor: { ...EMPTY_ADVISOR, ...normaliseAdvisor(read(values, 'advisor') ?? {}) },
    templates: savedTemplates(values),
    last_backup_at: read(values, 'last_backup_at') ?? null,
    restored_from: read(values, '_restored_from') ?? null,
  }
}

export type SettingsChange = RequestOf<'settings:update'>

/**
 * Saved templates are stored as `type.lang` → text; a key without a language (saved before Hindi
 * came) is the English one.
 */
const templateKey = (type: string, lang: Language): string => (lang === 'en' ? type : `${type}.${lang}`)

function savedTemplates(values: Stored): Settings['templates'] {
  const saved = read(values, 'templates') ?? {}
  const of = (lang: Language) =>
    Object.fromEntries(
      Object.entries(DEFAULT_TEMPLATES[lang]).map(([type, text]) => [type, saved[templateKey(type, lang)] ?? text]),
    ) as Record<OpportunityType, string>
  return Object.fromEntries(LANGUAGES.map((lang) => [lang, of(lang)])) as Settings['templates']
}

/** SPEC §5: the ARN and EUIN as they print (`ARN-123456`, `E123456`), whichever way they were typed. */
function normaliseAdvisor(advisor: NonNullable<SettingsChange['advisor']>): NonNullable<SettingsChange['advisor']> {
  return {
    ...advisor,
    ...(advisor.arn && { arn: formatArn(advisor.arn) }),
    ...(advisor.euin && { euin: formatEuin(advisor.euin) }),
  }
}

/** Applies a validated change in one transaction; a template equal to the default is stored as absent. */
export function updateSettings(db: Db, change: SettingsChange): Settings {
  writeTransaction(db, () => {
    const current = getSettings(db)
    // Date mode judges as of the chosen date: without one it would quietly judge as of the data's date.
    const asOfDate = change.as_of_date !== undefined ? change.as_of_date : current.as_of_date
    if ((change.as_of_mode ?? current.as_of_mode) === 'date' && !asOfDate) {
      throw new AppError(
        'invalid_request',
        change.as_of_mode
          ? 'as_of_mode date needs a date: set as_of_date first'
          : 'as_of_date is in use (as_of_mode date): set another date, or another as_of_mode first',
      )
    }
    if (change.thresholds) write(db, 'thresholds', { ...current.thresholds, ...change.thresholds })
    if (change.queue) write(db, 'queue', { ...current.queue, ...change.queue })
    if (change.as_of_mode) write(db, 'as_of_mode', change.as_of_mode)
    if (change.as_of_date !== undefined) write(db, 'as_of_date', change.as_of_date)
    if (change.advisor) write(db, 'advisor', { ...current.advisor, ...normaliseAdvisor(change.advisor) })
    if (change.templates) {
      const templates: Record<string, string> = { ...read(stored(db), 'templates') }
      for (const [lang, texts] of Object.entries(change.templates) as [Language, Partial<Record<OpportunityType, string>>][]) {
        for (const [type, text] of Object.entries(texts) as [OpportunityType, string][]) {
          if (text === DEFAULT_TEMPLATES[lang][type]) delete templates[templateKey(type, lang)]
          else templates[templateKey(type, lang)] = text
        }
      }
      write(db, 'templates', templates)
    }
  })
  return getSettings(db)
}

/** Remembers when a backup was last made (shown in Settings). */
export const recordBackup = (db: Db, at = new Date().toISOString()): void => write(db, 'last_backup_at', at)

/** Remembers which backup the book was restored from, and when that backup was made (shown in Settings). */
export const recordRestore = (db: Db, file: string, backupMadeAt: string): void =>
  write(db, '_restored_from', { file, backup_made_at: backupMadeAt })

/**
 * SPEC §3.1: the as-of date. An explicit date wins; otherwise the settings' mode: the latest
 * `inserted_at` date among live SIPs (the data snapshot), today, or a chosen date.
 */
export function resolveAsOf(db: ReadableDb, explicit?: string): string {
  if (explicit) return explicit
  const settings = getSettings(db)
  if (settings.as_of_mode === 'today') return localToday()
  if (settings.as_of_mode === 'date' && settings.as_of_date) return settings.as_of_date
  return dataAsOf(db) ?? localToday()
}

/** The data's own date: the latest `inserted_at` among live SIPs; null for an empty book. */
export function dataAsOf(db: ReadableDb): string | null {
  // Walks the inserted_at index from the newest end instead of scanning every SIP.
  const row = oneRow<{ d: string }>(
    db.sqlite,
    sql`SELECT substr(s.inserted_at, 1, 10) AS d FROM sips s WHERE s.inserted_at IS NOT NULL AND ${sql.raw(LIVE_SIP)} ORDER BY s.inserted_at DESC LIMIT 1`,
  )
  return row?.d ?? null
}
