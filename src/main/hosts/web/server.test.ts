import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/open'
import { createServices } from '../../services'
import type { ImportTarget } from '../../services/imports'
import { generatedExport, scratch, tempDb } from '../../testing/support'
import { createWebServer, newToken } from './server'
import { backupAsDownload } from './downloads'

let tmp: ReturnType<typeof scratch>
let db: Db
let server: http.Server
let port: number
const token = newToken()

/** A raw HTTP request, so the Host header and body can be anything. */
function request(method: string, path: string, options: { host?: string; auth?: string | null; body?: string | Buffer } = {}) {
  return new Promise<{ status: number; body: string; raw: Buffer; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const headers: Record<string, string> = { host: options.host ?? `127.0.0.1:${port}` }
    if (options.auth !== null) headers.authorization = `Bearer ${options.auth ?? token}`
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
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

beforeAll(async () => {
  tmp = scratch()
  db = tempDb(tmp.dir)
  fs.mkdirSync(tmp.file('static'))
  fs.writeFileSync(tmp.file('static/index.html'), '<!doctype html><title>app</title>')
  fs.mkdirSync(tmp.file('uploads'))
  const uploads = new Map<string, ImportTarget>()
  const downloads = new Map<string, ImportTarget>()
  const { handlers } = createServices({
    db,
    host: 'web',
    version: '0.0.0',
    resourcesDir: tmp.dir,
    resolveUpload: (id) => uploads.get(id),
    saveBackup: backupAsDownload(db, tmp.file('uploads'), downloads),
  })
  server = createWebServer({
    handlers,
    staticDir: tmp.file('static'),
    token,
    uploadsDir: tmp.file('uploads'),
    uploads,
    downloads,
    maxBodyBytes: 1024,
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  db.close()
  tmp.cleanup()
})

describe('web host', () => {
  it('answers contract requests with an envelope', async () => {
    const res = await request('POST', '/api/app:info', { body: '{}' })
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, data: { host: 'web', sipCount: 0 } })
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('refuses requests without the token, or with a wrong one', async () => {
    expect((await request('POST', '/api/app:info', { auth: null, body: '{}' })).status).toBe(401)
    expect((await request('POST', '/api/app:info', { auth: 'x', body: '{}' })).status).toBe(401)
    expect((await request('GET', '/', { auth: null })).status).toBe(401)
  })

  it('accepts the token from the printed address once, then from its cookie', async () => {
    const first = await request('GET', `/?token=${token}`, { auth: null })
    expect(first.status).toBe(200)
    expect(first.headers['content-security-policy']).toMatch(/script-src 'self'/)
    const cookie = String(first.headers['set-cookie']).split(';')[0]
    const again = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/', headers: { host: `127.0.0.1:${port}`, cookie } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
    })
    expect(again).toBe(200)
  })

  it('refuses another Host header (DNS rebinding)', async () => {
    const res = await request('POST', '/api/app:info', { host: `evil.example:${port}`, body: '{}' })
    expect(res.status).toBe(421)
  })

  it('validates requests against the contract and never returns a stack', async () => {
    const bad = await request('POST', '/api/import:report', { body: '{"importId":"x"}' })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    expect(bad.body).not.toMatch(/\n\s+at /)
    expect(JSON.parse((await request('POST', '/api/nope', { body: '{}' })).body).error.code).toBe('unknown_channel')
    expect((await request('POST', '/api/import:report', { body: '{"importId":99}' })).status).toBe(404)
    expect((await request('POST', '/api/app:info', { body: 'not json' })).status).toBe(400)
    expect(JSON.parse((await request('POST', '/api/app:info', { body: '{"extra":1}' })).body).error.code).toBe('invalid_request')
  })

  it('limits request bodies', async () => {
    expect((await request('POST', '/api/app:info', { body: `{"x":"${'a'.repeat(5000)}"}` })).status).toBe(413)
  })

  it('imports an uploaded file through a job and keeps its report', async () => {
    const file = await generatedExport(tmp.dir, 'up.json', { sips: 120, seed: 8 })
    const upload = JSON.parse((await request('PUT', '/upload?name=up.json', { body: fs.readFileSync(file) })).body) as {
      data: { uploadId: string }
    }
    const started = JSON.parse(
      (
        await request('POST', '/api/import:start', {
          body: JSON.stringify({ sources: [{ kind: 'upload', uploadId: upload.data.uploadId }] }),
        })
      ).body,
    )
    expect(started.data.state).toBe('running')
    let job = started.data
    while (job.state === 'running') {
      await new Promise((r) => setTimeout(r, 50))
      job = JSON.parse((await request('POST', '/api/import:status', { body: JSON.stringify({ jobId: job.jobId }) })).body).data
    }
    expect(job.state).toBe('done')
    expect(job.reports[0]).toMatchObject({ file: 'up.json', read: 120, inserted: 120 })
    const list = JSON.parse((await request('POST', '/api/import:list', { body: '{}' })).body)
    expect(list.data[0]).toMatchObject({ undone: false, files: [{ file: 'up.json', read: 120 }] })
  })

  it('offers a backup as a download behind the token, and restores only a real backup', async () => {
    const api = async (channel: string, body: unknown) => request('POST', `/api/${channel}`, { body: JSON.stringify(body) })
    const sips = JSON.parse((await api('app:info', {})).body).data.sipCount as number
    const backup = JSON.parse((await api('data:backup', {})).body)
    expect(backup.data).toMatchObject({ path: null, download: expect.stringMatching(/^download\//) })
    expect((await request('GET', `/${backup.data.download}`, { auth: null })).status).toBe(401)
    const fetched = await request('GET', `/${backup.data.download}`)
    expect(fetched.status).toBe(200)
    expect(fetched.headers['content-disposition']).toMatch(/^attachment; filename="partner-dashboard-backup-\d{4}-\d{2}-\d{2}\.sqlite"$/)
    expect(fetched.body.startsWith('SQLite format 3')).toBe(true)

    const upload = async (name: string, body: Buffer | string) =>
      JSON.parse((await request('PUT', `/upload?name=${name}`, { body })).body).data.uploadId as string
    const refused = await api('data:restore', { source: { kind: 'upload', uploadId: await upload('notes.txt', 'hello') } })
    expect(refused.status).toBe(400)
    expect(JSON.parse(refused.body).error).toEqual({
      code: 'restore_refused',
      message: expect.stringMatching(/^notes\.txt: not a Partner Dashboard database.*Nothing was changed\.$/),
    })
    expect((await api('data:restore', { source: { kind: 'dialog' } })).status).toBe(400)

    await api('data:clear', { confirm: true })
    const restored = await api('data:restore', { source: { kind: 'upload', uploadId: await upload('copy.sqlite', fetched.raw) } })
    expect(JSON.parse(restored.body).data).toMatchObject({ restored: true, sipCount: sips })
  })
})
