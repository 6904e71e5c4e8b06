import { startWorker } from '../workers'
import { MappingNeededError, type MappingChoice, type ParsedBatch, type ParseOutcome } from './parse'
import type { ImportClock } from './records'
import { FileFormatError } from './source'
import { JsonFormatError } from './split'

/** What a parse worker is given. */
export interface ParseJob {
  file: string
  choice: MappingChoice
  clock: ImportClock
}

/** Batches parsed ahead of the writer: enough to keep both threads busy, few enough to bound memory. */
export const IN_FLIGHT = 4

export type ParseMessage =
  | { type: 'batch'; batch: ParsedBatch }
  | { type: 'done'; outcome: ParseOutcome }
  | {
      type: 'error'
      message: string
      byte: number | null
      code: string | null
      /** A `FileFormatError`: the message says where. */
      format: boolean
      mapping: { format: string; missing: string[]; columns: string[] } | null
    }

/** The parse worker's error as the writer reports it: a format error keeps its byte, I/O its code. */
function asError(message: Extract<ParseMessage, { type: 'error' }>): Error {
  if (message.byte !== null) return new JsonFormatError(message.message, message.byte)
  if (message.mapping) return new MappingNeededError(message.mapping.format, message.mapping.missing, message.mapping.columns)
  if (message.format) return new FileFormatError(message.message)
  return Object.assign(new Error(message.message), message.code ? { code: message.code } : {})
}

/**
 * The parsed batches of `file`, produced by a parse worker thread while the caller writes the
 * previous ones; returns its SHA-256 and what was learnt of its columns. Stopping early (an error, a cancel) ends the
 * worker; `signal` stops the wait for the next batch at once (the parse of one batch may take long).
 */
export async function* parsedBatches(job: ParseJob, signal?: AbortSignal): AsyncGenerator<ParsedBatch, ParseOutcome, undefined> {
  const worker = startWorker('parseWorker', job)
  const inbox: ParseMessage[] = []
  let failure: Error | null = null
  let wake: (() => void) | null = null
  const notify = (): void => {
    wake?.()
    wake = null
  }
  worker.on('message', (message: ParseMessage) => {
    inbox.push(message)
    notify()
  })
  worker.on('error', (error) => {
    failure = error
    notify()
  })
  worker.on('exit', (code) => {
    failure ??= new Error(`the parser stopped unexpectedly (exit code ${code})`)
    notify()
  })
  const onAbort = (): void => {
    failure ??= new Error('cancelled')
    notify()
  }
  signal?.addEventListener('abort', onAbort)
  try {
    for (;;) {
      while (inbox.length === 0 && failure === null && !signal?.aborted) await new Promise<void>((resolve) => (wake = resolve))
      if (signal?.aborted) throw new Error('cancelled')
      const message = inbox.shift()
      if (!message) throw failure!
      if (message.type === 'done') return message.outcome
      if (message.type === 'error') throw asError(message)
      worker.postMessage({ credit: 1 })
      yield message.batch
    }
  } finally {
    signal?.removeEventListener('abort', onAbort)
    void worker.terminate()
  }
}
