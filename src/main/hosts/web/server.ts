import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { isChannel, type Envelope } from '../../../shared/channels'
import { contract } from '../../../shared/contract'
import { AppError, ERROR_CODES, type ErrorCode } from '../../../shared/errors'
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp'
import type { Route } from '../dispatch'
import { contentType } from '../contentTypes'
import type { TempFiles } from './tempFiles'

export interface WebServerOptions {
  /** Answers the contract's requests (the web host's handlers: see `webHandlers`). */
  route: Route
  /** The built renderer (index.html and assets). */
  staticDir: string
  token: string
  /** Where uploads and backups wait, with its size cap. */
  temp: TempFiles
  maxBodyBytes?: number
  maxUploadBytes?: number
  /** Most list requests waiting their turn; more are answered "busy". */
  maxQueued?: number
}

/** The `<meta>` the page reads its token from (src/renderer/src/api/transport.ts). */
export const TOKEN_META = 'pd-token'

export const newToken = (): string => randomBytes(24).toString('base64url')

const refusal = (code: ErrorCode, message: string): Envelope<never> => ({ ok: false, error: { code, message } })

/**
 * The contract over HTTP on loopback: `POST /api/<channel>`, `PUT /upload`, `GET /download/<id>`,
 * and the renderer's files.
 *
 * Who may call: requests must name this host (`Host`, against DNS rebinding) and must not come from
 * another origin (`Origin`, `Sec-Fetch-Site`: another port of 127.0.0.1 is another origin). The
 * API and uploads take the token only from an `Authorization: Bearer` header, which a page can
 * send only to its own origin; the page gets it from a `<meta>` in the HTML served for the
 * printed address. No cookie: a cookie would travel with requests from any port of 127.0.0.1.
 *
 * Fairness: list and stats requests run one at a time, handing the event loop back between two, so
 * a flood of them delays a light request (app:info, import status) by at most one of them.
 */
