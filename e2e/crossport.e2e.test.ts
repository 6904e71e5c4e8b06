import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { CHROMIUM, launchChromium, startWebHost, type WebHost } from './support'

const haveChromium = fs.existsSync(CHROMIUM)
if (!haveChromium) console.warn(`skipping browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium)`)

/**
 * Another site on this machine: a page served from another port of 127.0.0.1 that, once opened in
 * the advisor's browser, tries everything it can against the web host. Every request it receives
 * is kept, to show the token never reaches it.
 */
async function startOtherSite(victim: string): Promise<{ url: string; received: http.IncomingHttpHeaders[]; close(): Promise<void> }> {
  const received: http.IncomingHttpHeaders[] = []
  const script = `
    const victim = ${JSON.stringify(victim)}
    const attempt = async (what, run) => {
      try { const res = await run(); return what + ': ' + (res.type === 'opaque' ? 'opaque' : res.status) }
      catch (error) { return what + ': ' + error.name }
    }
    const post = (channel, body, init = {}) =>
      fetch(victim + '/api/' + channel, { method: 'POST', credentials: 'include', body: JSON.stringify(body), ...init })
    window.attack = async () => [
      await attempt('clear', () => post('data:clear', { confirm: true }, { mode: 'no-cors' })),
      await attempt('clear with a text body', () =>
        post('data:clear', { confirm: true }, { mode: 'no-cors', headers: { 'Content-Type': 'text/plain' } })),
      await attempt('settings', () =>
        post('settings:update', { thresholds: { min_failed_amount: 1 }, as_of_mode: 'today' }, { mode: 'no-cors' })),
      await attempt('import a path', () => post('import:start', { sources: [{ kind: 'path', path: '/etc/passwd' }] }, { mode: 'no-cors' })),
      await attempt('import the sample', () => post('import:start', { sources: [{ kind: 'sample' }] }, { mode: 'no-cors' })),
      await attempt('upload', () =>
        fetch(victim + '/upload?name=x.json', { method: 'PUT', mode: 'no-cors', credentials: 'include', body: '[]' })),
      await attempt('read the book', () => post('app:info', {}, { mode: 'cors' })),
      await attempt('read the page', () => fetch(victim + '/', { credentials: 'include' })),
    ]`
  const server = http.createServer((req, res) => {
    received.push(req.headers)
    res.writeHead(200, { 'Content-Type': req.url === '/attack.js' ? 'text/javascript' : 'text/html' })
    res.end(req.url === '/attack.js' ? script : '<!doctype html><title>cat pictures</title><script src="/attack.js"></script>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

describe.skipIf(!haveChromium)('the web host against a page on another port of 127.0.0.1', () => {
  let host: WebHost
  let browser: Browser
  let context: BrowserContext
  let page: Page

  const api = <T>(channel: string, request: object = {}): Promise<T> =>
    page.evaluate(
      async ([c, r, token]) => {
        const res = await fetch(`api/${c}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(r) })
        return ((await res.json()) as { data: unknown }).data
      },
      [channel, request, host.token] as const,
    ) as Promise<T>

  beforeAll(async () => {
    host = await startWebHost()
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-IN' })
    page = await context.newPage()
    page.on('pageerror', (error) => console.error('page error:', error.message))
    await page.goto(host.url)
    await page.getByRole('button', { name: 'Try sample data' }).click()
    await page.getByText('Import finished').waitFor({ timeout: 60_000 })
    await page.getByRole('button', { name: 'Done' }).click()
    await page.getByTestId('queue-size').waitFor() // Today, the first screen once a book exists
  })
  afterAll(async () => {
    await browser?.close()
    await host?.stop()
  })

  it('drops the token from the address bar and keeps working after a reload', async () => {
    expect(page.url()).not.toContain('token=')
    expect(await page.evaluate('document.cookie')).toBe('')
    expect((await context.cookies()).map((c) => c.name)).toEqual([])
    await page.reload()
    await page.getByTestId('queue-size').waitFor()
    expect(page.url()).not.toContain('token=')
  })

  it('cannot clear the book, change settings or import from another port, and never sees the token', async () => {
    const before = {
      info: await api<{ sip_count: number; import_count: number }>('app:info'),
      settings: await api<unknown>('settings:get'),
      imports: await api<unknown[]>('import:list'),
    }
    expect(before.info.sip_count).toBeGreaterThan(0)

    const other = await startOtherSite(host.url.replace(/\/\?.*$/, ''))
    try {
      const attacker = await context.newPage()
      await attacker.goto(other.url)
      const outcomes = await attacker.evaluate('window.attack()')
      // no-cors answers are opaque whatever happened (the effects are checked below); a PUT cannot be
      // sent without CORS at all, and the requests whose answers could be read are refused by CORS.
      expect(outcomes).toEqual([
        'clear: opaque',
        'clear with a text body: opaque',
        'settings: opaque',
        'import a path: opaque',
        'import the sample: opaque',
        'upload: TypeError',
        'read the book: TypeError',
        'read the page: TypeError',
      ])
      await attacker.close()
      const headers = JSON.stringify(other.received)
      expect(other.received.length).toBeGreaterThanOrEqual(2)
      expect(headers).not.toContain(host.token)
    } finally {
      await other.close()
    }

    expect(await api('settings:get')).toEqual(before.settings)
    // Imports run one at a time: once an import of our own has ended, one the attack had started
    // has ended too (or ours is refused). Ours brings the sample's imports once more; the attack's would double them.
    const job = await api<{ job_id: string; state: string }>('import:start', { sources: [{ kind: 'sample' }] })
    expect(job).toMatchObject({ state: 'running' })
    await expect.poll(async () => (await api<{ state: string }>('import:status', { job_id: job.job_id })).state).toBe('done')
    expect(await api<unknown[]>('import:list')).toHaveLength(2 * before.imports.length)
    expect(await api('app:info')).toMatchObject({ sip_count: before.info.sip_count })
    expect(await api('settings:get')).toEqual(before.settings)
  })

  it('takes a fresh ?token= over the one a page kept from a host that has stopped', async () => {
    const port = Number(new URL(host.url).port)
    await host.stop()
    host = await startWebHost({ port })
    expect(host.url).toContain(`:${port}/`)
    await page.goto(host.url)
    await page.getByTestId('empty-state').waitFor()
    expect(await api<{ sip_count: number }>('app:info')).toMatchObject({ sip_count: 0 })
    expect(page.url()).not.toContain('token=')
  })
})
