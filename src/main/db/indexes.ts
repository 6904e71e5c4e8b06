import type Database from 'better-sqlite3'
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core'
import { Column } from 'drizzle-orm'
import type { ReadConnection } from './open'

/**
 * Filling an empty table is faster without its secondary indexes, built once at the end: drops
 * them when `table` is empty and returns what recreates them, except those named in `leaveOut`
 * (built later, see `createDeclaredIndex`). Call it inside the transaction that fills the table,
 * so a rollback restores the indexes too.
 */
export function deferIndexesOfEmptyTable(sqlite: Database.Database, table: string, leaveOut: readonly string[] = []): () => void {
  if (sqlite.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get()) return () => {}
  const indexes = sqlite
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
    .all(table) as { name: string; sql: string }[]
  for (const index of indexes) sqlite.exec(`DROP INDEX "${index.name}"`)
  return () => {
    for (const index of indexes) if (!leaveOut.includes(index.name)) sqlite.exec(index.sql)
  }
}

/** Those of `names`, indexes the schema declares on `table` over plain columns, that the book lacks. */
export function missingIndexes(sqlite: ReadConnection, table: SQLiteTable, names: readonly string[]): string[] {
  const present = new Set(
    (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?").all(getTableConfig(table).name) as { name: string }[]).map(
      (index) => index.name,
    ),
  )
  return names.filter((name) => !present.has(name))
}

/** Creates the index `name` as the schema declares it on `table` (plain columns only), unless the book has it. */
export function createDeclaredIndex(sqlite: Database.Database, table: SQLiteTable, name: string): void {
  const config = getTableConfig(table)
  const index = config.indexes.find((i) => i.config.name === name)
  if (!index) throw new Error(`${config.name} declares no index ${name}`)
  const columns = index.config.columns.map((column) => {
    if (!(column instanceof Column)) throw new Error(`${name}: only indexes over plain columns are created here`)
    return `\`${column.name}\``
  })
  const unique = index.config.unique ? 'UNIQUE ' : ''
  sqlite.exec(`CREATE ${unique}INDEX IF NOT EXISTS \`${name}\` ON \`${config.name}\` (${columns.join(',')})`)
}