export function createWebServer(options: WebServerOptions): http.Server {
  const maxBody = options.maxBodyBytes ?? 1 << 20
  const maxUpload = options.maxUploadBytes ?? 8 * 1024 ** 3
  const maxQueued = options.maxQueued ?? 1000
  const { temp } = options
  // Both sides are hashed first, so the comparison takes the same time whatever their lengths.
  const key = randomBytes(32)
  const digest = (value: string): Buffer => createHmac('sha256', key).update(value).digest()
  const expected = digest(options.token)
  const tokenMatches = (value: string | undefined): boolean => value !== undefined && timingSafeEqual(digest(value), expected)

  let origin = ''
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      console.error('web host:', error)
      if (!res.headersSent) sendEnvelope(res, refusal('internal', 'internal error'))
      else res.destroy()
    })
  })
  server.on('listening', () => {
    const address = server.address()
    if (address && typeof address === 'object') origin = `http://127.0.0.1:${address.port}`
  })

  let queue: Promise<unknown> = Promise.resolve()
  let queued = 0
  const takeTurn = async <T>(run: () => Promise<T>): Promise<T> => {
    const turn = queue.then(() => yieldToEventLoop()).then(run)
    queue = turn.catch(() => undefined)
    queued += 1
    try {
      return await turn
    } finally {
      queued -= 1
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.headers.host !== origin.slice('http://'.length)) {
      return sendEnvelope(res, refusal('bad_host', 'requests must be made to the address this server printed'))
    }
    const fetchSite = req.headers['sec-fetch-site']
    if (
      (req.headers.origin !== undefined && req.headers.origin !== origin) ||
      (fetchSite !== undefined && !['same-origin', 'none'].includes(fetchSite))
    ) {
      return sendEnvelope(res, refusal('cross_origin', 'requests from other pages are refused: use the address this server printed'))
    }
    const url = parseUrl(req.url ?? '/', origin)
    const pathname = url && decodePath(url.pathname)
    if (!url || pathname === null) return sendEnvelope(res, refusal('invalid_request', 'malformed address'))

    if (pathname.startsWith('/api/') || pathname === '/upload') {
      if (!tokenMatches(bearer(req))) {
        return sendEnvelope(res, refusal('unauthorized', 'missing or wrong token: open the address the server printed'))
      }
      if (pathname === '/upload') {
        if (req.method !== 'PUT') return sendEnvelope(res, refusal('method', 'use PUT'))
        return receiveUpload(req, res, url.searchParams.get('name') ?? 'export.json')
      }
      if (req.method !== 'POST') return sendEnvelope(res, refusal('method', 'use POST'))
      const body = await readBody(req, maxBody)
      if (body === null) return sendEnvelope(res, refusal('too_large', `request body over ${maxBody} bytes`))
      let payload: unknown
      try {
        payload = body.length === 0 ? {} : JSON.parse(body.toString('utf8'))
      } catch {
        return sendEnvelope(res, refusal('invalid_request', 'request body is not JSON'))
      }
      const channel = pathname.slice('/api/'.length)
      const answer = () => options.route(channel, payload)
      // Requests whose cost grows with the book take turns (the contract's `queued`).
      if (!isChannel(channel) || !contract[channel].queued) return sendEnvelope(res, await answer())
      if (queued >= maxQueued) return sendEnvelope(res, refusal('busy', 'too many requests at once; try again in a moment'))
      return sendEnvelope(res, await takeTurn(answer))
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendEnvelope(res, refusal('method', 'use GET'))
    if (pathname.startsWith('/download/')) return serveDownload(pathname.slice('/download/'.length), res)
    const presented = url.searchParams.get('token')
    if (presented !== null && !tokenMatches(presented)) {
      return sendEnvelope(res, refusal('unauthorized', 'wrong token: open the address the server printed'))
    }
    return serveStatic(pathname, res, presented)
  }

  async function receiveUpload(req: http.IncomingMessage, res: http.ServerResponse, name: string): Promise<void> {
    const declared = Number(req.headers['content-length'])
    if (!Number.isSafeInteger(declared) || declared < 0)
      return sendEnvelope(res, refusal('length_required', 'an upload must declare its length'))
    if (declared > maxUpload) return sendEnvelope(res, refusal('too_large', 'file too large'))
    let release: () => void
    try {
      release = temp.reserve(declared)
    } catch (error) {
      req.resume()
      if (error instanceof AppError) return sendEnvelope(res, refusal(error.code, error.message))
      throw error
    }
    const file = temp.newPath()
    let received = 0
    req.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (received > declared) req.destroy(new Error('upload longer than declared'))
    })
    try {
      await pipeline(req, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }))
    } catch {
      fs.rmSync(file, { force: true })
      return sendEnvelope(res, refusal('upload_failed', `upload of ${name} did not complete`))
    } finally {
      release()
    }
    const uploadId = temp.addUpload(file, path.basename(name).slice(0, 255))
    sendJson(res, 200, { ok: true, data: { upload_id: uploadId } })
  }

  /** A backup, sent once: deleted after its first complete download (an interrupted one can be retried until it expires). */
  function serveDownload(id: string, res: http.ServerResponse): void {
    const download = temp.download(id)
    if (!download || !fs.existsSync(download.path)) {
      return sendEnvelope(res, refusal('not_found', 'no such download (a backup is offered once); make the backup again'))
    }
    res.writeHead(200, {
      'Content-Type': 'application/vnd.sqlite3',
      'Content-Length': fs.statSync(download.path).size,
      'Content-Disposition': `attachment; filename="${download.name.replace(/[^\w.-]/g, '_')}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    })
    res.once('finish', () => temp.discardDownload(id))
    fs.createReadStream(download.path).pipe(res)
  }

  /** The renderer's files; the HTML carries the token only when asked for with the right `?token=`. */
  function serveStatic(pathname: string, res: http.ServerResponse, token: string | null): void {
    const root = path.resolve(options.staticDir)
    let file = path.resolve(root, `.${pathname}`)
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      file = path.join(root, 'index.html') // client-side routes
    }
    if (!fs.existsSync(file)) {
      return sendEnvelope(res, refusal('not_built', 'the renderer is not built: run npm run build:web'))
    }
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': contentType(file),
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    }
    if (path.extname(file) !== '.html') {
      res.writeHead(200, headers)
      return void fs.createReadStream(file).pipe(res)
    }
    const html = fs.readFileSync(file, 'utf8')
    res.writeHead(200, headers)
    res.end(token === null ? html : html.replace('</head>', `<meta name="${TOKEN_META}" content="${token}" />\n</head>`))
  }

  return server
}

function parseUrl(target: string, base: string): URL | null {
  try {
    return new URL(target, base)
  } catch {
    return null
  }
}

/** The URL path, percent-decoded; null when the encoding is malformed. */
function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname)
  } catch {
    return null
  }
}

function bearer(req: http.IncomingMessage): string | undefined {
  const header = req.headers.authorization
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined
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

function sendEnvelope(res: http.ServerResponse, envelope: Envelope<unknown>): void {
  const status = envelope.ok ? 200 : ERROR_CODES[envelope.error.code].http
  if (status === 503) res.setHeader('Retry-After', '2')
  sendJson(res, status, envelope)
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.req.resume() // a refused request's body is drained, so the answer reaches the client
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  })
  res.end(JSON.stringify(body))
}
