import { randomUUID } from 'node:crypto'
import { eq, asc } from 'drizzle-orm'
import { openDb, type ReadableDb } from '../db/open'
import { importIssues, imports, type importSets } from '../db/schema'
import { allRows, oneRow, runSql, sql, type RowOf } from '../db/sql'
import { closeImportSet, openImportSet, writeFile } from '../import/importer'
import type { ColumnMapping } from '../import/columns'
import { AppError } from '../../shared/errors'
import type { Worker } from 'node:worker_threads'
import { endSpare, prestartWorker, spareReady, startWorker } from '../workers'
import type { ImportJob, ImportProgress, ImportReport, MappingQuestion } from '../../shared/types'
import type { ImportSetSummary, UndoResult } from '../../shared/changes'
import { changedSet, eventCounts, recordChanges, setTotals, takeBaseline } from './changes'
import { completeAfterCommit, rebuildDerived } from './derived'
import { resolveAsOf } from './settings'
import { RebuildBackoff } from './rebuildBackoff'
import { forgetOldUndoData, keepReplacedRows, lastUndoable, undoInWorker } from './undo'

export interface ImportTarget {
  path: string
  /** Name shown and stored for the file. */
  name: string
  /** Files of one job with different `set` numbers are imported one after the other as separate imports (the sample's months). */
  set?: number
}

/**
 * The steps of an import, in order: set the derived results aside, write the files, rebuild, record
 * the changes, commit; then, in short transactions of their own, what the rebuild left for after the
 * commit (`completeAfterCommit`: the whole-book figures, the indexes no first screen uses).
 */
export type ImportStep = 'baseline' | 'files' | 'rebuild' | 'changes' | 'commit' | 'after commit'

/** Milliseconds per step, and of `files` the part spent writing rows (the rest waited for the parser). */
export type ImportTimings = Partial<Record<ImportStep | 'writing', number>>

/**
 * Imports the files opened together as one import (SPEC §7) on a connection of its own (so readers
 * keep the last committed data meanwhile), in one transaction: the derived results before it are
 * set aside, every file is written (the rows it replaces kept for undo), the derived results are
 * rebuilt and the import's changes recorded and credited. A file that fails leaves the database
 * exactly as it was. Reports, one per file, are handed out once the import has committed.
 */
export async function importFiles(
  dbPath: string,
  targets: readonly ImportTarget[],
  options: {
    signal?: AbortSignal
    onProgress?: (progress: ImportProgress) => void
    onReport?: (report: ImportReport) => void
    /** Every file is in; the detectors and the comparison run next. */
    onAnalysing?: () => void
    /** Called right before the commit; throwing there (a cancel) rolls the import back. */
    beforeCommit?: () => void
    /** The import has committed (its reports handed out): Today and What changed read it from now on. */
    onCommitted?: () => void
    /** Filled with the milliseconds each step took (for the benchmark). */
    timings?: ImportTimings
    /** A column mapping given for this import (SPEC §2.5), for the files that have its columns. */
    mapping?: ColumnMapping | null
  } = {},
): Promise<ImportReport[]> {
  const writer = openDb(dbPath)
  // 32 MB of page cache (SQLite's default is 2 MB): a newer export updates rows all over the table.
  writer.sqlite.pragma('cache_size = -32768')
  // The commit only appends to the WAL; the import worker folds it back after reporting the job done.
  writer.sqlite.pragma('wal_autocheckpoint = 0')
  const sqlite = writer.sqlite
  const reports: ImportReport[] = []
  const { timings } = options
  let lapStart = performance.now()
  const lap = (step: ImportStep): void => {
    const now = performance.now()
    if (timings) timings[step] = now - lapStart
    lapStart = now
  }
  // The transaction (the write lock) opens once the first file's first batch is ready to write.
  let setId = 0
  let previousAsOf: string | null = null
  let lastImportBefore = 0
  let stopKeeping = (): void => {}
  const begin = (): number => {
    if (setId !== 0) return setId
    runSql(sqlite, sql`BEGIN IMMEDIATE`)
    previousAsOf = takeBaseline(writer)
    lap('baseline')
    lastImportBefore = oneRow<{ id: number }>(sqlite, sql`SELECT coalesce(max(id), 0) AS id FROM imports`)!.id
    setId = openImportSet(sqlite)
    stopKeeping = keepReplacedRows(sqlite, setId, lastImportBefore)
    return setId
  }
  try {
    for (const [fileIndex, target] of targets.entries()) {
      reports.push(
        await writeFile(sqlite, target.path, begin, {
          name: target.name,
          signal: options.signal,
          mapping: options.mapping,
          lookupIndexesAfterCommit: true,
          onWritten: timings && ((ms) => (timings.writing = (timings.writing ?? 0) + ms)),
          onProgress: (p) => options.onProgress?.({ file: target.name, file_index: fileIndex, file_count: targets.length, ...p }),
        }),
      )
    }
    begin()
    stopKeeping()
    closeImportSet(sqlite, setId)
    lap('files')
    options.onAnalysing?.()
    rebuildDerived(writer, resolveAsOf(writer), { later: true })
    lap('rebuild')
    recordChanges(writer, setId, lastImportBefore, previousAsOf)
    forgetOldUndoData(sqlite, setId)
    lap('changes')
    options.beforeCommit?.()
    runSql(sqlite, sql`COMMIT`)
    lap('commit')
    for (const report of reports) options.onReport?.(report)
    options.onCommitted?.()
    // Meanwhile the agents table answers "recalculating" with its previous figures (`agentsBehind`),
    // the dashboard works its figures out from the book, and the list, the client page and agent
    // filters read without their indexes. Should this fail, the import stands and the next refresh
    // completes it.
    try {
      completeAfterCommit(writer)
    } catch {
      // Left to that refresh, which reports what is wrong.
    }
    lap('after commit')
  } catch (error) {
    if (sqlite.inTransaction) runSql(sqlite, sql`ROLLBACK`)
    throw error
  } finally {
    writer.close()
  }
  return reports
}

