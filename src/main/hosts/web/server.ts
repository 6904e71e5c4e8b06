import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Handlers } from '../../../shared/contract'
import type { ImportTarget } from '../../services/imports'
import { dispatch } from '../dispatch'
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp'
import { ERROR_CODES } from '../../../shared/errors'

export interface WebServerOptions {
  handlers: Handlers
  /** The built renderer (index.html and assets). */
  staticDir: string
  token: string
  /** Where uploaded exports are kept until the server stops. */
  uploadsDir: string
  uploads: Map<string, ImportTarget>
  /** Files the server offers for download once (backups), by id. */
  downloads: Map<string, ImportTarget>
  maxBodyBytes?: number
  maxUploadBytes?: number
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

const COOKIE = 'pd_token'

export const newToken = (): string => randomBytes(24).toString('base64url')

/** The contract over HTTP on loopback: `POST /api/<channel>`, `PUT /upload`, `GET /download/<id>`, and the renderer's files. */
export function createWebServer(options: WebServerOptions): http.Server {
  const maxBody = options.maxBodyBytes ?? 1 << 20
  const maxUpload = options.maxUploadBytes ?? 8 * 1024 ** 3
  // Both sides are hashed first, so the comparison takes the same time whatever their lengths.
  const key = randomBytes(32)
  const digest = (value: string): Buffer => createHmac('sha256', key).update(value).digest()
  const expected = digest(options.token)
  const tokenMatches = (value: string | undefined): boolean => value !== undefined && timingSafeEqual(digest(value), expected)

  let expectedHost = ''
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      console.error('web host:', error)
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'internal error' } })
      else res.destroy()
    })
  })
  server.on('listening', () => {
    const address = server.address()
    if (address && typeof address === 'object') expectedHost = `127.0.0.1:${address.port}`
  })

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (req.headers.host !== expectedHost) {
      return sendJson(res, 421, {
        ok: false,
        error: { code: 'bad_host', message: 'requests must be made to the address this server printed' },
      })
    }
    const queryToken = url.searchParams.get('token') ?? undefined
    const presented = bearer(req) ?? cookie(req, COOKIE) ?? queryToken
    if (!tokenMatches(presented)) {
      return sendJson(res, 401, {
        ok: false,
        error: { code: 'unauthorized', message: 'missing or wrong token: open the address the server printed' },
      })
    }
    if (queryToken !== undefined) res.setHeader('Set-Cookie', `${COOKIE}=${queryToken}; HttpOnly; SameSite=Strict; Path=/`)

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'method', message: 'use POST' } })
      const body = await readBody(req, maxBody)
      if (body === null)
        return sendJson(res, 413, { ok: false, error: { code: 'too_large', message: `request body over ${maxBody} bytes` } })
      let payload: unknown
      try {
        payload = body.length === 0 ? {} : JSON.parse(body.toString('utf8'))
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'invalid_request', message: 'request body is not JSON' } })
      }
      const envelope = await dispatch(options.handlers, decodeURIComponent(url.pathname.slice(5)), payload)
      return sendJson(res, envelope.ok ? 200 : ERROR_CODES[envelope.error.code].http, envelope)
    }
    if (url.pathname === '/upload') {
      if (req.method !== 'PUT') return sendJson(res, 405, { ok: false, error: { code: 'method', message: 'use PUT' } })
      return receiveUpload(req, res, url.searchParams.get('name') ?? 'export.json')
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { ok: false, error: { code: 'method', message: 'use GET' } })
    if (url.pathname.startsWith('/download/')) return serveDownload(url.pathname.slice('/download/'.length), res)
    return serveStatic(url.pathname, res)
  }

  async function receiveUpload(req: http.IncomingMessage, res: http.ServerResponse, name: string): Promise<void> {
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > maxUpload) return sendJson(res, 413, { ok: false, error: { code: 'too_large', message: 'file too large' } })
    const uploadId = randomUUID()
    const file = path.join(options.uploadsDir, uploadId)
    let received = 0
    req.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (received > maxUpload) req.destroy(new Error('upload too large'))
    })
    try {
      await pipeline(req, fs.createWriteStream(file))
    } catch {
      fs.rmSync(file, { force: true })
      return sendJson(res, 400, { ok: false, error: { code: 'upload_failed', message: `upload of ${name} did not complete` } })
    }
    options.uploads.set(uploadId, { path: file, name: path.basename(name).slice(0, 255) })
    sendJson(res, 200, { ok: true, data: { uploadId } })
  }

  function serveDownload(id: string, res: http.ServerResponse): void {
    const download = options.downloads.get(id)
    if (!download || !fs.existsSync(download.path)) {
      return sendJson(res, 404, { ok: false, error: { code: 'not_found', message: 'no such download; make the backup again' } })
    }
    res.writeHead(200, {
      'Content-Type': 'application/vnd.sqlite3',
      'Content-Length': fs.statSync(download.path).size,
      'Content-Disposition': `attachment; filename="${download.name.replace(/[^\w.-]/g, '_')}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    })
    fs.createReadStream(download.path).pipe(res)
  }

  function serveStatic(pathname: string, res: http.ServerResponse): void {
    const root = path.resolve(options.staticDir)
    let file = path.resolve(root, `.${decodeURIComponent(pathname)}`)
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      file = path.join(root, 'index.html') // client-side routes
    }
    if (!fs.existsSync(file)) {
      return sendJson(res, 404, { ok: false, error: { code: 'not_built', message: 'the renderer is not built: run npm run build:web' } })
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    })
    fs.createReadStream(file).pipe(res)
  }

  return server
}

function bearer(req: http.IncomingMessage): string | undefined {
  const header = req.headers.authorization
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined
}

function cookie(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=')
    if (k === name) return v
  }
  return undefined
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        resolve(null)
        req.resume()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  })
  res.end(JSON.stringify(body))
}
