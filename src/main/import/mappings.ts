/**
 * Saved column mappings (SPEC §2.5): one per set of column names, saved when an import reads a
 * file by a mapping the advisor gave, applied by itself the next time the same columns come.
 */
import type Database from 'better-sqlite3'
import { columnsKey, type ColumnMapping, type SavedMapping } from './columns'

interface Row {
  columns_key: string
  columns: string
  mapping: string
  saved_at: string
}

export interface ListedMapping extends SavedMapping {
  columns: string[]
}

export function savedMappings(sqlite: Database.Database): ListedMapping[] {
  const rows = sqlite.prepare('SELECT columns_key, columns, mapping, saved_at FROM column_mappings ORDER BY saved_at DESC').all() as Row[]
  return rows.map((row) => ({
    columnsKey: row.columns_key,
    columns: JSON.parse(row.columns) as string[],
    mapping: JSON.parse(row.mapping) as ColumnMapping,
    savedAt: row.saved_at,
  }))
}

/** Saves (or replaces) the mapping for these columns, inside the caller's transaction. */
export function saveMapping(sqlite: Database.Database, columns: readonly string[], mapping: ColumnMapping, savedAt: string): void {
  sqlite
    .prepare(
      `INSERT INTO column_mappings (columns_key, columns, mapping, saved_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (columns_key) DO UPDATE SET columns = excluded.columns, mapping = excluded.mapping, saved_at = excluded.saved_at`,
    )
    .run(columnsKey(columns), JSON.stringify(columns), JSON.stringify(mapping), savedAt)
}

/** "7 Dec 2026": the day a mapping was saved, in the computer's local date. */
export const savedOn = (iso: string): string =>
  new Date(iso).toLocaleDateString('en-IN', { day: 'numeric', month: 'short', year: 'numeric' }).replace('Sept', 'Sep')
