import type { Worker } from 'node:worker_threads'
import { isChannel, type Envelope } from '../../shared/channels'
import { contract, type Handlers } from '../../shared/contract'
import { AppError, type ErrorBody } from '../../shared/errors'
import { ImportJobs } from '../services/imports'
import {
  bookGuards,
  capabilitiesOf,
  hostHandlers,
  type BookAccess,
  type BookChannel,
  type BookSetup,
  type HostChannel,
  type HostOptions,
} from '../services'
import { startWorker } from '../workers'
import { asAppError, dispatch, type Route } from './dispatch'

export interface BookWorkerData {
  dbPath: string
  setup: BookSetup
  checkAnswers: boolean
}

/** From the host to the database worker. */
export type BookRequest =
  | { type: 'request'; id: number; channel: BookChannel; request: unknown }
  | { type: 'backup'; id: number; target: string; replace: boolean }
  | { type: 'counts'; id: number }
  /** Why the host does not rebuild stale results for now (see `ImportJobs.notRebuilt`), or null. */
  | { type: 'not-rebuilt'; reason: string | null }
  | { type: 'close' }

/** From the database worker to the host. */
export type BookReply =
  | { type: 'ready'; path: string; readOnly: boolean }
  | { type: 'failed'; error: ErrorBody }
  | { type: 'answer'; id: number; envelope: Envelope<unknown> }
  | { type: 'stale' }

/** The book behind a database worker: its requests, and what host-only handlers need of it. */
export interface BookThread extends BookAccess {
  answer(channel: BookChannel, request: unknown): Promise<Envelope<unknown>>
  notRebuilt(reason: string | null): void
  close(): Promise<void>
}

/** A request to the worker before it is numbered. */
type Ask =
  Exclude<BookRequest, { type: 'close' } | { type: 'not-rebuilt' }> extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never

/**
 * Starts the database worker over `dbPath`; resolves once the book is open (migrated, checked),
 * rejects with the reason it cannot be opened. A worker that stops answers every request still
 * waiting, and every later one, with an `internal` error.
 */
export function startBookThread(
  dbPath: string,
  setup: BookSetup,
  { checkAnswers, onStale }: { checkAnswers: boolean; onStale: () => void },
): Promise<BookThread> {
  const worker: Worker = startWorker('bookWorker', { dbPath, setup, checkAnswers } satisfies BookWorkerData)
  const waiting = new Map<number, (envelope: Envelope<unknown>) => void>()
  let nextId = 0
  let stopped: ErrorBody | null = null
  const stop = (error: ErrorBody): void => {
    stopped ??= error
    for (const settle of waiting.values()) settle({ ok: false, error })
    waiting.clear()
  }
  const ask = (message: Ask): Promise<Envelope<unknown>> => {
    if (stopped) return Promise.resolve({ ok: false, error: stopped })
    const id = nextId++
    return new Promise((resolve) => {
      waiting.set(id, resolve)
      worker.postMessage({ ...message, id })
    })
  }
  const unwrap = async <T>(envelope: Promise<Envelope<unknown>>): Promise<T> => {
    const answer = await envelope
    if (!answer.ok) throw AppError.revive(answer.error)
    return answer.data as T
  }
  return new Promise((resolve, reject) => {
    worker.on('message', (message: BookReply) => {
      switch (message.type) {
        case 'ready':
          resolve({
            path: message.path,
            readOnly: message.readOnly,
            answer: (channel, request) => ask({ type: 'request', channel, request }),
            notRebuilt: (reason) => worker.postMessage({ type: 'not-rebuilt', reason } satisfies BookRequest),
            backup: (target, { replace = false } = {}) => unwrap(ask({ type: 'backup', target, replace })),
            counts: () => unwrap(ask({ type: 'counts' })),
            close: () => {
              stop({ code: 'internal', message: 'the database is closed' })
              const exited = new Promise<void>((done) => worker.once('exit', () => done()))
              worker.postMessage({ type: 'close' } satisfies BookRequest)
              return exited
            },
          })
          break
        case 'failed':
          reject(AppError.revive(message.error))
          break
        case 'answer':
          waiting.get(message.id)?.(message.envelope)
          waiting.delete(message.id)
          break
        case 'stale':
          onStale()
          break
      }
    })
    worker.once('error', (error) => {
      const failure = asAppError(error, 'the database worker')
      console.error(`${failure.message}:`, error)
      stop(failure.toJSON())
      reject(failure)
    })
    worker.once('exit', () => stop({ code: 'internal', message: 'the database worker stopped' }))
  })
}

export interface HostedServices {
  /** Answers one request: host-only channels on this thread, every other in the database worker. */
  route: Route
  jobs: ImportJobs
  book: BookThread
  close(): Promise<void>
}

/**
 * The services as the desktop and web hosts serve them: the host's thread only routes. Host-only
 * channels (the contract's `hostOnly`) are answered here; every other request goes to the
 * database worker, which validates and answers it with the same `dispatch`. `adapt` lets a host
 * wrap its own handlers (the web host deletes uploads once used).
 */
export async function startServices(
  options: HostOptions & {
    dbPath: string
    checkAnswers: boolean
    adapt?: (handlers: Pick<Handlers, HostChannel>, jobs: ImportJobs) => Pick<Handlers, HostChannel>
  },
): Promise<HostedServices> {
  let jobs: ImportJobs | null = null
  const setup: BookSetup = { host: options.host, version: options.version, capabilities: capabilitiesOf(options) }
  const book = await startBookThread(options.dbPath, setup, { checkAnswers: options.checkAnswers, onStale: () => jobs?.refresh() })
  jobs = new ImportJobs(book.path, { startAhead: true })
  jobs.onNotRebuilt = (reason) => book.notRebuilt(reason)
  const ownJobs = jobs
  const host = hostHandlers(options, jobs, book)
  const handlers = (options.adapt ? options.adapt(host, jobs) : host) as Handlers
  const guards = bookGuards(jobs)
  const route: Route = async (channel, raw) => {
    if (!isChannel(channel) || contract[channel].hostOnly) return dispatch(handlers, channel, raw, { checkAnswers: options.checkAnswers })
    try {
      guards[channel as BookChannel]?.()
    } catch (error) {
      return { ok: false, error: asAppError(error, channel).toJSON() }
    }
    return book.answer(channel as BookChannel, raw)
  }
  return {
    route,
    jobs,
    book,
    close: async () => {
      ownJobs.cancelAll()
      await ownJobs.stopStartingAhead()
      await ownJobs.idle()
      await book.close()
    },
  }
}
