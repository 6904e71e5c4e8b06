import type Database from 'better-sqlite3'
import { is } from 'drizzle-orm'
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core'
import * as schema from '../db/schema'
import { contract } from '../../shared/contract'
import { AppError } from '../../shared/errors'
import { IMPORTED_DOMAINS } from '../import/records'
import { domainSql, MAX_TEXT } from '../import/valueDomain'

/**
 * What a backup must be before any of it reaches the book: only plain tables (a view or a trigger
 * in a backup could run anything when read or written), the tables and columns of the current
 * schema, and values of the types the app wrote. Each check refuses with a message naming the
 * file (as `label`), the table, the column and the value.
 */

/** The tables the app keeps, from the schema: name → columns. */
const TABLES = (Object.values(schema) as unknown[])
  .filter((value): value is SQLiteTable => is(value, SQLiteTable))
  .map((table) => getTableConfig(table))

/** Tables of derived results (see `services/derived.ts`): never taken from a backup, rebuilt after the restore. */
export const CACHE_TABLES = ['opportunities', 'opportunity_sips', 'client_stakes', 'agent_books', 'derived', 'queue_changes']
/** Settings keys that older versions used as caches (before the `derived` table). */
export const CACHE_SETTING = "key LIKE '\\_%' ESCAPE '\\'"

/** Text columns holding dates or datetimes (`YYYY-MM-DD`, then optionally `T…`). */
const isDateColumn = (name: string): boolean => /(^at|_at|_date|_month|_from|_till)$/.test(name)
/** Text columns holding a JSON array. */
const JSON_ARRAY_COLUMNS = new Set(['sips.schemes', 'sips.sip_days', 'opportunities.sip_meta_ids'])
/** Larger than any amount of money or count the app stores (₹1,000 lakh crore). */
const MAX_NUMBER = 1e15

// Raw SQL text in this module: it names the tables and columns a backup file holds, which bound values cannot.
const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`
const refuse = (label: string, reason: string): never => {
  throw new AppError('restore_refused', `${label}: ${reason}`)
}

/** Before anything else is read: only tables and indexes, and the app's own tables among them. */
export function checkObjects(sqlite: Database.Database, label: string): void {
  const objects = sqlite.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").all() as {
    type: string
    name: string
    sql: string | null
  }[]
  for (const object of objects) {
    if (object.type === 'view' || object.type === 'trigger')
      refuse(label, `holds a ${object.type} "${object.name}", which no backup of this app has`)
    if (object.type === 'table' && /^\s*CREATE\s+VIRTUAL/i.test(object.sql ?? '')) refuse(label, `holds a virtual table "${object.name}"`)
  }
  const tables = new Set(objects.filter((o) => o.type === 'table').map((o) => o.name))
  const missing = ['__drizzle_migrations', 'sips', 'clients', 'imports', 'follow_ups', 'settings'].filter((t) => !tables.has(t))
  if (missing.length > 0) refuse(label, `not a Partner Dashboard database (no ${missing.join(', ')} table)`)
}

/** After its migrations: every table of the current schema is there, as a table, with exactly our columns. */
export function checkTables(sqlite: Database.Database, label: string): void {
  checkObjects(sqlite, label)
  for (const table of TABLES) {
    const columns = (sqlite.pragma(`table_info(${quote(table.name)})`) as { name: string }[]).map((c) => c.name).sort()
    if (columns.length === 0) refuse(label, `has no ${table.name} table`)
    // Generated columns (the monthly amount) are computed by SQLite and not listed by table_info.
    const expected = table.columns
      .filter((c) => c.generated === undefined)
      .map((c) => c.name)
      .sort()
    if (columns.join() !== expected.join())
      refuse(label, `table ${table.name} has columns ${columns.join(', ')}; expected ${expected.join(', ')}`)
  }
}

/** The condition a value of `column` must meet, in SQL, true or false (never null). */
function condition(tableName: string, column: ReturnType<typeof getTableConfig>['columns'][number]): string {
  const c = quote(column.name)
  const nullable = column.notNull ? '' : `${c} IS NULL OR `
  const enumValues = (column as { enumValues?: string[] }).enumValues
  let check: string
  switch (column.columnType) {
    case 'SQLiteBoolean':
      check = `typeof(${c}) = 'integer' AND ${c} IN (0, 1)`
      break
    case 'SQLiteInteger':
      check = `typeof(${c}) = 'integer' AND abs(${c}) <= ${MAX_NUMBER}`
      break
    case 'SQLiteReal':
      check = `typeof(${c}) IN ('integer', 'real') AND abs(${c}) <= ${MAX_NUMBER}`
      break
    default: {
      check = `typeof(${c}) = 'text'`
      if (enumValues?.length) check += ` AND ${c} IN (${enumValues.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')})`
      if (isDateColumn(column.name)) {
        const date = `${c} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(substr(${c}, 1, 10)) IS substr(${c}, 1, 10) AND (length(${c}) = 10 OR substr(${c}, 11, 1) = 'T')`
        // A row without any snapshot time has '' as its snapshot (as the import writes it).
        check += column.default === '' || column.name === 'snapshot_at' ? ` AND (${c} = '' OR (${date}))` : ` AND ${date}`
      }
      if (JSON_ARRAY_COLUMNS.has(`${tableName}.${column.name}`))
        check += ` AND CASE WHEN json_valid(${c}) THEN json_type(${c}) = 'array' ELSE 0 END`
    }
  }
  return `coalesce(${nullable}(${check}), 0)`
}

