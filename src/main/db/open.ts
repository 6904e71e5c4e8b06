import fs from 'node:fs'
import path from 'node:path'
import { isMainThread } from 'node:worker_threads'
import Database, { SqliteError } from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import * as schema from './schema'
import { AppError } from '../../shared/errors'
import { privateTempFolder, sweepDeadFolders, sweepDeadPartials } from '../tempFolders'

export type Orm = BetterSQLite3Database<typeof schema>

/** A prepared statement a read may use: its rows, never `run`. */
export type ReadStatement = Omit<Database.Statement<unknown[], unknown>, 'run'>

/**
 * The connection as a read sees it: statements to read from, pragmas to inspect, transactions for
 * one consistent snapshot — no `run`, no `exec`, so a read that writes does not compile.
 */
export interface ReadConnection {
  prepare(source: string): ReadStatement
  pragma(source: string, options?: Database.PragmaOptions): unknown
  transaction<F extends (...args: never[]) => unknown>(fn: F): Database.Transaction<F>
  /** Whether a transaction is open on the connection (a read may run inside a caller's write). */
  readonly inTransaction: boolean
}

/** What reads are handed: the book to read from (typed queries through drizzle's `select`). */
export interface ReadableDb {
  readonly path: string
  readonly sqlite: ReadConnection
  readonly orm: Pick<Orm, 'select'>
  /** What `quick_check` found when the file was opened damaged (read-only, `allowDamaged`); null when sound. */
  readonly damaged: string | null
  /** Opened read-only (asked for, or the file cannot be written): it can be read, every write is refused. */
  readonly readOnly: boolean
}

/** A database handle that may write: the raw connection for hot paths, drizzle for typed queries. */
export interface Db extends ReadableDb {
  readonly sqlite: Database.Database
  readonly orm: Orm
  close(): void
}

/** Where the committed drizzle-kit migrations are: beside this module in source and in builds. */
export const defaultMigrationsFolder = (): string => {
  const candidates = [path.join(__dirname, 'migrations'), path.resolve(__dirname, '../db/migrations')]
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'meta', '_journal.json'))) ?? candidates[0]
}

