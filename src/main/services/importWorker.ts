/**
 * Worker thread: runs one import job (every file, the detectors and the changes) on its own connection, so
 * the thread that serves the UI never waits for it. Talks to `ImportJobs` through messages.
 */
import { parentPort } from 'node:worker_threads'
import { openDb } from '../db/open'
import { AppError } from '../../shared/errors'
import { isDiskFull, refreshIfStale } from './derived'
import { mappingQuestion, mappingRefusalOf } from '../import/mappingQuestion'
import type { MappingQuestion } from '../../shared/types'
import { cancelledError, GATE, importFiles, type ImportJobMessage, type ImportWorkerJob } from './imports'
import { prestartWorker, workerJob } from '../workers'

const port = parentPort!
const abort = new AbortController()
port.on('message', (message: unknown) => message === 'cancel' && abort.abort())
const post = (message: ImportJobMessage): void => port.postMessage(message)
// The first file's parser starts while this worker waits for its job, or opens the book.
const parserReady = prestartWorker('parseWorker')

/**
 * An import (SPEC §7) writes its files, rebuilds the derived results and records its changes in
 * one transaction (`importFiles`); a recalculation without files only rebuilds. The job is done
 * once that has committed: the screens read the new book from the WAL at once.
 */
async function run({ dbPath, targets, gate }: ImportWorkerJob): Promise<string> {
  const sets = [...new Set(targets.map((t) => t.set ?? 0))]
  for (const [index, set] of sets.entries()) {
    const last = index === sets.length - 1
    await importFiles(
      dbPath,
      targets.filter((t) => (t.set ?? 0) === set),
      {
        signal: abort.signal,
        onProgress: (progress) => post({ type: 'progress', progress }),
        onReport: (report) => post({ type: 'report', report }),
        onAnalysing: () => post({ type: 'analysing' }),
        beforeCommit: () => {
          if (Atomics.compareExchange(gate, 0, GATE.RUNNING, GATE.COMMITTING) === GATE.CANCELLED) throw cancelledError(targets)
        },
        // The job is done at the last commit: Today reads the new book at once; the figures follow.
        onCommitted: last ? () => post({ type: 'done' }) : undefined,
      },
    )
    // The next set of the job can still be cancelled.
    if (!last) Atomics.compareExchange(gate, 0, GATE.COMMITTING, GATE.RUNNING)
  }
  if (targets.length === 0) {
    const db = openDb(dbPath)
    try {
      refreshIfStale(db)
    } finally {
      db.close()
    }
    post({ type: 'done' })
  }
  return dbPath
}

/**
 * Then the WAL, the size of what the import wrote, is folded back into the book, so later reads and
 * the next import do not wade through it: first without blocking the host's writes (a call logged
 * meanwhile), then truncated. The job registry waits for this before the next job starts. A failure
 * here loses nothing (the import has committed): the next checkpoint does it.
 */
function foldWal(dbPath: string): void {
  const db = openDb(dbPath)
  try {
    db.sqlite.pragma('wal_checkpoint(PASSIVE)')
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  } catch {
    // Busy or out of room: left to the next checkpoint.
  } finally {
    db.close()
  }
}

/** A file refused for want of a column mapping comes with what the app asks (SPEC §2.5). */
async function questionFor(error: unknown): Promise<MappingQuestion | null> {
  const refusal = mappingRefusalOf(error)
  return refusal ? await mappingQuestion(refusal).catch(() => null) : null
}

workerJob<ImportWorkerJob>(parserReady)
  .then(run)
  .then(foldWal)
  .catch(async (error: unknown) =>
    post({
      type: 'failed',
      cancelled: error instanceof AppError && error.code === 'cancelled',
      diskFull: isDiskFull(error),
      message: error instanceof AppError ? error.message : `import failed: ${(error as Error).message}`,
      mapping: await questionFor(error),
    }),
  )
  .finally(() => port.close())
