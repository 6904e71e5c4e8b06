import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Db } from '../db/open'
import { createServices, SAMPLE_FILES } from '../services'
import { importFiles } from '../services/imports'
import { scratch, tempDb } from '../testing/support'
import type { Handlers } from '../../shared/contract'
import type { Channel } from '../../shared/channels'
import { checkAnswer, checksAnswers, dispatch } from './dispatch'

const resources = path.resolve(__dirname, '../../../resources')

describe('the contract describes answers', () => {
  let tmp: ReturnType<typeof scratch>
  let db: Db
  let handlers: Handlers
  beforeAll(async () => {
    tmp = scratch()
    db = tempDb(tmp.dir)
    for (const names of SAMPLE_FILES) {
      await importFiles(
        db.path,
        names.map((name) => ({ path: path.join(resources, 'sample', name), name })),
      )
    }
    handlers = createServices({ db, host: 'web', version: '0', resourcesDir: resources }).handlers
  }, 120_000)
  afterAll(() => {
    db.close()
    tmp.cleanup()
  })

  const ok = async (channel: Channel, request: unknown = {}) => {
    const answer = await dispatch(handlers, channel, request, { checkAnswers: true })
    if (!answer.ok) throw new Error(`${channel}: ${answer.error.message}`)
    return answer.data as never
  }

  it('checks answers under tests and in development, not in production unless asked', () => {
    expect(checksAnswers({ NODE_ENV: 'test' })).toBe(true)
    expect(checksAnswers({})).toBe(true)
    expect(checksAnswers({ NODE_ENV: 'production' })).toBe(false)
    expect(checksAnswers({ NODE_ENV: 'production', PARTNER_DASHBOARD_CHECK_ANSWERS: '1' })).toBe(true)
    expect(checksAnswers({ NODE_ENV: 'development', PARTNER_DASHBOARD_CHECK_ANSWERS: '0' })).toBe(false)
  })

  it('every channel of a real book answers inside the contract', async () => {
    await ok('app:info')
    await ok('app:takeOpenedFiles')
    await ok('settings:get')
    await ok('stats:get')
    await ok('agents:list')
    const imports: { import_id: number; files: { import_id: number }[] }[] = await ok('import:list')
    await ok('import:report', { import_id: imports[0].files[0].import_id })
    await ok('changes:get', {})
    await ok('changes:get', { last_export: true, limit: 5 })
    await ok('results:get', {})
    await ok('results:get', { agent: 'nobody', from: '2025-01-01', to: '2026-12-31' })
    const list: { rows: { type: string; user_id: string; agent_external_id: string | null }[] } = await ok('opportunities:list', {
      states: ['open', 'contacted', 'converted', 'dismissed'],
      show_snoozed: true,
      limit: 1000,
    })
    for (const type of ['auto_cancel_risk', 'sip_ending', 'no_sip_increase', 'failed_sips', 'high_value_inactive']) {
      await ok('opportunities:list', { type, limit: 50 })
    }
    const today: { rows: { user_id: string; agent_external_id: string | null }[] } = await ok('today:list', { limit: 200 })
    const first = list.rows[0]
    await ok('followup:update', {
      type: first.type,
      user_id: first.user_id,
      agent_external_id: first.agent_external_id,
      state: 'contacted',
      note: 'n',
    })
    const caller = today.rows[0]
    await ok('calls:nextDates', { user_id: caller.user_id, agent_external_id: caller.agent_external_id })
    await ok('calls:log', { user_id: caller.user_id, agent_external_id: caller.agent_external_id, outcome: 'reached', note: 'ok' })
    await ok('client:get', { user_id: caller.user_id, agent_external_id: caller.agent_external_id })
    await ok('client:get', { user_id: first.user_id })
    await ok('clients:search', { query: first.user_id.slice(0, 4) })
    await ok('settings:update', { thresholds: { min_months_running: 12 }, advisor: { name: 'A' } })
    await ok('import:undo', { confirm: true })
  }, 120_000)

  it('a handler answering the wrong shape fails loudly in dispatch, naming where', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const wrong = {
      ...handlers,
      'stats:get': async () => ({ ...(await handlers['stats:get']({})), total_opportunities: '12' }),
    } as unknown as Handlers
    expect(await dispatch(wrong, 'stats:get', {}, { checkAnswers: true })).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: expect.stringMatching(/^stats:get answered outside the contract at total_opportunities: .*number/),
      },
    })
    const extra = { ...handlers, 'settings:get': () => ({ ...handlers['settings:get']({}), secret: 1 }) } as Handlers
    expect(await dispatch(extra, 'settings:get', {}, { checkAnswers: true })).toMatchObject({ ok: false, error: { code: 'internal' } })
    // Not checked when told not to (the packaged app).
    expect(await dispatch(wrong, 'stats:get', {}, { checkAnswers: false })).toMatchObject({ ok: true })
    expect(() => checkAnswer('data:clear', { cleared: false })).toThrow(/data:clear answered outside the contract at cleared/)
    log.mockRestore()
  })
})
