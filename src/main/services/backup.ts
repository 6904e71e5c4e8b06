import fs from 'node:fs'
import path from 'node:path'
import Database, { SqliteError } from 'better-sqlite3'
import { openDb, refuseNewerSchema, type Db } from '../db/open'
import { AppError } from '../../shared/errors'
import { startWorker } from '../workers'
import { CACHE_SETTING, CACHE_TABLES, checkObjects, checkTables, checkValues, repairValues, type DomainRepairs } from './backupChecks'
import { rebuildDerived } from './derived'
import { queueChangedForAll } from './queue'
import { recordRestore } from './settings'
import { forgetAllUndoData } from './undo'
import { partialName, stagingName, sweepDeadPartials } from '../tempFolders'

// Raw SQL text in this module: it works on other files (VACUUM INTO, ATTACH, copies) by their tables' names, outside the book's own helpers.

/** The file name a backup made today is offered under. */
export const suggestedBackupName = (now = new Date()): string => `partner-dashboard-backup-${now.toISOString().slice(0, 10)}.sqlite`

/** A database file and the files SQLite may keep beside it. */
const withCompanions = (file: string): string[] => [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]
const removeAll = (file: string): void => withCompanions(file).forEach((f) => fs.rmSync(f, { force: true }))

/**
 * An online, consistent copy of the database at `target` (`VACUUM INTO`), readable by its owner
 * only (0600). It is written beside the target and renamed into place, so a failed backup never
 * leaves a partial file (nor its journal) behind. An existing file is refused unless `replace`
 * (a save dialog already asked the user).
 */
export function backupDatabase(db: Db, target: string, { replace = false } = {}): { path: string; bytes: number; unreadable: string[] } {
  const resolved = path.resolve(target)
  if (!replace && fs.existsSync(resolved))
    throw new AppError('conflict', `${target}: already exists; choose a new file name for the backup`)
  // A folder that does not exist is most likely a typo: refused, never created on a guess.
  if (!fs.existsSync(path.dirname(resolved)))
    throw new AppError('not_found', `${target}: the folder ${path.dirname(resolved)} does not exist; create it first or choose another`)
  sweepDeadPartials(path.dirname(resolved))
  const partial = partialName(resolved)
  let unreadable: string[] = []
  try {
    removeAll(partial)
    // VACUUM INTO writes into an empty file it finds, keeping that file's permissions.
    fs.closeSync(fs.openSync(partial, 'wx', 0o600))
    if (db.damaged === null) db.sqlite.prepare('VACUUM INTO ?').run(partial)
    else unreadable = salvageInto(db, partial)
    markMadeAt(partial)
    fs.renameSync(partial, resolved)
  } catch (error) {
    if (error instanceof SqliteError) throw new AppError('conflict', `${target}: the backup could not be written (${error.message})`)
    throw error
  } finally {
    removeAll(partial)
  }
  return { path: resolved, bytes: fs.statSync(resolved).size, unreadable }
}

/** The setting a backup carries with the time it was made (a `_` key: never restored into a book, never checked). */
const MADE_AT = '_backup_made_at'

function markMadeAt(file: string): void {
  const copy = new Database(file)
  try {
    copy
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(MADE_AT, JSON.stringify(new Date().toISOString()))
  } finally {
    copy.close()
  }
}

/** When the backup at `staging` was made: the time it carries, else (a backup from an older version) its file's time. */
function madeAt(staging: string, source: string): string {
  const copy = new Database(staging, { readonly: true })
  try {
    const row = copy.prepare('SELECT value FROM settings WHERE key = ?').get(MADE_AT) as { value: string } | undefined
    const value: unknown = row ? JSON.parse(row.value) : null
    return typeof value === 'string' ? value : fs.statSync(source).mtime.toISOString()
  } catch {
    return fs.statSync(source).mtime.toISOString()
  } finally {
    copy.close()
  }
}

/**
 * A damaged book (opened read-only with `allowDamaged`): copies into a new database at `target`
 * every row that can still be read, table by table, up to the first unreadable page of each.
 * Returns the tables that could be read only in part. Caches are left out; they are rebuilt.
 */
