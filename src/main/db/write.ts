import { SqliteError } from 'better-sqlite3'
import type { Db } from './open'
import { AppError } from '../../shared/errors'

/**
 * Runs `fn` in an IMMEDIATE transaction: the write lock is taken at BEGIN, where SQLite's busy
 * timeout applies, so a user's save waits for an import or a recalculation to commit instead of
 * failing at its first write (a deferred transaction upgrading its read lock cannot wait). If the
 * lock stays taken past the timeout, nothing was written and the caller is told to try again.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  try {
    return db.sqlite.transaction(fn).immediate()
  } catch (error) {
    if (error instanceof SqliteError && error.code.startsWith('SQLITE_BUSY')) {
      throw new AppError('busy', 'the book is busy with an import or a recalculation; nothing was saved — try again in a moment')
    }
    throw error
  }
}
