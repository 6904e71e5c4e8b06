import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { DatabaseOpenError, openDb, refuseNewerSchema, type Db } from '../db/open'

const REQUIRED_TABLES = ['__drizzle_migrations', 'sips', 'clients', 'imports', 'follow_ups', 'settings']

/** An online, consistent copy of the database at `target` (`VACUUM INTO`); refuses to overwrite. */
export function backupDatabase(db: Db, target: string): { path: string; bytes: number } {
  const resolved = path.resolve(target)
  if (fs.existsSync(resolved)) throw new DatabaseOpenError(`${target}: already exists; choose a new file name for the backup`)
  fs.mkdirSync(path.dirname(resolved), { recursive: true })
  db.sqlite.prepare('VACUUM INTO ?').run(resolved)
  return { path: resolved, bytes: fs.statSync(resolved).size }
}

/** Checks that `file` is a Partner Dashboard database this version can open, without changing it. */
export function checkBackup(file: string): void {
  let candidate: Database.Database
  try {
    candidate = new Database(file, { readonly: true, fileMustExist: true })
  } catch {
    throw new DatabaseOpenError(`${file}: not found or not readable`)
  }
  try {
    const tables = new Set(
      (candidate.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name),
    )
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t))
    if (missing.length > 0) throw new DatabaseOpenError(`${file}: not a Partner Dashboard database (no ${missing.join(', ')} table)`)
    if (candidate.pragma('integrity_check', { simple: true }) !== 'ok') throw new DatabaseOpenError(`${file}: the database is damaged`)
    refuseNewerSchema(candidate, file)
  } catch (error) {
    if (error instanceof DatabaseOpenError) throw error
    throw new DatabaseOpenError(`${file}: not a Partner Dashboard database (${(error as Error).message})`)
  } finally {
    candidate.close()
  }
}

/**
 * Replaces the database at `dbPath` with the backup at `source`, after checking it, and keeps the
 * current database aside (returned as `keptAs`). The database must not be open elsewhere.
 */
export function restoreDatabase(dbPath: string, source: string): { keptAs: string | null } {
  checkBackup(source)
  let keptAs: string | null = null
  if (fs.existsSync(dbPath)) {
    const current = openDb(dbPath)
    keptAs = `${dbPath}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
    try {
      backupDatabase(current, keptAs)
    } finally {
      current.close()
    }
  }
  for (const leftover of [`${dbPath}-wal`, `${dbPath}-shm`]) fs.rmSync(leftover, { force: true })
  fs.copyFileSync(source, dbPath)
  openDb(dbPath).close() // applies any migration an older backup lacks
  return { keptAs }
}
