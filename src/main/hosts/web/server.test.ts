import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Db } from '../../db/open'
import { startServices, type HostedServices } from '../bookThread'
import { finishedJob, generatedExport, scratch, tempDb } from '../../testing/support'
import type { ImportJob } from '../../../shared/types'
import { createWebServer, newToken, TOKEN_META } from './server'
import { backupAsDownload } from './downloads'
import { TempFiles } from './tempFiles'
import { webHandlers } from './handlers'

let tmp: ReturnType<typeof scratch>
let db: Db
let services: HostedServices
let temp: TempFiles
let server: http.Server
let port: number
const token = newToken()

interface Answer {
  status: number
  body: string
  raw: Buffer
  headers: http.IncomingHttpHeaders
}

/** A raw HTTP request, so every header and the body can be anything. */
function request(
  method: string,
  target: string,
  options: { host?: string; auth?: string | null; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: options.host ?? `127.0.0.1:${port}`, ...options.headers }
    if (options.auth !== null) headers.authorization = `Bearer ${options.auth ?? token}`
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const raw = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, body: raw.toString(), raw, headers: res.headers })
      })
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

const api = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  request('POST', `/api/${channel}`, { body: JSON.stringify(body), headers })
const upload = async (name: string, body: Buffer | string): Promise<string> =>
  JSON.parse((await request('PUT', `/upload?name=${name}`, { body })).body).data.upload_id as string
const tempFiles = (): string[] => fs.readdirSync(temp.dir)

const finished = (jobId: string): Promise<ImportJob> =>
  finishedJob(async () => (JSON.parse((await api('import:status', { job_id: jobId })).body) as { data: ImportJob }).data)

/**
 * 200 pages of 1,000 from another thread, as from another program, over 50 connections; then
 * app:info (on a connection of its own) as soon as the first page is back. Answers are listed in
 * the order they arrive.
 */
function flood(target: number): Promise<string[]> {
  const worker = new Worker(
    `const http = require('node:http')
       const { parentPort, workerData: { port, token } } = require('node:worker_threads')
       const flood = new http.Agent({ keepAlive: true, maxSockets: 50 })
       const order = []
       const send = (channel, body, agent = flood) => new Promise((resolve) => {
         const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/' + channel, agent,
           headers: { host: '127.0.0.1:' + port, authorization: 'Bearer ' + token } }, (res) => {
           res.resume()
           res.on('end', () => { order.push(channel + ':' + res.statusCode); resolve() })
         })
         req.end(JSON.stringify(body))
       })
       let info
       const pages = Array.from({ length: 200 }, () => send('opportunities:list', { limit: 1000 }).then(() => (info ??= send('app:info', {}, new http.Agent()))))
       Promise.all(pages).then(() => info).then(() => { flood.destroy(); parentPort.postMessage(order) })`,
    { eval: true, workerData: { port: target, token } },
  )
  return new Promise((resolve) => worker.once('message', resolve))
}

