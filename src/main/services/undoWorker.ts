/**
 * Worker thread: one undo (`undoLastImport`) on a connection of its own, so the thread that serves
 * the UI keeps answering while it runs (it rewrites as many rows as the import did). Answers with
 * one `UndoMessage`, after closing its connection and folding the WAL back into the file.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openDb } from '../db/open'
import { AppError } from '../../shared/errors'
import { undoLastImport, type UndoMessage } from './undo'

const { dbPath } = workerData as { dbPath: string }

function undo(): UndoMessage {
  try {
    const db = openDb(dbPath)
    try {
      const result = undoLastImport(db)
      db.sqlite.pragma('wal_checkpoint(TRUNCATE)')
      return { type: 'done', result }
    } finally {
      db.close()
    }
  } catch (error) {
    return {
      type: 'failed',
      error: error instanceof AppError ? error.toJSON() : { code: 'internal', message: `the undo failed: ${(error as Error).message}` },
    }
  }
}

parentPort!.postMessage(undo())
