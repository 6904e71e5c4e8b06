import { describe, expect, it, vi } from 'vitest'
import { dispatch } from './dispatch'
import { freshDbEachTest } from '../testing/support'
import { createServices } from '../services'

const ctx = freshDbEachTest()

const services = (openExternal?: (url: string) => Promise<void>) =>
  createServices({ db: ctx.db, host: 'electron', version: '0', resourcesDir: ctx.tmp.dir, ...(openExternal ? { openExternal } : {}) })
    .handlers

describe('app:openExternal', () => {
  it('hands only mailto: and https://wa.me/ links to the system', async () => {
    const open = vi.fn((_url: string) => Promise.resolve())
    const handlers = services(open)
    const allowed = ['mailto:a%40b.in?subject=SIP&body=Hello', 'https://wa.me/919812345678?text=Hello%20there']
    for (const url of allowed) expect(await dispatch(handlers, 'app:openExternal', { url })).toEqual({ ok: true, data: { opened: true } })
    const refused = [
      'https://example.com/',
      'http://wa.me/919812345678',
      'https://wa.me.evil.example/91',
      'https://x@wa.me/91',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'wa.me/91',
      // SPEC §5 rev 3: a wa.me link only for a valid mobile number.
      'https://wa.me/00000000?text=Hi',
      'https://wa.me/9198765?text=Hi',
      'https://wa.me/915555555555?text=Hi',
      `https://wa.me/${'9'.repeat(25)}?text=Hi`,
      'https://wa.me/javascript:alert(1)//9876543210',
    ]
    for (const url of refused) {
      const answer = await dispatch(handlers, 'app:openExternal', { url })
      expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    }
    expect(open.mock.calls.map(([url]) => url)).toEqual(allowed)
  })

  it('answers unsupported on a host that opens no links', async () => {
    const answer = await dispatch(services(), 'app:openExternal', { url: 'https://wa.me/919812345678' })
    expect(answer).toMatchObject({ ok: false, error: { code: 'unsupported' } })
  })
})
