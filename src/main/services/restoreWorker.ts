/**
 * Worker thread: one restore (see `restoreInto` in `backup.ts`), off the host's thread and under
 * its time limit. Answers how it ended with one `RestoreMessage`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { restoreFromStaging, type RestoreJob, type RestoreMessage } from './backup'
import { AppError } from '../../shared/errors'

const job = workerData as RestoreJob
const post = (message: RestoreMessage): void => parentPort!.postMessage(message)

try {
  post({ type: 'done', ...restoreFromStaging(job, () => post({ type: 'replacing' })) })
} catch (error) {
  post({
    type: 'refused',
    message: error instanceof AppError ? error.message : `${job.label}: the restore failed (${(error as Error).message})`,
  })
}
