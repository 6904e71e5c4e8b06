import { SqliteError } from 'better-sqlite3'
import type { Db } from '../db/open'
import { readSetting, writeSetting } from './settings'

/**
 * Figures derived from the whole book (totals over every SIP, every opportunity) are costly on a
 * large book and change only when their inputs do. They are kept in `settings` under `_<name>`
 * with the version of the inputs they were computed from, and recomputed when that differs.
 * Keys starting with `_` are caches: clearing data deletes them, a restore brings its own.
 */
export function remembered<T>(db: Db, name: string, version: string, compute: () => T): T {
  const key = `_${name}`
  const stored = readSetting<{ version: string; value: T } | null>(db, key, null)
  if (stored?.version === version) return stored.value
  const value = compute()
  // When an import or a rebuild holds the write lock, answer now and remember next time, rather
  // than wait for the lock.
  const wait = db.sqlite.pragma('busy_timeout', { simple: true }) as number
  db.sqlite.pragma('busy_timeout = 0')
  try {
    writeSetting(db, key, { version, value })
  } catch (error) {
    if (!(error instanceof SqliteError && error.code.startsWith('SQLITE_BUSY'))) throw error
  } finally {
    db.sqlite.pragma(`busy_timeout = ${wait}`)
  }
  return value
}

/** Changes whenever the imported data does. */
export const bookVersion = (db: Db): string =>
  String((db.sqlite.prepare('SELECT max(id) AS last FROM imports').get() as { last: number | null }).last)
