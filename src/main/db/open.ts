import fs from 'node:fs'
import path from 'node:path'
import { isMainThread } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import * as schema from './schema'
import { AppError } from '../../shared/errors'

export type Orm = BetterSQLite3Database<typeof schema>

/** A database handle: the raw connection for hot paths, drizzle for typed queries. */
export interface Db {
  readonly path: string
  readonly sqlite: Database.Database
  readonly orm: Orm
  close(): void
  /** What `quick_check` found when the file was opened damaged (read-only, `allowDamaged`); null when sound. */
  readonly damaged: string | null
  /** Opened read-only (asked for, or the file cannot be written): it can be read, every write is refused. */
  readonly readOnly: boolean
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
}

/**
 * Opens (creating if needed) the database at `file`, applies pragmas and pending migrations. Every
 * refusal happens before anything is written: a file from a newer version keeps every byte, header
 * included, whatever its journal mode.
 */
export function openDb(file: string, options: OpenOptions = {}): Db {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder()
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
    return { path: file, sqlite, orm, close: () => sqlite.close(), damaged: null, readOnly: false }
  } catch (error) {
    sqlite.close()
    if (error instanceof AppError) throw error
    throw new AppError('db_unavailable', `${file}: cannot be prepared (${(error as Error).message})`)
  }
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
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get()
  if (!hasTable) return
  const { applied } = sqlite.prepare('SELECT count(*) AS applied FROM __drizzle_migrations').get() as {
    applied: number
  }
  const known = knownMigrationCount(migrationsFolder)
  if (applied > known) {
    throw new AppError(
      'db_unavailable',
      `${file} was written by a newer version of Partner Dashboard (schema ${applied}, this version knows ${known}); update the app to open it.`,
    )
  }
}
