/**
 * SIGTERM ends a host within 2 s whatever it is doing (issue #26: the web host stayed up 60 s while
 * an import of a hostile file ran). Slow: it builds a 150 MB file and starts processes.
 */
import fs from 'node:fs'
import path from 'node:path'
import { once } from 'node:events'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb } from '../../db/open'
import { dumpContent, generatedExport, scratch } from '../../testing/support'
import { spawnCli } from './cliProcess'

let tmp: ReturnType<typeof scratch>
/** 150 MB of JSON: one record of 150 MB (rejected, unread), then one good SIP. */
let bigRecord: string
let book: string

beforeAll(async () => {
  tmp = scratch()
  bigRecord = tmp.file('big-record.json')
  const mb = Buffer.alloc(1024 * 1024, 'A')
  const parts = function* (): Generator<Buffer> {
    yield Buffer.from('[{"sip_meta_id":"1","user_id":"u","amount":"1,000","paused_reason":"')
    for (let i = 0; i < 150; i++) yield mb
    yield Buffer.from('"},{"sip_meta_id":"2","user_id":"u","amount":"2,000"}]')
  }
  await pipeline(Readable.from(parts()), fs.createWriteStream(bigRecord))
  book = await generatedExport(tmp.dir, 'book.json', { sips: 30_000, seed: 26 })
}, 300_000)
afterAll(() => tmp.cleanup())

const content = (dbPath: string): unknown => {
  const db = openDb(dbPath)
  try {
    return { ...dumpContent(db), imports: db.sqlite.prepare('SELECT count(*) AS n FROM imports').get() }
  } finally {
    db.close()
  }
}

describe('SIGTERM', () => {
  it('ends a CLI import within 2 s, the book as it was', async () => {
    const dbPath = tmp.file('term-cli.sqlite')
    openDb(dbPath).close()
    const before = content(dbPath)
    const child = spawnCli(['import', bigRecord, book, '--db', dbPath], { stdio: 'ignore' })
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const asked = Date.now()
    child.kill('SIGTERM')
    await once(child, 'exit')
    expect(Date.now() - asked).toBeLessThan(2000)
    expect(content(dbPath)).toEqual(before)
  }, 60_000)

  it('ends the web host within 2 s while an import runs', async () => {
    const dbPath = tmp.file('term-web.sqlite')
    const staticDir = tmp.file('static')
    fs.mkdirSync(staticDir)
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>')
    const child = spawnCli(['web', '--port', '0', '--static', staticDir, '--db', dbPath], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout!.on('data', (data: Buffer) => (out += data.toString()))
    const exited = once(child, 'exit')
    try {
      const started = Date.now()
      while (!/Listening on (\S+)\/\?token=([\w-]+)/.test(out) && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20))
      const [, base, token] = /Listening on (\S+)\/\?token=([\w-]+)/.exec(out)!
      const auth = { authorization: `Bearer ${token}` }
      const upload = async (file: string): Promise<string> => {
        const uploaded = await fetch(`${base}/upload?name=${path.basename(file)}`, {
          method: 'PUT',
          headers: auth,
          body: fs.readFileSync(file),
        })
        return ((await uploaded.json()) as { data: { upload_id: string } }).data.upload_id
      }
      // The case: a file with a huge record first (the host used to stay up 60 s), then a book.
      const sources = [
        { kind: 'upload', upload_id: await upload(bigRecord) },
        { kind: 'upload', upload_id: await upload(book) },
      ]
      const answer = await fetch(`${base}/api/import:start`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ sources }),
      })
      expect(answer.status).toBe(200)
      await new Promise((resolve) => setTimeout(resolve, 1500))
      const asked = Date.now()
      child.kill('SIGTERM')
      await exited
      expect(Date.now() - asked).toBeLessThan(2000)
    } finally {
      child.kill('SIGKILL')
    }
  }, 120_000)
})