/** An import worker's job: the files of an import (none for a recalculation), and its `GATE`. */
export interface ImportWorkerJob {
  dbPath: string
  targets: readonly ImportTarget[]
  gate: Int32Array
}

/** What the import worker tells its job, in order: progress and reports, then how it ended. */
export type ImportJobMessage =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'report'; report: ImportReport }
  | { type: 'analysing' }
  | { type: 'done' }
  | { type: 'failed'; cancelled: boolean; diskFull: boolean; message: string; mapping: MappingQuestion | null }

const UNDOING = 'undo'

/** How long a cancelled import may take to stop by itself before its thread is ended (SPEC §2.4: within a second). */
const CANCEL_GRACE_MS = 150

/**
 * A job's state shared with its worker (one Int32): RUNNING, then either COMMITTING (the worker
 * is committing; a cancel is too late) or CANCELLED (the worker must not commit). Both sides
 * move it with compare-and-swap, so a cancel and a commit can never both win.
 */
export const GATE = { RUNNING: 0, COMMITTING: 1, CANCELLED: 2 } as const

/** How a cancelled job ends, naming its files as an import's own messages do. */
export const cancelledError = (targets: readonly ImportTarget[]): AppError =>
  new AppError('cancelled', `${targets.map((t) => t.name).join(', ')}: import cancelled; nothing was imported`)

/** Finished jobs kept for their status (a page polls its own job until it ends); older ones are forgotten. */
export const FINISHED_JOBS_KEPT = 20

/**
 * Import jobs the UI starts, polls and cancels. Each runs in a worker thread (see
 * `importWorker.ts`), so the host keeps answering requests at full speed meanwhile. One job runs
 * at a time: SQLite has one writer.
 */
export class ImportJobs {
  private readonly jobs = new Map<string, { job: ImportJob; cancel: () => void }>()
  /** The running job's id, or `UNDOING` while an undo runs. */
  private running: string | null = null
  /** A recalculation without files (`refresh`): an import that starts meanwhile stops it and does it itself. */
  private refreshing: { worker: Worker; exited: Promise<unknown> } | null = null
  /** Workers not yet ended: one whose job is done may still be folding the WAL back (see `importWorker.ts`). */
  private readonly workersExited = new Set<Promise<void>>()
  /** Told when recalculations stop for a full disk (the reason) and when they may be tried again (null). */
  onNotRebuilt: (reason: string | null) => void = () => {}
  private readonly backoff = new RebuildBackoff((reason) => this.onNotRebuilt(reason))

  private readonly finishedKept: number
  private startAhead: boolean

  /**
   * With `startAhead` (the app's hosts), the next job's worker is always started and waiting, so an
   * import or a recalculation starts at once.
   */
  constructor(
    private readonly dbPath: string,
    { finishedKept = FINISHED_JOBS_KEPT, startAhead = false } = {},
  ) {
    this.finishedKept = finishedKept
    this.startAhead = startAhead
    if (startAhead) void prestartWorker('importWorker')
  }

