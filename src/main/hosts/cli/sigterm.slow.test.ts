/**
 * SIGTERM ends a host within 2 s whatever it is doing (issue #26: the web host stayed up 60 s while
 * an import of a hostile file ran). Slow: it builds a 150 MB file and starts processes.
 */
import fs from 'node:fs'
import path from 'node:path'
import { once } from 'node:events'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import Database, { SqliteError } from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openDb } from '../../db/open'
import { bookSnapshot, generatedExport, scratch } from '../../testing/support'
import { spawnCli } from './cliProcess'
import type { ImportJob } from '../../../shared/types'

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


/** Whether another connection holds the book's write lock: an import between its first write and its commit. */
function writeLocked(dbPath: string): boolean {
  const probe = new Database(dbPath, { timeout: 0 })
  try {
    probe.exec('BEGIN IMMEDIATE')
    probe.exec('ROLLBACK')
    return false
  } catch (error) {
    if (error instanceof SqliteError && error.code === 'SQLITE_BUSY') return true
    throw error
  } finally {
    probe.close()
  }
}

describe('SIGTERM', () => {
  it('ends a CLI import within 2 s, the book as it was', async () => {
    const dbPath = tmp.file('term-cli.sqlite')
    openDb(dbPath).close()
    const before = bookSnapshot(dbPath)
    const child = spawnCli(['import', bigRecord, book, '--db', dbPath], { stdio: 'ignore' })
    // The write lock is taken once the 150 MB record is skipped and the first SIP is ready: then the book is being written.
    await vi.waitFor(
      () => {
        expect(child.exitCode, 'the import ended before it was asked to').toBeNull()
        expect(writeLocked(dbPath)).toBe(true)
      },
      { timeout: 60_000, interval: 10 },
    )
    const asked = Date.now()
    child.kill('SIGTERM')
    await once(child, 'exit')
    expect(Date.now() - asked).toBeLessThan(2000)
    expect(bookSnapshot(dbPath)).toEqual(before)
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
      // The case: a file with a huge record (the host used to stay up 60 s), here after a book.
      const sources = [
        { kind: 'upload', upload_id: await upload(book) },
        { kind: 'upload', upload_id: await upload(bigRecord) },
      ]
      const answer = await fetch(`${base}/api/import:start`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ sources }),
      })
      expect(answer.status).toBe(200)
      const jobId = ((await answer.json()) as { data: { job_id: string } }).data.job_id
      // The book read to its end (its file's last progress, which stands until the next file's first
      // records): the import is now in the 150 MB record.
      await vi.waitFor(
        async () => {
          const status = await fetch(`${base}/api/import:status`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ job_id: jobId }),
          })
          const { state, progress } = ((await status.json()) as { data: ImportJob }).data
          expect(state).toBe('running')
          expect(progress !== null && (progress.file_index > 0 || progress.bytes_read === progress.total_bytes)).toBe(true)
        },
        { timeout: 60_000, interval: 10 },
      )
      const asked = Date.now()
      child.kill('SIGTERM')
      await exited
      expect(Date.now() - asked).toBeLessThan(2000)
    } finally {
      child.kill('SIGKILL')
    }
  }, 120_000)
})