/** Text typed in the app (notes, and a note's earlier and later text in the follow-up history). */
const TYPED_TEXT = new Set(['follow_ups.note', 'calls.note', 'follow_up_events.from_value', 'follow_up_events.to_value'])

/** What restore changed to bring a backup within the value domain (SPEC §8.8), for its report. */
export interface DomainRepairs {
  /** Values outside the domain, set to null ('' for a snapshot time). */
  cleared: number
  /** Texts longer than the app keeps, cut. */
  cut: number
  /** Rows whose required amount was outside the domain: an import would have rejected them. */
  dropped: number
}

/**
 * Brings the values of a backup's copy within the value domain, as an import would have stored
 * them (a backup made before revision 3 may hold what imports then let through): values outside it
 * become null, text over the app's limit is cut, a row whose required amount is outside it is left
 * out. Structure is checked before this, types after it.
 */
export function repairValues(sqlite: Database.Database): DomainRepairs {
  const repairs: DomainRepairs = { cleared: 0, cut: 0, dropped: 0 }
  const run = (sql: string): number => sqlite.prepare(sql).run().changes
  sqlite.transaction(() => {
    for (const table of TABLES) {
      if (CACHE_TABLES.includes(table.name)) continue
      const t = quote(table.name)
      for (const column of table.columns) {
        if (column.generated !== undefined) continue
        const c = quote(column.name)
        const domain = IMPORTED_DOMAINS.get(column.name)
        if (domain === 'text' || TYPED_TEXT.has(`${table.name}.${column.name}`)) {
          repairs.cut += run(
            `UPDATE ${t} SET ${c} = substr(${c}, 1, ${MAX_TEXT}) WHERE typeof(${c}) = 'text' AND length(${c}) > ${MAX_TEXT}`,
          )
        } else if (domain && column.notNull) {
          repairs.dropped += run(`DELETE FROM ${t} WHERE NOT coalesce(${domainSql(domain, c)}, 0)`)
        } else if (domain) {
          repairs.cleared += run(`UPDATE ${t} SET ${c} = NULL WHERE ${c} IS NOT NULL AND NOT coalesce(${domainSql(domain, c)}, 0)`)
        } else if (column.name === 'snapshot_at') {
          repairs.cleared += run(`UPDATE ${t} SET ${c} = '' WHERE ${c} <> '' AND NOT coalesce(${domainSql('date', c)}, 0)`)
        }
      }
    }
  })()
  return repairs
}

/** What a column should hold, for the refusal message. */
const expectation = (tableName: string, column: ReturnType<typeof getTableConfig>['columns'][number]): string =>
  column.columnType === 'SQLiteBoolean'
    ? 'true or false'
    : column.columnType === 'SQLiteInteger' || column.columnType === 'SQLiteReal'
      ? 'a number'
      : isDateColumn(column.name)
        ? 'a date'
        : JSON_ARRAY_COLUMNS.has(`${tableName}.${column.name}`)
          ? 'a list'
          : (column as { enumValues?: string[] }).enumValues?.length
            ? `one of ${(column as { enumValues?: string[] }).enumValues!.join(', ')}`
            : 'text'

const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value))

/**
 * Every value is of the type the app writes (one pass per table), and the settings are what the
 * settings screen accepts (the same zod schema). Cache tables and settings are not checked: they
 * are dropped.
 */
export function checkValues(sqlite: Database.Database, label: string): void {
  for (const table of TABLES) {
    if (CACHE_TABLES.includes(table.name)) continue
    const conditions = table.columns.map((column) => condition(table.name, column))
    const bad = sqlite.prepare(`SELECT rowid AS id FROM ${quote(table.name)} WHERE NOT (${conditions.join(' AND ')}) LIMIT 1`).get() as
      { id: number } | undefined
    if (!bad) continue
    const verdicts = sqlite
      .prepare(`SELECT ${conditions.map((c, i) => `${c} AS ok${i}`).join(', ')} FROM ${quote(table.name)} WHERE rowid = ?`)
      .get(bad.id) as Record<string, number>
    const index = table.columns.findIndex((_, i) => verdicts[`ok${i}`] !== 1)
    const column = table.columns[index]
    const value = (
      sqlite.prepare(`SELECT ${quote(column.name)} AS v FROM ${quote(table.name)} WHERE rowid = ?`).get(bad.id) as { v: unknown }
    ).v
    refuse(label, `${table.name}.${column.name} holds ${shown(value)} where the app keeps ${expectation(table.name, column)}`)
  }
  const settings = sqlite.prepare(`SELECT key, value FROM settings WHERE NOT (${CACHE_SETTING})`).all() as { key: string; value: string }[]
  const values: Record<string, unknown> = {}
  for (const { key, value } of settings) {
    try {
      values[key] = JSON.parse(value)
    } catch {
      refuse(label, `setting ${key} is not readable (${shown(value)})`)
    }
  }
  const parsed = contract['settings:update'].request.safeParse(values)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    refuse(label, `setting ${issue.path.join('.') || '(all)'} is refused: ${issue.message}`)
  }
}
