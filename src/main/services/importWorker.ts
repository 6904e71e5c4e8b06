/**
 * Worker thread: runs one import job (every file, the detectors and the changes) on its own connection, so
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

/**
 * An import (SPEC §7) writes its files, rebuilds the derived results and records its changes in
 * one transaction (`importFiles`); a recalculation without files only rebuilds. Either way the WAL
 * is folded back afterwards, so later reads and the next import do not wade through a file the
 * size of the book.
 */
async function run(): Promise<void> {
  for (const set of [...new Set(targets.map((t) => t.set ?? 0))]) {
    await importFiles(
      dbPath,
      targets.filter((t) => (t.set ?? 0) === set),
      {
        signal: abort.signal,
        onProgress: (progress) => post({ type: 'progress', progress }),
        onReport: (report) => post({ type: 'report', report }),
        onAnalysing: () => post({ type: 'analysing' }),
      },
    )
  }
  const db = openDb(dbPath)
  try {
    if (targets.length === 0) rebuildDerived(db)
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
}

run()
  .then(() => post({ type: 'done' }))
  .catch((error: unknown) =>
    post({
      type: 'failed',
      cancelled: error instanceof AppError && error.code === 'cancelled',
      message: error instanceof AppError ? error.message : `import failed: ${(error as Error).message}`,
    }),
  )
  .finally(() => port.close())
