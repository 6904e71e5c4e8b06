import { z } from 'zod'
import type { Channel } from './channels'
import type { AppInfo, ImportJob, ImportReport, ImportSummary } from './types'

/**
 * The IPC contract: for each channel, the zod schema every request is validated against in main,
 * and the type of its answer. Both Electron IPC and the web host serve exactly this.
 */

const jobId = z.string().min(1).max(64)

export const importSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
  z.object({ kind: z.literal('upload'), uploadId: z.string().min(1).max(64) }),
  z.object({ kind: z.literal('sample') }),
])
export type ImportSource = z.infer<typeof importSource>

const empty = z.object({}).strict()

/** `channel<Answer>()(requestSchema)`: the answer type is only a type, the schema is checked at run time. */
const channel =
  <R>() =>
  <S extends z.ZodType>(request: S) => ({ request, response: undefined as unknown as R })

export const contract = {
  'app:info': channel<AppInfo>()(empty),
  'import:start': channel<ImportJob>()(z.object({ sources: z.array(importSource).min(1).max(100) }).strict()),
  'import:status': channel<ImportJob>()(z.object({ jobId }).strict()),
  'import:cancel': channel<ImportJob>()(z.object({ jobId }).strict()),
  'import:list': channel<ImportSummary[]>()(empty),
  'import:report': channel<ImportReport>()(z.object({ importId: z.number().int().positive() }).strict()),
  /** Electron only: the native open dialog; the web host answers `unsupported`. */
  'dialog:openExport': channel<{ paths: string[] }>()(empty),
} satisfies Record<Channel, { request: z.ZodType; response: unknown }>

export type Contract = typeof contract
export type RequestOf<C extends Channel> = z.infer<Contract[C]['request']>
export type ResponseOf<C extends Channel> = Contract[C]['response']

/** One function per channel: what each host calls after validating a request. */
export type Handlers = { [C in Channel]: (request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>> }

/** A request that failed validation or a handler's refusal, with a message for the user. */
export class RequestError extends Error {
  constructor(
    readonly code: 'invalid_request' | 'not_found' | 'unsupported' | 'conflict' | 'import_failed',
    message: string,
  ) {
    super(message)
  }
}

/** Validates `raw` against the channel's schema; throws a `RequestError` naming the first problem. */
export function parseRequest<C extends Channel>(name: C, raw: unknown): RequestOf<C> {
  const result = contract[name].request.safeParse(raw ?? {})
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    throw new RequestError('invalid_request', `invalid ${name} request${where}: ${issue.message}`)
  }
  return result.data as RequestOf<C>
}
