/**
 * Worker thread: runs one import job (every file, then the detectors) on its own connection, so
 * the thread that serves the UI never waits for it. Talks to `ImportJobs` through messages.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openDb } from '../db/open'
import { AppError } from '../../shared/errors'
import { rebuildDerived } from './derived'
import { importFiles, type ImportJobMessage, type ImportTarget } from './imports'

const port = parentPort!
const { dbPath, targets } = workerData as { dbPath: string; targets: ImportTarget[] }
const abort = new AbortController()
port.on('message', (message: 'cancel') => message === 'cancel' && abort.abort())
const post = (message: ImportJobMessage): void => port.postMessage(message)

/** Rebuilds the derived results (opportunities, at-stake, book totals), so the first screens after an import are instant. */
function analyse(): void {
  const db = openDb(dbPath)
  try {
    rebuildDerived(db)
    // An import writes the whole table through the WAL; fold it back so later reads and the next
    // import do not wade through a file the size of the book.
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
}

importFiles(dbPath, targets, {
  signal: abort.signal,
  onProgress: (progress) => post({ type: 'progress', progress }),
  onReport: (report) => post({ type: 'report', report }),
})
  .then(() => {
    post({ type: 'analysing' })
    analyse()
    post({ type: 'done' })
  })
  .catch((error: unknown) =>
    post({
      type: 'failed',
      cancelled: error instanceof AppError && error.code === 'cancelled',
      message: error instanceof AppError ? error.message : `import failed: ${(error as Error).message}`,
    }),
  )
  .finally(() => port.close())