function salvageInto(db: Db, target: string): string[] {
  const copy = openDb(target, { check: false })
  const unreadable: string[] = []
  try {
    const tables = (
      copy.sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'")
        .all() as { name: string }[]
    ).map((t) => t.name)
    copy.sqlite.pragma('foreign_keys = OFF')
    for (const table of tables.filter((t) => !CACHE_TABLES.includes(t))) {
      const ours = (copy.sqlite.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name)
      let theirs: Set<string>
      try {
        theirs = new Set((db.sqlite.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name))
      } catch {
        unreadable.push(table)
        continue
      }
      const columns = ours.filter((c) => theirs.has(c)).map((c) => `"${c}"`)
      if (columns.length === 0) continue
      const insert = copy.sqlite.prepare(
        `INSERT OR IGNORE INTO "${table}" (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      )
      const keep = table === 'settings' ? ` WHERE NOT (${CACHE_SETTING})` : ''
      copy.sqlite.transaction(() => {
        try {
          for (const row of db.sqlite
            .prepare(`SELECT ${columns.join(', ')} FROM "${table}"${keep}`)
            .raw()
            .iterate())
            insert.run(row as unknown[])
        } catch {
          unreadable.push(table)
        }
      })()
    }
  } finally {
    copy.close()
  }
  return unreadable
}

/** Refuses at once anything but a regular file: reading a FIFO or a device would never end. */
function refuseNonRegular(file: string, label: string): void {
  let stat: fs.Stats
  try {
    stat = fs.statSync(file)
  } catch {
    throw new AppError('restore_refused', `${label}: not found or not readable`)
  }
  if (!stat.isFile()) throw new AppError('restore_refused', `${label}: not a regular file`)
}

/**
 * Checks the backup copied at `staging` and brings it to the current schema: only tables (no view
 * or trigger, so reading it cannot run anything), integrity, not from a newer version; then its
 * migrations, then our tables and columns; then brings its values within the value domain and
 * checks every value's type. Messages name it as `label`.
 */
export function prepareBackup(staging: string, label: string): DomainRepairs {
  let candidate: Database.Database
  try {
    candidate = new Database(staging, { readonly: true, fileMustExist: true })
  } catch {
    throw new AppError('not_found', `${label}: not found or not readable`)
  }
  try {
    checkObjects(candidate, label)
    if (candidate.pragma('integrity_check', { simple: true }) !== 'ok') throw new AppError('damaged', `${label}: the database is damaged`)
    refuseNewerSchema(candidate, label)
  } catch (error) {
    if (error instanceof AppError) throw error
    throw new AppError('restore_refused', `${label}: not a Partner Dashboard database (${(error as Error).message})`)
  } finally {
    candidate.close()
  }
  try {
    openDb(staging, { check: false }).close()
  } catch {
    throw new AppError('restore_refused', `${label}: cannot be brought up to this version's schema`)
  }
  const migrated = new Database(staging, { fileMustExist: true })
  try {
    checkTables(migrated, label)
    const repairs = repairValues(migrated)
    checkValues(migrated, label)
    return repairs
  } finally {
    migrated.close()
  }
}

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-')

/** What the restore worker is given, and what it answers. */
export interface RestoreJob {
  dbPath: string
  source: string
  label: string
  staging: string
  keepAs: string
}
export interface Restored {
  repairs: DomainRepairs
  /** When the backup was made (an instant). */
  backupMadeAt: string
}
export type RestoreMessage = { type: 'replacing' } | ({ type: 'done' } & Restored) | { type: 'refused'; message: string }

/**
 * The restore itself, run in the restore worker on a connection of its own: copies the backup to
 * `staging` (0600), checks and migrates it there, keeps the current book aside at `keepAs`, then
 * (after `onReplacing`) replaces every table in one transaction — caches left out — and rebuilds
 * the caches.
 */
export function restoreFromStaging({ dbPath, source, label, staging, keepAs }: RestoreJob, onReplacing: () => void): Restored {
  try {
    fs.copyFileSync(source, staging)
    fs.chmodSync(staging, 0o600)
    const repairs = prepareBackup(staging, label)
    const backupMadeAt = madeAt(staging, source)
    const db = openDb(dbPath, { check: false })
    try {
      backupDatabase(db, keepAs)
      onReplacing()
      try {
        replaceTables(db, staging)
      } catch (error) {
        fs.rmSync(keepAs, { force: true }) // nothing was replaced: the copy kept aside is the book itself
        throw error
      }
      recordRestore(db, label, backupMadeAt)
      // The caches were left out: rebuild them now, so the first screens after the restore are instant.
      rebuildDerived(db)
    } finally {
      db.close()
    }
    return { repairs, backupMadeAt }
  } finally {
    removeAll(staging)
  }
}

function replaceTables(db: Db, staging: string): void {
  const tables = (
    db.sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'")
      .all() as { name: string }[]
  ).map((t) => t.name)
  db.sqlite.prepare('ATTACH DATABASE ? AS restored').run(staging)
  try {
    db.sqlite
      .transaction(() => {
        db.sqlite.pragma('defer_foreign_keys = ON')
        for (const table of tables) db.sqlite.exec(`DELETE FROM main."${table}"`)
        for (const table of tables) {
          if (CACHE_TABLES.includes(table)) continue
          const columns = (db.sqlite.pragma(`main.table_info("${table}")`) as { name: string }[]).map((c) => `"${c.name}"`).join(', ')
          const keep = table === 'settings' ? ` WHERE NOT (${CACHE_SETTING})` : ''
          db.sqlite.exec(`INSERT INTO main."${table}" (${columns}) SELECT ${columns} FROM restored."${table}"${keep}`)
        }
        // SPEC §7.2: an import from before a restore cannot be undone.
        forgetAllUndoData(db.sqlite)
        queueChangedForAll(db)
      })
      .immediate()
  } catch (error) {
    if (error instanceof SqliteError && error.code.startsWith('SQLITE_BUSY')) {
      throw new AppError('busy', `${path.basename(db.path)} is busy with an import or a recalculation; try the restore again in a moment`)
    }
    throw error
  } finally {
    db.sqlite.exec('DETACH DATABASE restored')
  }
}

/** Staging copies of restores under way, removed whatever way the process ends. */
const stagingFiles = new Set<string>()
const removeStaging = (): void => stagingFiles.forEach(removeAll)

function onSignal(signal: NodeJS.Signals): void {
  removeStaging()
  // Alone in handling this signal (the CLI): end the way the signal would have ended the process.
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal)
    process.kill(process.pid, signal)
  }
}

