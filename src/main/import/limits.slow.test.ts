/**
 * SPEC §2.4 / §8.9 limits, against the hostile file of issue #26 (a 1.2 MB `.json.gz` holding
 * 1.2 GB of one letter) and big files made here, never committed. Slow: each builds files of
 * hundreds of MB and starts processes.
 */
import fs from 'node:fs'
import path from 'node:path'
import { createGzip } from 'node:zlib'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb } from '../db/open'
import { bookSnapshot, generatedExport, scratch } from '../testing/support'
import { ImportJobs, importFiles } from '../services/imports'
import { updateSettings } from '../services/settings'
import type { ImportJob } from '../../shared/types'
import { OversizedRecord, splitRecords } from './split'

let tmp: ReturnType<typeof scratch>
/** The file: one SIP whose `paused_reason` is 1.2 GB of `A`, gzipped to about 1.2 MB. */
let bomb: string
/** 150 MB of JSON: a record of 150 MB, then one good SIP. Parsing it takes a while; it is accepted. */
let bigRecord: string
/** A generated export big enough that its import has a parse, a write and an analysis to cancel in. */
let book: string

const HEAD = '[{"sip_meta_id":"1","user_id":"u","amount":"1,000","paused_reason":"'
const GOOD = '{"sip_meta_id":"2","user_id":"u","amount":"2,000","inserted_at":"2026-03-01T09:00:00"}'

function* repeated(head: string, chunk: Buffer, times: number, tail: string): Generator<Buffer> {
  yield Buffer.from(head)
  for (let i = 0; i < times; i++) yield chunk
  yield Buffer.from(tail)
}

beforeAll(async () => {
  tmp = scratch()
  bomb = tmp.file('sips.json.gz')
  const mb = Buffer.alloc(1024 * 1024, 'A')
  await pipeline(Readable.from(repeated(HEAD, mb, 1200, '"}]')), createGzip(), fs.createWriteStream(bomb))
  bigRecord = tmp.file('big-record.json')
  await pipeline(Readable.from(repeated(HEAD, mb, 150, `"},${GOOD}]`)), fs.createWriteStream(bigRecord))
  book = await generatedExport(tmp.dir, 'book.json', { sips: 30_000, seed: 26 })
}, 300_000)
afterAll(() => tmp.cleanup())


describe('the gzip bomb of issue #26', () => {
  it('is refused within seconds naming the ratio, in bounded memory, the book untouched', async () => {
    expect(fs.statSync(bomb).size).toBeLessThan(1.3 * 1024 * 1024)
    const dbPath = tmp.file('bomb.sqlite')
    openDb(dbPath).close()
    const before = bookSnapshot(dbPath)
    const rssBefore = process.memoryUsage.rss()
    let peak = rssBefore
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20)
    const started = Date.now()
    const outcome = await importFiles(dbPath, [{ path: bomb, name: 'sips.json.gz' }]).catch((error: unknown) => error)
    const seconds = (Date.now() - started) / 1000
    clearInterval(sampler)
    expect((outcome as Error).message).toMatch(
      /^sips\.json\.gz: the compressed file inflates to more than 200× its size \(1\.\d MB compressed, over 2\d\d\.\d MB unpacked\); refused as a possible zip bomb; nothing was imported$/,
    )
    expect(seconds).toBeLessThan(20)
    expect(peak - rssBefore).toBeLessThan(200 * 1024 * 1024)
    expect(bookSnapshot(dbPath)).toEqual(before)
    console.log(`gzip bomb refused in ${seconds.toFixed(2)} s; RSS grew ${((peak - rssBefore) / 1048576).toFixed(0)} MB`)
  }, 60_000)
})

describe('the splitter', () => {
  it('skips a 512 MB record in time linear in its size, holding at most the limit', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'A')
    const size = 512 * 1024 * 1024
    const started = Date.now()
    const batches = []
    for await (const batch of splitRecords(Readable.from(repeated(HEAD, chunk, size / chunk.length, `"},${GOOD}]`)))) batches.push(batch)
    const records = batches.flatMap((b) => b.records)
    expect(records).toHaveLength(2)
    expect(records[0]).toEqual(new OversizedRecord(HEAD.length - 1 + size + 2)) // from its `{` to its `}`
    expect(records[1]).toMatchObject({ sip_meta_id: '2' })
    // Re-joining the unfinished record on every 64 kB chunk would copy 2 PB here.
    expect(Date.now() - started).toBeLessThan(30_000)
  }, 60_000)
})

describe('the book while a file is read', () => {
  it("takes the advisor's saves while a big file parses; the write lock waits for the first batch", async () => {
    const dbPath = tmp.file('saves.sqlite')
    openDb(dbPath).close()
    const advisor = openDb(dbPath)
    advisor.sqlite.pragma('busy_timeout = 0')
    let saves = 0
    let refused = 0
    const save = (): void => {
      try {
        // A save that needs no client in the book (a follow-up would be refused before the import lands, SPEC §4).
        updateSettings(advisor, { advisor: { name: `Advisor ${saves + refused}` } })
        saves++
      } catch {
        refused++
      }
    }
    let done = false
    const importing = importFiles(dbPath, [{ path: bigRecord, name: 'big-record.json' }]).finally(() => (done = true))
    save() // as the import starts
    while (!done) {
      save()
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    const [report] = await importing
    expect(report).toMatchObject({ read: 2, inserted: 1, rejected: 1 })
    expect(saves).toBeGreaterThan(1)
    console.log(`saves while the 150 MB file was read: ${saves} answered, ${refused} busy`)
    advisor.close()
  }, 120_000)
})

describe('cancel', () => {
  const waitFor = async (condition: () => boolean, ms = 60_000): Promise<void> => {
    const started = Date.now()
    while (!condition()) {
      if (Date.now() - started > ms) throw new Error('timed out')
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  it.each([
    ['as it starts', () => true],
    // Nothing tells from outside that the parser is inside the big record, but 300 ms in, nothing has been written yet.
    ['while a 150 MB record is skipped', (job: ImportJob, since: number) => Date.now() - since > 300 && job.progress === null],
    ['while records are written', (job: ImportJob) => (job.progress?.records ?? 0) > 0],
    ['while the opportunities are found', (job: ImportJob) => job.progress?.analysing === true],
  ])(
    'is honoured within a second %s, leaving the book as it was',
    async (_when, ready) => {
      const dbPath = tmp.file(`cancel-${Math.random()}.sqlite`)
      openDb(dbPath).close()
      const before = bookSnapshot(dbPath)
      const jobs = new ImportJobs(dbPath)
      const file = _when.includes('150 MB') ? bigRecord : book
      const { job_id } = await jobs.start([{ path: file, name: path.basename(file) }])
      const since = Date.now()
      await waitFor(() => ready(jobs.status(job_id), since))
      const asked = Date.now()
      jobs.cancel(job_id)
      await waitFor(() => jobs.status(job_id).state !== 'running', 5_000)
      const latency = Date.now() - asked
      expect(jobs.status(job_id)).toMatchObject({ state: 'cancelled', error: expect.stringMatching(/cancelled/) })
      expect(latency).toBeLessThan(1000)
      expect(bookSnapshot(dbPath)).toEqual(before)
      console.log(`cancel ${_when}: ${latency} ms`)
    },
    120_000,
  )
})
