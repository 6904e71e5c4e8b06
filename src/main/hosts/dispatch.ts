import { SqliteError } from 'better-sqlite3'
import { isChannel, type Envelope } from '../../shared/channels'
import { parseRequest, type Handlers } from '../../shared/contract'
import { AppError } from '../../shared/errors'

/**
 * Any failure as the app's error: an `AppError` as it is, a lock held by another writer as `busy`,
 * anything else as `internal` (the original, with its stack, kept as the `cause`).
 */
export function asAppError(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error
  if (error instanceof SqliteError && error.code.startsWith('SQLITE_BUSY')) {
    return new AppError('busy', `${what}: the database is busy with another task; try again in a moment`, { cause: error })
  }
  return new AppError('internal', `${what} failed: ${(error as Error).message}`, { cause: error })
}

/**
 * Validates one request against the contract and runs its handler, answering with an envelope
 * whatever happens: hosts never let an exception (or its stack) reach the other side.
 */
export async function dispatch(handlers: Handlers, channel: unknown, raw: unknown): Promise<Envelope<unknown>> {
  try {
    if (!isChannel(channel)) throw new AppError('unknown_channel', `unknown request ${String(channel).slice(0, 64)}`)
    const request = parseRequest(channel, raw)
    const handler = handlers[channel] as (request: unknown) => unknown
    return { ok: true, data: await handler(request) }
  } catch (error) {
    const failure = asAppError(error, String(channel).slice(0, 64))
    if (failure.code === 'internal') console.error(`${failure.message}:`, error)
    return { ok: false, error: failure.toJSON() }
  }
}