function trackStaging(file: string): () => void {
  if (stagingFiles.size === 0) {
    process.on('exit', removeStaging)
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  }
  stagingFiles.add(file)
  return () => {
    removeAll(file)
    stagingFiles.delete(file)
    if (stagingFiles.size > 0) return
    process.removeListener('exit', removeStaging)
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
  }
}

/**
 * Replaces everything in the book at `db` with the backup at `source`, after checking it and keeping
 * the current content aside (returned as `keptAs`). The work runs in a worker thread with a time
 * limit, so the host keeps answering and a hostile file cannot hold it; a file that is not a
 * regular file is refused at once. Messages name the backup as `label` (an upload's own name, never
 * a path on the server). The caller's connection sees the restored book once this resolves.
 */
export async function restoreInto(
  db: Pick<Db, 'path'>,
  source: string,
  { label = source, timeLimitMs = 10 * 60 * 1000 }: { label?: string; timeLimitMs?: number } = {},
): Promise<{ keptAs: string } & Restored> {
  refuseNonRegular(source, label)
  const job: RestoreJob = {
    dbPath: db.path,
    source,
    label,
    staging: stagingName(db.path, stamp()),
    keepAs: `${db.path}.before-restore-${stamp()}`,
  }
  const untrack = trackStaging(job.staging)
  const worker = startWorker('restoreWorker', job)
  let timer: NodeJS.Timeout | undefined
  let restored: Restored | null = null
  let timedOut = false
  try {
    await new Promise<void>((resolve, reject) => {
      // Stopped over its time limit, the restore fails once the worker has exited, so nothing it writes comes after the cleanup.
      timer = setTimeout(() => {
        timedOut = true
        void worker.terminate()
      }, timeLimitMs)
      worker.on('message', (message: RestoreMessage) => {
        // The backup passed every check; the one transaction that replaces the book is not cut short.
        if (message.type === 'replacing') clearTimeout(timer)
        else if (message.type === 'done') {
          restored = { repairs: message.repairs, backupMadeAt: message.backupMadeAt }
          resolve()
        } else reject(new AppError('restore_refused', message.message))
      })
      worker.once('error', (error) => reject(new AppError('restore_refused', `${label}: the restore failed (${error.message})`)))
      worker.once('exit', () =>
        reject(
          new AppError(
            'restore_refused',
            timedOut
              ? `${label}: checking the backup took longer than ${Math.round(timeLimitMs / 1000)} s; it was stopped`
              : `${label}: the restore stopped unexpectedly`,
          ),
        ),
      )
    })
  } finally {
    clearTimeout(timer)
    untrack()
    // Stopped before it began replacing: the copy of the book it was keeping aside is not needed.
    if (timedOut) removeAll(job.keepAs)
  }
  return { keptAs: job.keepAs, ...restored! }
}