beforeAll(async () => {
  tmp = scratch()
  db = tempDb(tmp.dir)
  fs.mkdirSync(tmp.file('static'))
  fs.writeFileSync(tmp.file('static/index.html'), '<!doctype html><html><head><title>app</title></head><body></body></html>')
  fs.writeFileSync(tmp.file('static/app.js'), 'console.log(1)')
  temp = new TempFiles({ root: tmp.dir })
  // The web host as it runs: the server's thread routes, the database worker answers.
  services = await startServices({
    dbPath: db.path,
    checkAnswers: true,
    host: 'web',
    version: '0.0.0',
    resourcesDir: tmp.dir,
    resolveUpload: (id) => temp.upload(id),
    saveBackup: backupAsDownload(db.path, temp),
    adapt: (handlers, jobs) => webHandlers(handlers, jobs, temp),
  })
  server = createWebServer({
    route: services.route,
    staticDir: tmp.file('static'),
    token,
    temp,
    maxBodyBytes: 1024,
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await services.close()
  db.close()
  temp.dispose()
  tmp.cleanup()
})

describe('web host: who may call', () => {
  it('answers contract requests with an envelope, without CORS headers', async () => {
    const res = await api('app:info', {})
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, data: { host: 'web', sip_count: 0 } })
    // A browser has no native dialogs, PDF saving, system links or launch files: the page offers its own ways.
    expect(JSON.parse(res.body).data.capabilities).toEqual({
      open_dialogs: false,
      save_pdf: false,
      open_external: false,
      launch_files: false,
    })
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('takes the token only from an Authorization header: not from a cookie, nor the address', async () => {
    expect((await request('POST', '/api/app:info', { auth: null, body: '{}' })).status).toBe(401)
    expect((await request('POST', '/api/app:info', { auth: 'x', body: '{}' })).status).toBe(401)
    expect((await request('POST', '/api/app:info', { auth: null, body: '{}', headers: { cookie: `pd_token=${token}` } })).status).toBe(401)
    expect((await request('POST', `/api/app:info?token=${token}`, { auth: null, body: '{}' })).status).toBe(401)
    expect((await request('PUT', '/upload?name=a.json', { auth: null, body: '[]' })).status).toBe(401)
    const cleared = await request('POST', '/api/data:clear', {
      auth: null,
      body: '{"confirm":true}',
      headers: { cookie: `pd_token=${token}` },
    })
    expect(JSON.parse(cleared.body).error.code).toBe('unauthorized')
  })

  it('puts the token in the page served for the printed address only, and never sets a cookie', async () => {
    const page = await request('GET', `/?token=${token}`, { auth: null })
    expect(page.status).toBe(200)
    expect(page.body).toContain(`<meta name="${TOKEN_META}" content="${token}" />`)
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/)
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    expect(page.headers['set-cookie']).toBeUndefined()
    // A reload after the page dropped the token from the address: the app, without a token in it.
    const reload = await request('GET', '/settings', { auth: null })
    expect(reload.status).toBe(200)
    expect(reload.body).not.toContain(TOKEN_META)
    expect((await request('GET', '/app.js', { auth: null })).body).toBe('console.log(1)')
    expect((await request('GET', '/?token=wrong', { auth: null })).status).toBe(401)
  })

  it('refuses requests from another origin, even with the right token', async () => {
    const other = `http://127.0.0.1:${port + 1}`
    for (const headers of <Record<string, string>[]>[
      { origin: other },
      { origin: 'null' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
    ]) {
      const res = await api('data:clear', { confirm: true }, headers)
      expect(res.status).toBe(403)
      expect(JSON.parse(res.body).error.code).toBe('cross_origin')
    }
    expect((await request('GET', `/?token=${token}`, { auth: null, headers: { 'sec-fetch-site': 'same-site' } })).status).toBe(403)
    expect((await api('app:info', {}, { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' })).status).toBe(200)
    expect((await request('GET', `/?token=${token}`, { auth: null, headers: { 'sec-fetch-site': 'none' } })).status).toBe(200)
  })

  it('refuses another Host header (DNS rebinding)', async () => {
    expect((await request('POST', '/api/app:info', { host: `evil.example:${port}`, body: '{}' })).status).toBe(421)
  })

  it('answers a malformed address with 400, without a stack in the log', async () => {
    const log = vi.spyOn(console, 'error')
    for (const target of ['/%E0%A4%A', '/api/app%3Ainfo%', '/download/%ZZ']) {
      const res = target.startsWith('/api') ? await request('POST', target, { body: '{}' }) : await request('GET', target)
      expect(res.status).toBe(400)
      expect(JSON.parse(res.body).error.code).toBe('invalid_request')
    }
    expect(log).not.toHaveBeenCalled()
    log.mockRestore()
  })
})

describe('web host: requests', () => {
  it('validates requests against the contract and never returns a stack', async () => {
    const bad = await request('POST', '/api/import:report', { body: '{"import_id":"x"}' })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(bad.body).not.toMatch(/\n\s+at /)
    expect(JSON.parse((await request('POST', '/api/nope', { body: '{}' })).body).error.code).toBe('unknown_channel')
    expect((await request('POST', '/api/import:report', { body: '{"import_id":99}' })).status).toBe(404)
    expect((await request('POST', '/api/app:info', { body: 'not json' })).status).toBe(400)
    expect(JSON.parse((await request('POST', '/api/app:info', { body: '{"extra":1}' })).body).error.code).toBe('invalid_request')
  })

  it('limits request bodies and pages', async () => {
    expect((await request('POST', '/api/app:info', { body: `{"x":"${'a'.repeat(5000)}"}` })).status).toBe(413)
    expect((await api('opportunities:list', { limit: 1000 })).status).toBe(200)
    const over = await api('opportunities:list', { limit: 1001 })
    expect(over.status).toBe(400)
    expect(JSON.parse(over.body).error.message).toMatch(/limit/)
  })

  it('refuses to import a path on the server, saying the same whether it exists or not', async () => {
    const answers = await Promise.all(
      ['/etc/passwd', '/no/such/file.json', tmp.file('static/index.html')].map((p) =>
        api('import:start', { sources: [{ kind: 'path', path: p }] }),
      ),
    )
    for (const res of answers) {
      expect(res.status).toBe(501) // unsupported on this host, whatever the path
      expect(JSON.parse(res.body).error).toEqual({ code: 'unsupported', message: expect.stringMatching(/only files sent from this page/) })
    }
    expect(new Set(answers.map((a) => a.body)).size).toBe(1)
  })

  it('imports an uploaded file through a job, then deletes the upload', async () => {
    const file = await generatedExport(tmp.dir, 'up.json', { sips: 400, seed: 8 })
    const uploadId = await upload('up.json', fs.readFileSync(file))
    expect(tempFiles()).toHaveLength(1)
    expect(fs.statSync(path.join(temp.dir, tempFiles()[0])).mode & 0o777).toBe(0o600)
    const started = JSON.parse((await api('import:start', { sources: [{ kind: 'upload', upload_id: uploadId }] })).body)
    expect(started.data.state).toBe('running')
    const job = await finished(started.data.job_id)
    expect(job.state).toBe('done')
    expect(job.reports[0]).toMatchObject({ file: 'up.json', read: 400 })
    const list = JSON.parse((await api('import:list', {})).body)
    expect(list.data[0]).toMatchObject({ undone: false, files: [{ file: 'up.json', read: 400 }] })
    await vi.waitFor(() => expect(tempFiles()).toEqual([]), { timeout: 2000 })
    expect(JSON.parse((await api('import:start', { sources: [{ kind: 'upload', upload_id: uploadId }] })).body).error.code).toBe(
      'not_found',
    )
  })

  it('offers a backup once (0600, deleted after its download), and restores only a real backup, deleting each upload', async () => {
    const sips = JSON.parse((await api('app:info', {})).body).data.sip_count as number
    expect(sips).toBe(400)
    const backup = JSON.parse((await api('data:backup', {})).body)
    expect(backup.data).toMatchObject({ path: null, download: expect.stringMatching(/^download\//) })
    expect(tempFiles()).toHaveLength(1)
    expect(fs.statSync(path.join(temp.dir, tempFiles()[0])).mode & 0o777).toBe(0o600)
    expect((await request('GET', `/${backup.data.download}`, { auth: null, headers: { 'sec-fetch-site': 'same-site' } })).status).toBe(403)
    const fetched = await request('GET', `/${backup.data.download}`, { auth: null, headers: { 'sec-fetch-site': 'same-origin' } })
    expect(fetched.status).toBe(200)
    expect(fetched.headers['content-disposition']).toMatch(/^attachment; filename="partner-dashboard-backup-\d{4}-\d{2}-\d{2}\.sqlite"$/)
    expect(fetched.body.startsWith('SQLite format 3')).toBe(true)
    expect((await request('GET', `/${backup.data.download}`)).status).toBe(404)
    expect(tempFiles()).toEqual([])

    const refused = await api('data:restore', { source: { kind: 'upload', upload_id: await upload('notes.txt', 'hello') } })
    expect(refused.status).toBe(400)
    expect(JSON.parse(refused.body).error).toEqual({
      code: 'restore_refused',
      message: expect.stringMatching(/^notes\.txt: not a Partner Dashboard database.*Nothing was changed\.$/),
    })
    expect(tempFiles()).toEqual([])
    expect((await api('data:restore', { source: { kind: 'dialog' } })).status).toBe(501) // unsupported on this host

    await api('data:clear', { confirm: true })
    const restored = await api('data:restore', { source: { kind: 'upload', upload_id: await upload('copy.sqlite', fetched.raw) } })
    expect(JSON.parse(restored.body).data).toMatchObject({ restored: true, sip_count: sips })
    expect(tempFiles()).toEqual([])
  })

  it('answers a save that meets an import holding the database with 503 "busy", and saves nothing', async () => {
    const holder = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads')
       const db = new (require(${JSON.stringify(require.resolve('better-sqlite3'))}))(workerData)
       db.exec('BEGIN IMMEDIATE')
       parentPort.postMessage('locked')
       parentPort.once('message', () => { db.exec('COMMIT'); db.close(); parentPort.close() })`,
      { eval: true, workerData: db.path },
    )
    await new Promise((resolve) => holder.once('message', resolve))
    try {
      const res = await api('settings:update', { as_of_mode: 'today' })
      expect(res.status).toBe(503)
      expect(res.headers['retry-after']).toBe('2')
      expect(JSON.parse(res.body).error).toEqual({ code: 'busy', message: expect.stringMatching(/try again/) })
    } finally {
      holder.postMessage('commit')
      await new Promise((resolve) => holder.once('exit', resolve))
    }
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM follow_ups').get()).toEqual({ n: 0 })
    expect(JSON.parse((await api('settings:get', {})).body).data.as_of_mode).toBe('data')
  })

  it('answers app:info within a flood of list requests: they take turns', async () => {
    // Without turns, app:info came last (201st); with them it is among the first answers (about the
    // 10th here when the machine is idle; within the first half when other tests share the cores).
    const order = await flood(port)
    expect(order.filter((o) => o === 'opportunities:list:200')).toHaveLength(200)
    expect(order.indexOf('app:info:200')).toBeGreaterThan(0)
    expect(order.indexOf('app:info:200')).toBeLessThan(100)
  })

  it('answers "busy" rather than queue more list requests than its limit', async () => {
    const small = createWebServer({
      route: services.route,
      staticDir: tmp.file('static'),
      token,
      temp,
      maxQueued: 10,
    })
    await new Promise<void>((resolve) => small.listen(0, '127.0.0.1', resolve))
    try {
      const order = await flood((small.address() as AddressInfo).port)
      expect(order.filter((o) => o === 'opportunities:list:503').length).toBeGreaterThan(0)
      expect(order.filter((o) => o === 'opportunities:list:200').length).toBeGreaterThan(0)
      expect(order).toContain('app:info:200')
    } finally {
      await new Promise((resolve) => small.close(resolve))
    }
  })
})
