import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { DatabaseOpenError, openDb, refuseNewerSchema, type Db } from '../db/open'
import { forgetAllUndoData } from './undo'

const REQUIRED_TABLES = ['__drizzle_migrations', 'sips', 'clients', 'imports', 'follow_ups', 'settings']

/** The file name a backup made today is offered under. */
export const suggestedBackupName = (now = new Date()): string => `partner-dashboard-backup-${now.toISOString().slice(0, 10)}.sqlite`

/**
 * An online, consistent copy of the database at `target` (`VACUUM INTO`). It is written beside the
 * target and renamed into place, so a failed backup never leaves a partial file under that name.
 * An existing file is refused unless `replace` (a save dialog already asked the user).
 */
export function backupDatabase(db: Db, target: string, { replace = false } = {}): { path: string; bytes: number } {
  const resolved = path.resolve(target)
  if (!replace && fs.existsSync(resolved)) throw new DatabaseOpenError(`${target}: already exists; choose a new file name for the backup`)
  fs.mkdirSync(path.dirname(resolved), { recursive: true })
  const partial = `${resolved}.partial-${process.pid}`
  try {
    db.sqlite.prepare('VACUUM INTO ?').run(partial)
    fs.renameSync(partial, resolved)
  } finally {
    fs.rmSync(partial, { force: true })
  }
  return { path: resolved, bytes: fs.statSync(resolved).size }
}

/**
 * Checks that `file` is a Partner Dashboard database this version can open, without changing it.
 * Messages name the file as `label` (an uploaded file's own name rather than its temporary path).
 */
export function checkBackup(file: string, label = file): void {
  let candidate: Database.Database
  try {
    candidate = new Database(file, { readonly: true, fileMustExist: true })
  } catch {
    throw new DatabaseOpenError(`${label}: not found or not readable`)
  }
  try {
    const tables = new Set(
      (candidate.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name),
    )
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t))
    if (missing.length > 0) throw new DatabaseOpenError(`${label}: not a Partner Dashboard database (no ${missing.join(', ')} table)`)
    if (candidate.pragma('integrity_check', { simple: true }) !== 'ok') throw new DatabaseOpenError(`${label}: the database is damaged`)
    refuseNewerSchema(candidate, label)
  } catch (error) {
    if (error instanceof DatabaseOpenError) throw error
    throw new DatabaseOpenError(`${label}: not a Partner Dashboard database (${(error as Error).message})`)
  } finally {
    candidate.close()
  }
}

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-')

/**
 * Replaces everything in the open database `db` with the backup at `source`, in one transaction,
 * after checking the backup and keeping a copy of the current content aside (returned as `keptAs`).
 * Working through the live connection means the app restores without closing its database; an
 * older backup is migrated on a staging copy first, so its tables match ours column for column.
 */
export function restoreInto(db: Db, source: string, label = source): { keptAs: string } {
  checkBackup(source, label)
  const staging = `${db.path}.restoring-${stamp()}`
  fs.copyFileSync(source, staging)
  try {
    openDb(staging).close()
    const keptAs = backupDatabase(db, `${db.path}.before-restore-${stamp()}`).path
    const tables = (
      db.sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'")
        .all() as { name: string }[]
    ).map((t) => t.name)
    db.sqlite.prepare('ATTACH DATABASE ? AS restored').run(staging)
    try {
      db.sqlite.transaction(() => {
        db.sqlite.pragma('defer_foreign_keys = ON')
        for (const table of tables) db.sqlite.exec(`DELETE FROM main."${table}"`)
        for (const table of tables) {
          const columns = (db.sqlite.pragma(`main.table_info("${table}")`) as { name: string }[]).map((c) => `"${c.name}"`).join(', ')
          db.sqlite.exec(`INSERT INTO main."${table}" (${columns}) SELECT ${columns} FROM restored."${table}"`)
        }
        forgetAllUndoData(db.sqlite)
      })()
    } finally {
      db.sqlite.exec('DETACH DATABASE restored')
    }
    return { keptAs }
  } finally {
    for (const file of [staging, `${staging}-wal`, `${staging}-shm`]) fs.rmSync(file, { force: true })
  }
}
