import type { Db } from '../db/open'
import { writeTransaction } from '../db/write'
import { DEFAULT_THRESHOLDS, type AsOfMode, type Settings, type Thresholds } from '../../shared/detection'

/** A value kept in `settings` as JSON; `fallback` when absent. */
export const readSetting = <T>(db: Db, key: string, fallback: T): T => {
  const row = db.sqlite.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined
  return row ? (JSON.parse(row.value) as T) : fallback
}

export const writeSetting = (db: Db, key: string, value: unknown): void => {
  db.sqlite
    .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    .run(key, JSON.stringify(value))
}

export function getSettings(db: Db): Settings {
  return {
    thresholds: { ...DEFAULT_THRESHOLDS, ...readSetting<Partial<Thresholds>>(db, 'thresholds', {}) },
    as_of_mode: readSetting<AsOfMode>(db, 'as_of_mode', 'data'),
    as_of_date: readSetting<string | null>(db, 'as_of_date', null),
  }
}

export function updateSettings(
  db: Db,
  change: { thresholds?: Partial<Thresholds>; as_of_mode?: AsOfMode; as_of_date?: string | null },
): Settings {
  const current = getSettings(db)
  writeTransaction(db, () => {
    if (change.thresholds) writeSetting(db, 'thresholds', { ...current.thresholds, ...change.thresholds })
    if (change.as_of_mode) writeSetting(db, 'as_of_mode', change.as_of_mode)
    if (change.as_of_date !== undefined) writeSetting(db, 'as_of_date', change.as_of_date)
  })
  return getSettings(db)
}

/** Today's calendar date where the app runs (follow-up dates are calendar dates, not data dates). */
export const today = (): string => {
  const now = new Date()
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
}

/**
 * SPEC §3.1: the as-of date. An explicit date wins; otherwise the settings' mode: the latest
 * `inserted_at` date among live SIPs (the data snapshot), today, or a chosen date.
 */
export function resolveAsOf(db: Db, explicit?: string): string {
  if (explicit) return explicit
  const settings = getSettings(db)
  if (settings.as_of_mode === 'today') return today()
  if (settings.as_of_mode === 'date' && settings.as_of_date) return settings.as_of_date
  // Walks the inserted_at index from the newest end instead of scanning every SIP.
  const row = db.sqlite
    .prepare(
      'SELECT substr(inserted_at, 1, 10) AS d FROM sips WHERE inserted_at IS NOT NULL AND coalesce(deleted, 0) = 0 ORDER BY inserted_at DESC LIMIT 1',
    )
    .get() as { d: string } | undefined
  return row?.d ?? today()
}
