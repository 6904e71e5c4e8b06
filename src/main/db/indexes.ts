import type Database from 'better-sqlite3'

/**
 * Filling an empty table is faster without its secondary indexes, built once at the end: drops
 * them when `table` is empty and returns what recreates them. Call it inside the transaction that
 * fills the table, so a rollback restores the indexes too.
 */
export function deferIndexesOfEmptyTable(sqlite: Database.Database, table: string): () => void {
  if (sqlite.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get()) return () => {}
  const indexes = sqlite
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
    .all(table) as { name: string; sql: string }[]
  for (const index of indexes) sqlite.exec(`DROP INDEX "${index.name}"`)
  return () => {
    for (const index of indexes) sqlite.exec(index.sql)
  }
}