const knownMigrationCount = (folder: string): number =>
  (JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length

export function applyPragmas(sqlite: Database.Database): void {
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
}

export interface OpenOptions {
  migrationsFolder?: string
  /**
   * Run `quick_check` first and refuse a damaged file. By default on the host's thread only: a
   * worker opens a database its host has already checked.
   */
  check?: boolean
  /** Open a damaged file anyway, read-only and without migrations, to copy what can still be read. */
  allowDamaged?: boolean
  /**
   * Open without writing anything (no pragmas that write, no migrations): every write is then
   * refused. By default, whenever the file is read-only (`isReadOnlyFile`).
   */
  readonly?: boolean
}

/**
 * Whether `file` is a book this process must not write: its mode gives no one write access
 * (`chmod 444`, honoured even for root), or the system refuses writes to it or to its folder
 * (another owner, a read-only mount), where SQLite keeps its journal.
 */
export function isReadOnlyFile(file: string): boolean {
  if (file === ':memory:' || !fs.existsSync(file)) return false
  if ((fs.statSync(file).mode & 0o222) === 0) return true
  try {
    fs.accessSync(file, fs.constants.W_OK)
    fs.accessSync(path.dirname(path.resolve(file)), fs.constants.W_OK)
    return false
  } catch {
    return true
  }
}

/** The one refusal of a write to a read-only book, whatever tried it (`subject`: the file, or the request). */
export const readOnlyError = (subject: string, cause?: unknown): AppError =>
  new AppError(
    'read_only',
    `${subject}: this book is read-only: it can be browsed, not changed (make the file and its folder writable to change it)`,
    {
      cause,
    },
  )

/**
 * Opens (creating if needed) the database at `file`, applies pragmas and pending migrations. Every
 * refusal happens before anything is written: a file from a newer version keeps every byte, header
 * included, whatever its journal mode.
 */
export function openDb(file: string, options: OpenOptions = {}): Db {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder()
  if (options.readonly ?? isReadOnlyFile(file)) return openReadOnly(file, migrationsFolder, options)
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  let sqlite: Database.Database
  try {
    sqlite = new Database(file)
    sqlite.pragma('busy_timeout = 5000')
  } catch (error) {
    throw new AppError('db_unavailable', `${file}: cannot be opened as a database (${(error as Error).message})`)
  }
  try {
    refuseNewerSchema(sqlite, file, migrationsFolder)
    if (options.check ?? isMainThread) {
      const damage = findDamage(sqlite)
      if (damage !== null) {
        if (!options.allowDamaged) throw new AppError('damaged', damagedMessage(file, damage))
        sqlite.close()
        sqlite = new Database(file, { readonly: true, fileMustExist: true })
        return { path: file, sqlite, orm: drizzle(sqlite, { schema }), close: () => sqlite.close(), damaged: damage, readOnly: true }
      }
    }
    applyPragmas(sqlite)
    const orm = drizzle(sqlite, { schema })
    migrate(orm, { migrationsFolder })
    // Copies of this book that a restore or a backup of a killed process left beside it.
    if (isMainThread && file !== ':memory:') sweepDeadPartials(path.dirname(path.resolve(file)), path.resolve(file))
    return { path: file, sqlite, orm, close: () => sqlite.close(), damaged: null, readOnly: false }
  } catch (error) {
    sqlite.close()
    if (error instanceof AppError) throw error
    throw new AppError('db_unavailable', `${file}: cannot be prepared (${(error as Error).message})`)
  }
}

/** Where a read-only book is copied when it cannot be read in place (a process killed meanwhile leaves it; the next open sweeps it). */
const READ_ONLY_COPIES = 'partner-dashboard-readonly-'

/**
 * Opens `file` read-only. SQLite reads a WAL book through a shared-memory file beside it; in a
 * folder nobody may write, where that file cannot be made, it reads a private copy instead
 * (taken once, removed on close). Refuses a book that would need a migration (a write).
 */
function openReadOnly(file: string, migrationsFolder: string, options: OpenOptions): Db {
  let copyDir: string | null = null
  let sqlite: Database.Database
  const open = (at: string): Database.Database => {
    const handle = new Database(at, { readonly: true, fileMustExist: true })
    handle.pragma('busy_timeout = 5000')
    handle.prepare('SELECT count(*) FROM sqlite_master').get() // reads the header (and the WAL index) now
    return handle
  }
  try {
    try {
      sqlite = open(file)
    } catch (error) {
      if (!(error instanceof SqliteError && (error.code === 'SQLITE_READONLY_DIRECTORY' || error.code === 'SQLITE_CANTOPEN'))) throw error
      sweepDeadFolders(READ_ONLY_COPIES)
      copyDir = privateTempFolder(READ_ONLY_COPIES)
      const copy = path.join(copyDir, path.basename(file))
      fs.copyFileSync(file, copy)
      if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`)
      sqlite = open(copy)
    }
  } catch (error) {
    if (copyDir) fs.rmSync(copyDir, { recursive: true, force: true })
    throw new AppError('db_unavailable', `${file}: cannot be opened as a database (${(error as Error).message})`)
  }
  const close = (): void => {
    sqlite.close()
    if (copyDir) fs.rmSync(copyDir, { recursive: true, force: true })
  }
  try {
    refuseNewerSchema(sqlite, file, migrationsFolder)
    if (appliedMigrations(sqlite) < knownMigrationCount(migrationsFolder)) {
      throw new AppError(
        'read_only',
        `${file}: this book is read-only and needs upgrading to this version (a write); make it writable and open it once, then it can be read-only again`,
      )
    }
    const damaged = (options.check ?? isMainThread) ? findDamage(sqlite) : null
    if (damaged !== null && !options.allowDamaged) throw new AppError('damaged', damagedMessage(file, damaged))
    return { path: file, sqlite, orm: drizzle(sqlite, { schema }), close, damaged, readOnly: true }
  } catch (error) {
    close()
    throw error
  }
}

const appliedMigrations = (sqlite: Database.Database): number => {
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get()
  return hasTable ? (sqlite.prepare('SELECT count(*) AS applied FROM __drizzle_migrations').get() as { applied: number }).applied : 0
}

/** What `quick_check` found wrong with the file, or null when it is sound. */
function findDamage(sqlite: Database.Database): string | null {
  try {
    const rows = sqlite.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[]
    const problems = rows.map((row) => row.quick_check).filter((line) => line !== 'ok')
    return problems.length === 0 ? null : problems.join('; ')
  } catch (error) {
    return (error as Error).message
  }
}

export const damagedMessage = (file: string, damage: string): string =>
  `${file}: database damaged — restore a backup (partner-dashboard restore <backup> --db ${file}). ` +
  `To copy what can still be read first: partner-dashboard backup <new file> --db ${file}. (${damage.slice(0, 200)})`

/** Throws when `sqlite` holds more migrations than this version ships: a newer app wrote it. */
export function refuseNewerSchema(sqlite: Database.Database, file: string, migrationsFolder = defaultMigrationsFolder()): void {
  const applied = appliedMigrations(sqlite)
  const known = knownMigrationCount(migrationsFolder)
  if (applied > known) {
    throw new AppError(
      'db_unavailable',
      `${file} was written by a newer version of Partner Dashboard (schema ${applied}, this version knows ${known}); update the app to open it.`,
    )
  }
}
