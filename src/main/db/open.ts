import fs from 'node:fs'
import path from 'node:path'
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

/** Opens (creating if needed) the database at `file`, applies pragmas and pending migrations. */
export function openDb(file: string, options: { migrationsFolder?: string; readonly?: boolean } = {}): Db {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder()
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  let sqlite: Database.Database
  try {
    sqlite = new Database(file)
    applyPragmas(sqlite)
  } catch (error) {
    throw new AppError('db_unavailable', `${file}: cannot be opened as a database (${(error as Error).message})`)
  }
  try {
    refuseNewerSchema(sqlite, file, migrationsFolder)
    const orm = drizzle(sqlite, { schema })
    migrate(orm, { migrationsFolder })
    return { path: file, sqlite, orm, close: () => sqlite.close() }
  } catch (error) {
    sqlite.close()
    if (error instanceof AppError) throw error
    throw new AppError('db_unavailable', `${file}: cannot be prepared (${(error as Error).message})`)
  }
}

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
