/**
 * Saved column mappings (SPEC §2.5): one per set of column names, saved when the advisor gives one
 * (the app's mapping dialog, `import --map`), applied by itself the next time the same columns come.
 */
import type Database from 'better-sqlite3'
import type { Db, ReadableDb, ReadConnection } from '../db/open'
import { allRows, runSql, sql } from '../db/sql'
import { AppError } from '../../shared/errors'
import type { SavedMapping as ListedMapping } from '../../shared/types'
import { columnsKey, mappingProblem, type ColumnMapping, type SavedMapping } from './columns'

interface Row {
  columns_key: string
  columns: string
  mapping: string
  saved_at: string
}

const rowsOf = (sqlite: ReadConnection): Row[] =>
  allRows<Row>(sqlite, sql`SELECT columns_key, columns, mapping, saved_at FROM column_mappings ORDER BY saved_at DESC`)

/** The saved mappings as the parser applies them. */
export const savedMappings = (sqlite: Database.Database): SavedMapping[] =>
  rowsOf(sqlite).map((row) => ({ columnsKey: row.columns_key, mapping: JSON.parse(row.mapping) as ColumnMapping, savedAt: row.saved_at }))

/** Saves (or replaces) the mapping for these columns, inside the caller's transaction. */
export function saveMapping(sqlite: Database.Database, columns: readonly string[], mapping: ColumnMapping, savedAt: string): void {
  runSql(
    sqlite,
    sql`INSERT INTO column_mappings (columns_key, columns, mapping, saved_at)
        VALUES (${columnsKey(columns)}, ${JSON.stringify(columns)}, ${JSON.stringify(mapping)}, ${savedAt})
        ON CONFLICT (columns_key) DO UPDATE SET columns = excluded.columns, mapping = excluded.mapping, saved_at = excluded.saved_at`,
  )
}

/** Settings' list of saved mappings, newest first. */
export const listMappings = (db: ReadableDb): ListedMapping[] =>
  rowsOf(db.sqlite).map((row) => ({
    columns_key: row.columns_key,
    columns: JSON.parse(row.columns) as string[],
    mapping: JSON.parse(row.mapping) as Record<string, string>,
    saved_at: row.saved_at,
  }))

/** The mapping the dialog chose for a file with these columns, saved once it reads the file (else refused saying why). */
export function saveChosenMapping(db: Db, request: { columns: string[]; mapping: Record<string, string> }): ListedMapping {
  const problem = mappingProblem(request.columns, request.mapping)
  if (problem) throw new AppError('invalid_request', `this mapping cannot read the file: ${problem}`)
  const savedAt = new Date().toISOString()
  saveMapping(db.sqlite, request.columns, request.mapping, savedAt)
  return { columns_key: columnsKey(request.columns), columns: request.columns, mapping: request.mapping, saved_at: savedAt }
}

export function deleteMapping(db: Db, key: string): { deleted: boolean } {
  return { deleted: runSql(db.sqlite, sql`DELETE FROM column_mappings WHERE columns_key = ${key}`).changes > 0 }
}