  /**
   * Resolves when the worker started ahead (`startAhead`) waits for the next job, its parser started
   * too, with its thread's id; null without one.
   */
  ready(): Promise<number | null> {
    return spareReady('importWorker')
  }

  async start(targets: readonly ImportTarget[], onFinished?: () => void): Promise<ImportJob> {
    await this.stopRefreshing()
    this.refuseWhileRunning()
    await Promise.all(this.workersExited)
    this.refuseWhileRunning()
    return this.launch(targets, onFinished).job
  }

  /** Undoes the latest import (SPEC §7.2) in a worker thread; no import starts until it has ended. */
  async undo(): Promise<UndoResult> {
    await this.stopRefreshing()
    this.refuseWhileRunning()
    await Promise.all(this.workersExited)
    this.refuseWhileRunning()
    this.running = UNDOING
    try {
      return await undoInWorker(this.dbPath)
    } finally {
      this.running = null
    }
  }

  private async stopRefreshing(): Promise<void> {
    if (!this.refreshing) return
    const { worker, exited } = this.refreshing
    void worker.terminate() // the rebuild's transaction rolls back; the import or undo rebuilds anyway
    await exited
  }

  private refuseWhileRunning(): void {
    if (this.running === UNDOING) throw new AppError('conflict', 'an undo is running; wait for it to finish')
    if (this.running) throw new AppError('conflict', 'an import is already running; wait for it or cancel it')
  }

  /** Rebuilds the opportunities and remembered totals in the worker, unless a job is already running or the disk was full. */
  refresh(): void {
    // A worker still finishing (the agents' figures after an import's commit) brings them up to date itself.
    if (this.running || this.workersExited.size > 0 || this.backoff.reason() !== null) return
    const { worker } = this.launch([], ({ diskFull }) => {
      this.refreshing = null
      if (diskFull) this.backoff.diskFull()
    })
    this.refreshing = { worker, exited: new Promise((resolve) => worker.once('exit', resolve)) }
  }

  /** Why the derived results are not being rebuilt for now, or null. */
  notRebuilt(): string | null {
    return this.backoff.reason()
  }

  private launch(targets: readonly ImportTarget[], onFinished?: (end: { diskFull: boolean }) => void): { job: ImportJob; worker: Worker } {
    const job: ImportJob = { job_id: randomUUID(), state: 'running', progress: null, reports: [], error: null, needs_mapping: null }
    const gate = new Int32Array(new SharedArrayBuffer(4))
    const worker = startWorker('importWorker', { dbPath: this.dbPath, targets, gate } satisfies ImportWorkerJob)
    const exited: Promise<void> = new Promise<void>((resolve) => worker.once('exit', () => resolve())).then(() => {
      this.workersExited.delete(exited)
      if (this.startAhead) void prestartWorker('importWorker')
    })
    this.workersExited.add(exited)
    let ended = false
    // The worker has closed its connection by the time it reports how it ended.
    const end = (state: ImportJob['state'], error: string | null, diskFull = false): void => {
      if (ended) return
      ended = true
      job.state = state
      job.error = error
      this.running = null
      this.forgetOldFinished()
      // The book took a whole write and rebuild: the disk has room again.
      if (state === 'done') this.backoff.succeeded()
      onFinished?.({ diskFull })
    }
    const cancel = (): void => {
      if (ended || Atomics.compareExchange(gate, 0, GATE.RUNNING, GATE.CANCELLED) !== GATE.RUNNING) return
      worker.postMessage('cancel')
      // A worker inside one long step (the detectors) reads no message until it ends: its thread is
      // ended instead, and its connection's transaction rolls back.
      setTimeout(() => ended || void worker.terminate(), CANCEL_GRACE_MS).unref()
    }
    this.jobs.set(job.job_id, { job, cancel })
    this.running = job.job_id
    worker.on('message', (message: ImportJobMessage) => {
      switch (message.type) {
        case 'progress':
          job.progress = message.progress
          break
        case 'report':
          job.reports.push(message.report)
          break
        case 'analysing':
          if (job.progress) job.progress = { ...job.progress, analysing: true }
          break
        case 'done':
          end('done', null)
          break
        case 'failed':
          job.needs_mapping = message.mapping
          end(message.cancelled ? 'cancelled' : 'failed', message.message, message.diskFull)
          break
      }
    })
    worker.on('error', (error) => end('failed', `import failed: ${error.message}`))
    worker.on('exit', () =>
      Atomics.load(gate, 0) === GATE.CANCELLED
        ? end('cancelled', cancelledError(targets).message)
        : end('failed', 'import failed: the import stopped unexpectedly'),
    )
    return { job: this.snapshot(job), worker }
  }

