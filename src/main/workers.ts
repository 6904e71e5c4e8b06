import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { MessageChannel, MessagePort, parentPort, Worker, workerData, type TransferListItem } from 'node:worker_threads'

/** Worker entry modules, by the name electron-vite builds them under, and their source beside this file. */
export const WORKER_SOURCES = {
  parseWorker: 'import/parseWorker.ts',
  importWorker: 'services/importWorker.ts',
  restoreWorker: 'services/restoreWorker.ts',
  undoWorker: 'services/undoWorker.ts',
  bookWorker: 'hosts/bookWorker.ts',
} as const

export type WorkerName = keyof typeof WORKER_SOURCES

/** The `workerData` of a worker started ahead of its job (`prestartWorker`): where it says it is ready. */
interface AwaitingJob {
  awaitingJob: MessagePort
}

/** Workers started ahead of their job in this thread, at most one of each, and when each is ready. */
const spares = new Map<WorkerName, { worker: Worker; ready: Promise<number> }>()

/**
 * Starts a `name` worker ahead of its job: the next `startWorker(name, …)` in this thread hands the
 * job to it, so the job does not wait for a thread to start and load its code (for the import and
 * parse workers together, half a second of a 10,000-SIP import here). A worker waiting for its job
 * keeps no process alive; one that fails meanwhile is dropped, and the job starts its own (which
 * reports what is wrong). Resolves with its thread's id once it waits (see `workerJob`), or has stopped.
 */
export function prestartWorker(name: WorkerName): Promise<number> {
  const existing = spares.get(name)
  if (existing) return existing.ready
  const { port1, port2 } = new MessageChannel()
  const worker = spawn(name, { awaitingJob: port2 } satisfies AwaitingJob, [port2])
  worker.unref()
  worker.on('error', () => {}) // its 'exit' follows, which drops it
  port1.unref()
  const { threadId } = worker
  const ready = new Promise<number>((resolve) => {
    port1.once('message', () => resolve(threadId))
    worker.once('exit', () => resolve(threadId))
  }).finally(() => port1.close())
  spares.set(name, { worker, ready })
  worker.once('exit', () => {
    if (spares.get(name)?.worker === worker) spares.delete(name)
  })
  return ready
}

/** Ends the worker `prestartWorker` started for `name`, if one waits. */
export async function endSpare(name: WorkerName): Promise<void> {
  const spare = spares.get(name)
  spares.delete(name)
  await spare?.worker.terminate()
}

/** When the worker `prestartWorker` started for `name` waits for its job, its thread's id; at once null when there is none. */
export const spareReady = async (name: WorkerName): Promise<number | null> => (await spares.get(name)?.ready) ?? null

/** Starts a worker thread for a job (its `workerData`), or hands the job to the one `prestartWorker` started. */
export function startWorker(name: WorkerName, job: unknown): Worker {
  const spare = spares.get(name)
  if (!spare) return spawn(name, job)
  spares.delete(name)
  spare.worker.ref()
  spare.worker.postMessage({ job } satisfies JobMessage)
  return spare.worker
}

interface JobMessage {
  job: unknown
}

const isAwaitingJob = (data: unknown): data is AwaitingJob =>
  typeof data === 'object' && data !== null && (data as Partial<AwaitingJob>).awaitingJob instanceof MessagePort

/**
 * In a worker: its job, given at its start or, when it was started ahead, in its first message;
 * such a worker says it waits once `readyAfter` (what it starts ahead itself) has.
 */
export function workerJob<T>(readyAfter?: Promise<unknown>): Promise<T> {
  const data: unknown = workerData
  if (!isAwaitingJob(data)) return Promise.resolve(data as T)
  void Promise.resolve(readyAfter).then(() => {
    data.awaitingJob.postMessage('waiting')
    data.awaitingJob.close()
  })
  return new Promise((resolve) => {
    const take = (message: unknown): void => {
      if (typeof message !== 'object' || message === null || !('job' in message)) return
      parentPort!.off('message', take)
      resolve((message as JobMessage).job as T)
    }
    parentPort!.on('message', take)
  })
}

/**
 * Each worker's young generation, in MB. Small, because V8 would otherwise size it for this
 * machine's memory and hold on to it (the import's peak memory counts all threads); the parser's
 * twice the others', as it makes the most short-lived objects and is the slower half of an import:
 * its 32 MB took about 0.25 s off the file phase of a 1,00,000-SIP import (collections half as
 * often), for about 15 MB more peak memory at 10,00,000 SIPs (docs/performance.md, session 12).
 */
const YOUNG_GENERATION_MB: Record<WorkerName, number> = {
  parseWorker: 32,
  importWorker: 16,
  restoreWorker: 16,
  undoWorker: 16,
  bookWorker: 16,
}

/**
 * Starts a worker thread: the built `<name>.js` beside the main bundle in the app (or the tests'
 * build), or the TypeScript source through tsx's require hook when running from source (CLI, web host).
 */
function spawn(name: WorkerName, workerData: unknown, transferList: TransferListItem[] = []): Worker {
  const options = { workerData, transferList, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB[name] } }
  const built = [
    // The tests' own build of the workers (src/main/testing/buildForTests.ts).
    ...(process.env.PARTNER_DASHBOARD_BUILT ? [path.join(process.env.PARTNER_DASHBOARD_BUILT, `${name}.js`)] : []),
    path.join(__dirname, `${name}.js`),
    path.join(__dirname, '..', `${name}.js`),
  ].find((file) => fs.existsSync(file))
  if (built) return new Worker(built, options)
  const source = path.join(__dirname, WORKER_SOURCES[name])
  const tsx = createRequire(__filename).resolve('tsx/cjs')
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)})`, { ...options, eval: true })
}
