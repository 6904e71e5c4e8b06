import { SqliteError } from 'better-sqlite3'
import { isChannel, type Channel, type Envelope } from '../../shared/channels'
import { contract, parseRequest, type Handlers } from '../../shared/contract'
import { AppError } from '../../shared/errors'
import { readOnlyError } from '../db/open'

/**
 * Any failure as the app's error: an `AppError` as it is, a lock held by another writer as `busy`,
 * anything else as `internal` (the original, with its stack, kept as the `cause`).
 */
export function asAppError(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error
  if (error instanceof SqliteError && error.code.startsWith('SQLITE_READONLY')) {
    return readOnlyError(what, error)
  }
  if (error instanceof SqliteError && error.code.startsWith('SQLITE_BUSY')) {
    return new AppError('busy', `${what}: the database is busy with another task; try again in a moment`, { cause: error })
  }
  return new AppError('internal', `${what} failed: ${(error as Error).message}`, { cause: error })
}

/**
 * Whether `dispatch` checks every answer against the contract's answer schema: under tests and in
 * development (any `NODE_ENV` but `production`) unless `PARTNER_DASHBOARD_CHECK_ANSWERS=0`, or
 * whenever `PARTNER_DASHBOARD_CHECK_ANSWERS=1` asks for it. The packaged desktop app never checks
 * (its IPC passes `checkAnswers: false`).
 */
export const checksAnswers = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env.PARTNER_DASHBOARD_CHECK_ANSWERS === '1' || (env.PARTNER_DASHBOARD_CHECK_ANSWERS !== '0' && env.NODE_ENV !== 'production')

/** Throws an `internal` error naming the first place where `answer` is not what `channel` promises. */
export function checkAnswer(channel: Channel, answer: unknown): void {
  const result = contract[channel].response.safeParse(answer)
  if (result.success) return
  const issue = result.error.issues[0]
  const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
  throw new AppError('internal', `${channel} answered outside the contract${where}: ${issue.message}`)
}

/** Answers one request, whichever its channel: what every host hands its transport. */
export type Route = (channel: unknown, raw: unknown) => Promise<Envelope<unknown>>

/** Every channel answered on this thread by `handlers`. */
export const inThread =
  (handlers: Partial<Handlers>, options: DispatchOptions = {}): Route =>
  (channel, raw) =>
    dispatch(handlers, channel, raw, options)

export interface DispatchOptions {
  /** Check every answer against the contract (default: `checksAnswers()`). */
  checkAnswers?: boolean
  /** Log an `internal` failure with its stack (default: true; the CLI prints the one-line message itself). */
  logInternal?: boolean
}

/**
 * Validates one request against the contract and runs its handler, answering with an envelope
 * whatever happens: hosts never let an exception (or its stack) reach the other side. Under
 * tests and in development the answer is checked against the contract too (`checksAnswers`).
 */
export async function dispatch(
  handlers: Partial<Handlers>,
  channel: unknown,
  raw: unknown,
  options: DispatchOptions = {},
): Promise<Envelope<unknown>> {
  try {
    if (!isChannel(channel)) throw new AppError('unknown_channel', `unknown request ${String(channel).slice(0, 64)}`)
    const request = parseRequest(channel, raw)
    const handler = handlers[channel] as ((request: unknown) => unknown) | undefined
    if (!handler) throw new AppError('unsupported', `${channel} is not answered here`)
    const data = await handler(request)
    if (options.checkAnswers ?? checksAnswers()) checkAnswer(channel, data)
    return { ok: true, data }
  } catch (error) {
    const failure = asAppError(error, String(channel).slice(0, 64))
    if (failure.code === 'internal' && (options.logInternal ?? true)) console.error(`${failure.message}:`, error)
    return { ok: false, error: failure.toJSON() }
  }
}