  status(jobId: string): ImportJob {
    return this.snapshot(this.get(jobId).job)
  }

  cancel(jobId: string): ImportJob {
    const entry = this.get(jobId)
    entry.cancel()
    return this.snapshot(entry.job)
  }

  /** A job runs, or a worker whose job is done is still folding the WAL back. */
  isRunning(): boolean {
    return this.running !== null || this.workersExited.size > 0
  }

  cancelAll(): void {
    for (const { cancel } of this.jobs.values()) cancel()
  }

  /** For a host shutting down: no worker is started ahead any more, and the one waiting ends. */
  async stopStartingAhead(): Promise<void> {
    if (!this.startAhead) return
    this.startAhead = false
    await endSpare('importWorker')
  }

  /** Resolves when no job is running (for hosts shutting down and for tests). */
  async idle(): Promise<void> {
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 20))
    await Promise.all(this.workersExited)
  }

  private forgetOldFinished(): void {
    const finished = [...this.jobs.keys()].filter((jobId) => this.jobs.get(jobId)!.job.state !== 'running')
    for (const jobId of finished.slice(0, Math.max(0, finished.length - this.finishedKept))) this.jobs.delete(jobId)
  }

  private get(jobId: string): { job: ImportJob; cancel: () => void } {
    const entry = this.jobs.get(jobId)
    if (!entry) throw new AppError('not_found', `no import job ${jobId}`)
    return entry
  }

  private snapshot(job: ImportJob): ImportJob {
    return { ...job, reports: [...job.reports], progress: job.progress && { ...job.progress } }
  }
}

/** SPEC §7: the imports, newest first, each with its files, undone ones marked. */
export function listImports(db: ReadableDb): ImportSetSummary[] {
  const sets = allRows<RowOf<typeof importSets> & { changed: number }>(
    db.sqlite,
    sql`SELECT *, ${changedSet()} AS changed FROM import_sets ORDER BY id DESC`,
  )
  const files = db.orm.select().from(imports).orderBy(asc(imports.id)).all()
  const undoable = lastUndoable(db)
  const reopened = new Map(
    allRows<{ set_id: number; n: number }>(db.sqlite, sql`SELECT set_id, count(*) AS n FROM reopenings GROUP BY set_id`).map((r) => [
      r.set_id,
      r.n,
    ]),
  )
  return sets.map((set) => ({
    import_id: set.id,
    started_at: set.started_at,
    finished_at: set.finished_at ?? set.started_at,
    undone: set.undone_at !== null,
    changed: set.changed === 1,
    undoable: undoable?.id === set.id && undoable.undo_kept === 1,
    files: files
      .filter((f) => f.setId === set.id)
      .map((f) => ({
        import_id: f.id,
        file: f.fileName,
        size_bytes: f.sizeBytes,
        read: f.recordsRead,
        inserted: f.inserted,
        updated: f.updated,
        unchanged: f.unchanged,
        rejected: f.rejected,
        warnings: f.warnings,
      })),
    totals: setTotals(set, reopened.get(set.id) ?? 0),
    event_counts: eventCounts(set.event_counts),
  }))
}

export function getImportReport(db: ReadableDb, importId: number): ImportReport {
  const row = db.orm.select().from(imports).where(eq(imports.id, importId)).get()
  if (!row) throw new AppError('not_found', `no import ${importId}`)
  const issues = db.orm
    .select()
    .from(importIssues)
    .where(eq(importIssues.importId, importId))
    .orderBy(asc(importIssues.position), asc(importIssues.id))
    .all()
  return {
    import_id: row.id,
    set_id: row.setId ?? row.id,
    file: row.fileName,
    size_bytes: row.sizeBytes,
    sha256: row.sha256,
    started_at: row.startedAt,
    finished_at: row.finishedAt ?? row.startedAt,
    read: row.recordsRead,
    inserted: row.inserted,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    warnings: row.warnings,
    sip_records: row.sipRecords,
    client_records: row.clientRecords,
    issue_count: row.rejected + row.warnings,
    mapping_saved_at: row.mappingSavedAt,
    issues: issues.map((i) => ({ level: i.level, position: i.position, sip_meta_id: i.sipMetaId, field: i.field, reason: i.reason })),
  }
}
