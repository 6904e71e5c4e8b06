import type { Handlers, RequestOf } from '../../../shared/contract'
import type { ImportJobs } from '../../services/imports'
import type { TempFiles } from './tempFiles'
import { AppError } from '../../../shared/errors'

const uploadIds = (sources: RequestOf<'import:start'>['sources']): string[] =>
  sources.flatMap((source) => (source.kind === 'upload' ? [source.upload_id] : []))

/** How often the host looks whether an import that uses uploads has ended. */
const JOB_POLL_MS = 250

/**
 * The services as the web host serves them: imports read uploaded files only (a browser has no
 * business naming files on the server, and an answer must not tell whether one exists), and an
 * upload is deleted as soon as the import or restore that used it ends.
 */
export function webHandlers<H extends Pick<Handlers, 'import:start' | 'data:restore'>>(
  handlers: H,
  jobs: Pick<ImportJobs, 'status'>,
  temp: TempFiles,
): H {
  const discard = (ids: readonly string[]): void => ids.forEach((id) => temp.discardUpload(id))
  const whenJobEnds = (jobId: string, then: () => void): void => {
    const timer = setInterval(() => {
      if (jobs.status(jobId).state === 'running') return
      clearInterval(timer)
      then()
    }, JOB_POLL_MS)
    timer.unref()
  }
  return {
    ...handlers,
    'import:start': async (request) => {
      if (request.sources.some((source) => source.kind === 'path')) {
        throw new AppError('unsupported', 'the web host imports only files sent from this page: pick or drop the export')
      }
      const ids = uploadIds(request.sources)
      try {
        const job = await handlers['import:start'](request)
        whenJobEnds(job.job_id, () => discard(ids))
        return job
      } catch (error) {
        discard(ids)
        throw error
      }
    },
    'data:restore': async (request) => {
      try {
        return await handlers['data:restore'](request)
      } finally {
        if (request.source.kind === 'upload') discard([request.source.upload_id])
      }
    },
  }
}
