import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Handlers } from '../../shared/contract'
import { AppError, ERROR_CODES } from '../../shared/errors'
import { scratch } from '../testing/support'
import { dispatch } from './dispatch'

const handlersThrowing = (error: unknown): Handlers => ({ 'settings:get': () => Promise.reject(error) }) as unknown as Handlers

describe('one error model', () => {
  it('maps each code once to its HTTP status and CLI exit code', () => {
    const http = (code: keyof typeof ERROR_CODES) => ERROR_CODES[code].http
    expect([http('invalid_request'), http('not_found'), http('conflict'), http('unsupported'), http('busy'), http('internal')]).toEqual([
      400, 404, 409, 501, 503, 500,
    ])
    const internalOnly = Object.entries(ERROR_CODES).filter(([, m]) => m.exit === 2)
    expect(internalOnly.map(([code]) => code)).toEqual(['internal'])
  })

  it('crosses a transport as its envelope and comes back as the same class and code', () => {
    const sent = JSON.parse(JSON.stringify({ ok: false, error: new AppError('conflict', 'an import is running') }))
    expect(sent.error).toEqual({ code: 'conflict', message: 'an import is running' })
    const revived = AppError.revive(sent.error)
    expect(revived).toBeInstanceOf(AppError)
    expect(revived).toMatchObject({ code: 'conflict', message: 'an import is running', httpStatus: 409, exitCode: 1 })
    expect(AppError.revive({ code: 'no_such_code', message: 'odd' }).code).toBe('internal')
  })
})

describe('dispatch', () => {
  let tmp: ReturnType<typeof scratch>
  beforeAll(() => (tmp = scratch()))
  afterAll(() => tmp.cleanup())

  it('answers a refusal with its own code and message', async () => {
    const envelope = await dispatch(handlersThrowing(new AppError('unsupported', 'desktop only')), 'settings:get', {})
    expect(envelope).toEqual({ ok: false, error: { code: 'unsupported', message: 'desktop only' } })
  })

  it('answers a database locked by another writer as busy, not as a bug', async () => {
    const file = tmp.file('locked.sqlite')
    const holder = new Database(file)
    holder.exec('CREATE TABLE t (x); BEGIN IMMEDIATE; INSERT INTO t VALUES (1)')
    const other = new Database(file, { timeout: 0 })
    const locked = (() => {
      try {
        other.exec('BEGIN IMMEDIATE')
      } catch (error) {
        return error
      }
    })()
    holder.close()
    other.close()
    const envelope = await dispatch(handlersThrowing(locked), 'settings:get', {})
    expect(envelope).toMatchObject({ ok: false, error: { code: 'busy', message: expect.stringMatching(/busy.*try again/) } })
  })

  it('answers anything else as internal, with the message but never the stack', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const envelope = await dispatch(handlersThrowing(new TypeError('x is not a function')), 'settings:get', {})
    expect(envelope).toEqual({ ok: false, error: { code: 'internal', message: 'settings:get failed: x is not a function' } })
    expect(log).toHaveBeenCalledOnce() // the stack goes to the log instead
    log.mockRestore()
  })

  it('refuses an unknown channel and an invalid request', async () => {
    expect(await dispatch(handlersThrowing(null), 'nope:nope', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
    expect(await dispatch(handlersThrowing(null), 'settings:get', { extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    })
  })

  it('refuses a threshold out of range naming the range, as the CLI and Settings do (issue #22 point 6)', async () => {
    const envelope = await dispatch(handlersThrowing(null), 'settings:update', { thresholds: { auto_cancel_after: 13 } })
    expect(envelope).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/auto_cancel_after: must be a whole number from 2 to 12/) },
    })
  })
})
