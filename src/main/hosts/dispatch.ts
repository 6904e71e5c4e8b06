import { isChannel, type Envelope } from '../../shared/channels'
import { parseRequest, RequestError, type Handlers } from '../../shared/contract'

/**
 * Validates one request against the contract and runs its handler, answering with an envelope
 * whatever happens: hosts never let an exception (or its stack) reach the other side.
 */
export async function dispatch(handlers: Handlers, channel: unknown, raw: unknown): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'unknown_channel', message: `unknown request ${String(channel).slice(0, 64)}` } }
  }
  try {
    const request = parseRequest(channel, raw)
    const handler = handlers[channel] as (request: unknown) => unknown
    return { ok: true, data: await handler(request) }
  } catch (error) {
    if (error instanceof RequestError) return { ok: false, error: { code: error.code, message: error.message } }
    console.error(`${channel} failed:`, error)
    return { ok: false, error: { code: 'internal', message: `${channel} failed: ${(error as Error).message}` } }
  }
}
