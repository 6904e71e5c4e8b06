import type Database from 'better-sqlite3'
import { getTableName } from 'drizzle-orm'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import type * as schema from './schema'
import { AppError } from '../../shared/errors'

/**
 * SQL text with its values bound, never spliced: `sql` turns every interpolated value into a `?`
 * and keeps it in `params`; a fragment interpolated into another keeps its own text and params.
 * Only `sql.raw` puts text in as it is, and only for names from a closed set (columns, directions).
 */
export class SqlFragment {
  constructor(
    readonly text: string,
    readonly params: readonly unknown[],
  ) {}
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  let text = strings[0]
  const params: unknown[] = []
  values.forEach((value, i) => {
    if (value instanceof SqlFragment) {
      text += value.text
      params.push(...value.params)
    } else {
      text += '?'
      params.push(value)
    }
    text += strings[i + 1]
  })
  return new SqlFragment(text, params)
}

/** Trusted text (a column name from a closed union, a sort direction): never user input. */
sql.raw = (text: string): SqlFragment => new SqlFragment(text, [])

/** `a, b, c` (or any separator) from fragments; an empty list gives `empty`. */
sql.join = (fragments: readonly SqlFragment[], separator: string, empty = ''): SqlFragment =>
  fragments.length === 0
    ? sql.raw(empty)
    : new SqlFragment(
        fragments.map((f) => f.text).join(separator),
        fragments.flatMap((f) => f.params),
      )

/** `(?, ?, ?)`: a list of values for `IN`. */
sql.list = (values: readonly unknown[]): SqlFragment =>
  sql.join(
    values.map((v) => sql`${v}`),
    ', ',
    'NULL',
  )

/** SPEC §3.1: a SIP is live unless `deleted` is true. The one place this rule is written, for a SIP aliased `s`. */
export const LIVE_SIP = 'coalesce(s.deleted, 0) = 0'

type Sqlite = import('./open').ReadConnection

type Columns<T extends SQLiteTable> = T['_']['columns']
/** SQLite hands a boolean column back as 0 or 1. */
type Raw<C extends Columns<SQLiteTable>[string]> = C['_']['dataType'] extends 'boolean'
  ? C['_']['notNull'] extends true
    ? number
    : number | null
  : C['_']['data'] | (C['_']['notNull'] extends true ? never : null)

/**
 * A row of `table` as raw SQL returns it (`SELECT *`): keyed by the columns' names, typed from the
 * schema (drizzle's `$inferSelect` is keyed by the schema's property names instead).
 */
export type RowOf<T extends SQLiteTable> = { [K in keyof Columns<T> as Columns<T>[K]['_']['name']]: Raw<Columns<T>[K]> }

/** The name of a table of the schema: the only table names SQL text may be built with. */
export type TableName = {
  [K in keyof typeof schema]: (typeof schema)[K] extends SQLiteTable ? (typeof schema)[K]['_']['name'] : never
}[keyof typeof schema]

/** The tables of the schema by name, for statements over a list of them (emptying, counting). */
export const tableName = (table: SQLiteTable): TableName => getTableName(table) as TableName

/** Statements by their text, per connection, the least recently used dropped first past `STATEMENTS_KEPT`. */
const statements = new WeakMap<Sqlite, Map<string, Database.Statement>>()
const STATEMENTS_KEPT = 256

/** The connection's statement for `text`, parsed once rather than at every call (SQLite prepares it again itself if the schema changes). */
function statementOf(sqlite: Sqlite, text: string): Database.Statement {
  let kept = statements.get(sqlite)
  if (!kept) statements.set(sqlite, (kept = new Map()))
  let statement = kept.get(text)
  if (statement) kept.delete(text)
  else {
    statement = sqlite.prepare(text) as Database.Statement
    if (kept.size >= STATEMENTS_KEPT) kept.delete(kept.keys().next().value!)
  }
  kept.set(text, statement)
  return statement
}

/** Every row of a bound query. */
export const allRows = <T>(sqlite: Sqlite, query: SqlFragment): T[] => statementOf(sqlite, query.text).all(...query.params) as T[]

/** Runs a bound statement that changes the book (only a writable handle's connection can). */
export const runSql = (sqlite: Database.Database, query: SqlFragment): Database.RunResult =>
  statementOf(sqlite, query.text).run(...query.params)

/** The first row of a bound query, or undefined. */
export const oneRow = <T>(sqlite: Sqlite, query: SqlFragment): T | undefined =>
  statementOf(sqlite, query.text).get(...query.params) as T | undefined

/** A statement of `prepared` for one row: what a read may do with it, and a write too. */
interface PreparedRead<A extends unknown[]> {
  oneRow<T>(...values: A): T | undefined
}
interface PreparedWrite<A extends unknown[]> extends PreparedRead<A> {
  run(...values: A): Database.RunResult
}

/**
 * A bound statement for a loop, prepared once: `query` writes it for one row's values, which may
 * only be bound (its text must be the same for every row). A read's connection gets no `run`.
 */
export function prepared<A extends unknown[]>(sqlite: Database.Database, query: (...values: A) => SqlFragment): PreparedWrite<A>
export function prepared<A extends unknown[]>(sqlite: Sqlite, query: (...values: A) => SqlFragment): PreparedRead<A>
export function prepared<A extends unknown[]>(sqlite: Sqlite, query: (...values: A) => SqlFragment): PreparedWrite<A> {
  let statement: { text: string; prepared: Database.Statement } | undefined
  const bind = (values: A): [Database.Statement, readonly unknown[]] => {
    const { text, params } = query(...values)
    statement ??= { text, prepared: statementOf(sqlite, text) }
    if (text !== statement.text) throw new AppError('internal', `a prepared statement's text changed with its values: ${text}`)
    return [statement.prepared, params]
  }
  return {
    oneRow: <T>(...values: A) => {
      const [s, params] = bind(values)
      return s.get(...params) as T | undefined
    },
    run: (...values: A) => {
      const [s, params] = bind(values)
      return s.run(...params)
    },
  }
}
