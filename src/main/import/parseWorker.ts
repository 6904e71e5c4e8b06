/** Worker thread: parses one export (its job's `file`) and posts its batches to the writer. */
import { parentPort } from 'node:worker_threads'
import { MappingNeededError, parseFile } from './parse'
import { FileFormatError } from './source'
import { IN_FLIGHT, type ParseJob, type ParseMessage } from './parsedBatches'
import { JsonFormatError } from './split'
import { workerJob } from '../workers'

const port = parentPort!
let credits = IN_FLIGHT
let wake: (() => void) | null = null
// The writer hands back one credit per batch it takes, so at most IN_FLIGHT batches wait in memory.
port.on('message', (message: { credit?: number }) => {
  if (message.credit === undefined) return // the job (see `workerJob`)
  credits += message.credit
  wake?.()
  wake = null
})

const post = (message: ParseMessage): void => port.postMessage(message)

async function run(): Promise<void> {
  try {
    const { file, choice, clock } = await workerJob<ParseJob>()
    const batches = parseFile(file, choice, clock)
    for (let next = await batches.next(); ; next = await batches.next()) {
      if (next.done) {
        post({ type: 'done', outcome: next.value })
        return
      }
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve))
      credits--
      post({ type: 'batch', batch: next.value })
    }
  } catch (error) {
    post({
      type: 'error',
      message: (error as Error).message,
      byte: error instanceof JsonFormatError ? error.byte : null,
      code: (error as NodeJS.ErrnoException).code ?? null,
      format: error instanceof FileFormatError,
      mapping:
        error instanceof MappingNeededError ? { format: error.format, missing: [...error.missing], columns: [...error.columns] } : null,
    })
  }
}

void run()
