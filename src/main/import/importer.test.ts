import fs from 'node:fs'
import { createGzip } from 'node:zlib'
import { pipeline } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import { describeOnFixtures, dumpContent, fixtureFiles, freshDbEachTest, generatedExport, tempDb } from '../testing/support'
import { importFile } from './importer'
import { AppError } from '../../shared/errors'

/** One SIP in the formatted style of the real exports. */
const sip = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  inserted_at: 'January 12, 2026, 8:49 AM',
  event_date: 'January 7, 2026, 4:48 AM',
  sip_meta_id: '104,431',
  uid: '104,431',
  user_id: 'u-1',
  amount: '7,500',
  scheme_name: '[A Fund (G), B Fund (G), A Fund (G)]',
  start_date: 'July 30, 2023',
  increment_percentage: '0',
  is_active: 'true',
  success_amount: '1,37,500',
  failed_amount: '20,000',
  success_count: '27',
  currentSipStatus: 'Success',
  latest_success_order_date: 'January 5, 2026',
  agent_external_id: 'ag_1',
  agent_id: '76,352',
  deleted: 'false',
  ...overrides,
})

const t = freshDbEachTest()

const write = (name: string, content: string | unknown[]): string => {
  const file = t.tmp.file(name)
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

const count = (table: string): number => (t.db.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
const stored = (id: string): Record<string, unknown> =>
  t.db.sqlite.prepare('SELECT * FROM sips WHERE sip_meta_id = ?').get(id) as Record<string, unknown>

describeOnFixtures('real sample exports (../shared/fixtures/metabase)', () => {
  it('imports all three files cleanly, and a second time changes nothing', async () => {
    const files = fixtureFiles()
    expect(files).toHaveLength(3)
    for (const file of files) {
      const report = await importFile(t.db.sqlite, file)
      expect(report).toMatchObject({ read: 200, inserted: 200, updated: 0, rejected: 0, warnings: 0, sip_records: 200 })
    }
    expect(count('sips')).toBe(600)
    expect(stored('135')).toMatchObject({
      goal_id: '16805',
      agent_id: '4220',
      amount: 5500,
      success_amount: 283000,
      inserted_at: '2026-01-12T08:49:00',
      is_active: 1,
    })
    for (const file of files) {
      expect(await importFile(t.db.sqlite, file)).toMatchObject({ read: 200, inserted: 0, updated: 0, unchanged: 200 })
    }
    expect(count('sip_history')).toBe(600)
  })
})

describe('value styles and layouts', () => {
  it('stores the same book identically from formatted, raw, mixed and JSON Lines exports', async () => {
    const book = { sips: 600, seed: 7 }
    const variants = [
      await generatedExport(t.tmp.dir, 'formatted.json', { ...book, style: 'formatted' }),
      await generatedExport(t.tmp.dir, 'raw.json', { ...book, style: 'raw' }),
      await generatedExport(t.tmp.dir, 'mixed.json', { ...book, style: 'mixed' }),
      await generatedExport(t.tmp.dir, 'lines.jsonl', { ...book, style: 'raw', layout: 'lines' }),
    ]
    const contents = []
    for (const [i, file] of variants.entries()) {
      const own = tempDb(t.tmp.dir, `variant-${i}.sqlite`)
      const report = await importFile(own.sqlite, file)
      expect(report).toMatchObject({ read: 600, inserted: 600, rejected: 0, warnings: 0 })
      contents.push(dumpContent(own))
      own.close()
    }
    for (const content of contents.slice(1)) expect(content).toEqual(contents[0])
  })

  it('reads a byte-order mark, CRLF line ends and gzip', async () => {
    const text = `\uFEFF[\r\n${[sip(), sip({ sip_meta_id: '2' })].map((r) => JSON.stringify(r)).join(',\r\n')}\r\n]\r\n`
    expect(await importFile(t.db.sqlite, write('bom.json', text))).toMatchObject({ read: 2, inserted: 2 })
    const gz = t.tmp.file('book.json.gz')
    const plain = await generatedExport(t.tmp.dir, 'book.json', { sips: 50, seed: 3 })
    await pipeline(fs.createReadStream(plain), createGzip(), fs.createWriteStream(gz))
    expect(await importFile(t.db.sqlite, gz)).toMatchObject({ read: 50, inserted: 50 })
  })

  it('imports client exports and tells records apart by their keys', async () => {
    const clients = t.tmp.file('clients.json')
    const sips = await generatedExport(t.tmp.dir, 'sips.json', { sips: 100, seed: 5, clientsPath: clients })
    expect(await importFile(t.db.sqlite, sips)).toMatchObject({ sip_records: 100, client_records: 0 })
    const report = await importFile(t.db.sqlite, clients)
    expect(report.client_records).toBe(report.read)
    expect(report.rejected).toBe(0)
    const joined = t.db.sqlite.prepare('SELECT count(*) AS n FROM sips JOIN clients USING (user_id)').get() as { n: number }
    expect(joined.n).toBe(100)
    expect(await importFile(t.db.sqlite, clients)).toMatchObject({ inserted: 0, updated: 0 })
  })
})

describe('upserts and history', () => {
  it('replaces a SIP with a newer snapshot, keeps it against an older one, and records both snapshots', async () => {
    const older = write('older.json', [sip({ amount: '5,000' })])
    const newer = write('newer.json', [sip({ amount: '7,500', inserted_at: 'February 12, 2026, 9:00 AM' })])
    await importFile(t.db.sqlite, older)
    expect(await importFile(t.db.sqlite, newer)).toMatchObject({ inserted: 0, updated: 1 })
    expect(stored('104431').amount).toBe(7500)
    expect(await importFile(t.db.sqlite, older)).toMatchObject({ updated: 0, unchanged: 1 })
    expect(stored('104431').amount).toBe(7500)
    const history = t.db.sqlite.prepare('SELECT snapshot_at, amount FROM sip_history ORDER BY snapshot_at').all()
    expect(history).toEqual([
      { snapshot_at: '2026-01-12T08:49:00', amount: 5000 },
      { snapshot_at: '2026-02-12T09:00:00', amount: 7500 },
    ])
  })

  it('falls back to event_date for the snapshot time', async () => {
    await importFile(t.db.sqlite, write('a.json', [sip({ inserted_at: '', event_date: 'March 1, 2026, 10:00 AM' })]))
    expect(stored('104431').snapshot_at).toBe('2026-03-01T10:00:00')
  })

  it('lets the later of two equal snapshots in one file win, and a re-import of that file change nothing', async () => {
    const file = write('dupes.json', [sip({ amount: '1,000' }), sip({ sip_meta_id: '9' }), sip({ amount: '2,000' })])
    expect(await importFile(t.db.sqlite, file)).toMatchObject({ read: 3, inserted: 2, updated: 0, unchanged: 1 })
    expect(stored('104431').amount).toBe(2000)
    expect(await importFile(t.db.sqlite, file)).toMatchObject({ read: 3, inserted: 0, updated: 0, unchanged: 3 })
    expect(stored('104431').amount).toBe(2000)
  })

  it('keeps the newest snapshot of each repeated SIP in a first import, later winning ties, and every snapshot in its history', async () => {
    // Repeats near each other and far apart, of a repeat's key, and ties on the snapshot time, checked
    // against the same rules applied one record at a time.
    const [jan, feb] = ['January 12, 2026, 8:49 AM', 'February 12, 2026, 9:00 AM']
    const records = Array.from({ length: 47 }, (_, i) => sip({ sip_meta_id: String(1000 + i), amount: String(100 + i), inserted_at: jan }))
    const repeat = (at: number, of: number, inserted_at: string): void => {
      records[at] = sip({ sip_meta_id: String(1000 + of), amount: String(5000 + at), inserted_at })
    }
    repeat(4, 0, feb) // newer, a few records on
    repeat(6, 0, jan) // ties the first record's snapshot: its history row takes the later values
    repeat(2, 3, feb) // newer first, then the older at 3
    repeat(8, 3, feb) // ties the newer one: later wins
    repeat(29, 9, jan) // an equal snapshot far on: later wins
    repeat(44, 18, feb) // newer, near the end
    repeat(45, 44, jan) // a repeat of a repeat's key: 44 now holds SIP 1018
    const file = write('repeats.json', records)

    // The same rules, one record at a time.
    const winners = new Map<string, { amount: number; snapshot: string }>()
    const history = new Map<string, number>()
    for (const record of records) {
      const id = String(record.sip_meta_id)
      const snapshot = record.inserted_at === jan ? '2026-01-12T08:49:00' : '2026-02-12T09:00:00'
      const amount = Number(record.amount)
      if ((winners.get(id)?.snapshot ?? '') <= snapshot) winners.set(id, { amount, snapshot })
      history.set(`${id} ${snapshot}`, amount)
    }

    expect(await importFile(t.db.sqlite, file)).toMatchObject({
      read: 47,
      inserted: winners.size,
      updated: 0,
      unchanged: 47 - winners.size,
    })
    const sips = t.db.sqlite.prepare('SELECT sip_meta_id AS id, amount, snapshot_at AS snapshot FROM sips').all() as {
      id: string
      amount: number
      snapshot: string
    }[]
    expect(new Map(sips.map(({ id, amount, snapshot }) => [id, { amount, snapshot }]))).toEqual(winners)
    const stored = t.db.sqlite.prepare('SELECT sip_meta_id AS id, snapshot_at AS snapshot, amount FROM sip_history').all() as {
      id: string
      snapshot: string
      amount: number
    }[]
    expect(new Map(stored.map(({ id, snapshot, amount }) => [`${id} ${snapshot}`, amount]))).toEqual(history)
    expect(await importFile(t.db.sqlite, file)).toMatchObject({ read: 47, inserted: 0, updated: 0, unchanged: 47 })
    expect(count('sip_history')).toBe(history.size)
  })

  it('counts a SIP changed by a newer export once, however often it appears', async () => {
    await importFile(t.db.sqlite, write('v1.json', [sip({ amount: '1,000' })]))
    const v2 = write('v2.json', [
      sip({ amount: '3,000', inserted_at: 'March 1, 2026' }),
      sip({ amount: '4,000', inserted_at: 'March 1, 2026' }),
    ])
    expect(await importFile(t.db.sqlite, v2)).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 })
    expect(stored('104431').amount).toBe(4000)
  })
})

describe('updates and indexes', () => {
  it('finds a SIP through its indexes after a newer export moves it to another client and agent, or leaves it', async () => {
    await importFile(t.db.sqlite, write('v1.json', [sip(), sip({ sip_meta_id: '2', user_id: 'u-2' })]))
    const later = { inserted_at: 'March 1, 2026, 9:00 AM' }
    await importFile(
      t.db.sqlite,
      write('v2.json', [
        sip({ ...later, user_id: 'u-9', agent_external_id: 'ag_9' }),
        sip({ ...later, sip_meta_id: '2', user_id: 'u-2', amount: '9,000' }),
      ]),
    )
    const byIndex = (sql: string, ...params: string[]): unknown[] =>
      t.db.sqlite.prepare(`SELECT sip_meta_id FROM sips INDEXED BY ${sql}`).all(...params)
    expect(byIndex('sips_user WHERE user_id = ?', 'u-9')).toEqual([{ sip_meta_id: '104431' }])
    expect(byIndex('sips_user WHERE user_id = ?', 'u-1')).toEqual([])
    expect(byIndex('sips_agent WHERE agent_external_id = ?', 'ag_9')).toEqual([{ sip_meta_id: '104431' }])
    expect(byIndex('sips_user WHERE user_id = ?', 'u-2')).toEqual([{ sip_meta_id: '2' }])
    expect(byIndex("sips_inserted_at WHERE inserted_at >= '2026-03-01'")).toHaveLength(2)
    expect(stored('2').amount).toBe(9000)
    expect(t.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
  })
})

describe('rejected rows and warnings', () => {
  it('rejects what cannot be stored and warns about what can, naming position, SIP and field', async () => {
    const file = write('mixed.json', [
      sip({ sip_meta_id: '1' }),
      sip({ sip_meta_id: '' }),
      sip({ sip_meta_id: '3', user_id: '' }),
      sip({ sip_meta_id: '4', amount: '' }),
      sip({ sip_meta_id: '5', amount: 'lots' }),
      'not an object',
      { hello: 'world' },
      sip({ sip_meta_id: '8', end_date: '31/02/2025', is_active: 'perhaps' }),
      { user_id: 'c-1', name: 'Asha Rao' },
      { name: 'no id' },
    ])
    const report = await importFile(t.db.sqlite, file)
    expect(report).toMatchObject({ read: 10, inserted: 3, rejected: 7, warnings: 2, sip_records: 2, client_records: 1 })
    const byPosition = Object.fromEntries(report.issues.map((i) => [`${i.position}:${i.field}`, i]))
    expect(byPosition['2:sip_meta_id']).toMatchObject({ level: 'rejected', reason: 'sip_meta_id is missing' })
    expect(byPosition['3:user_id']).toMatchObject({ level: 'rejected', sip_meta_id: '3' })
    expect(byPosition['4:amount'].reason).toMatch(/amount is missing/)
    expect(byPosition['5:amount'].reason).toMatch(/not a number: "lots"/)
    expect(byPosition['6:null'].reason).toMatch(/not a JSON object/)
    expect(byPosition['7:null'].reason).toMatch(/unknown record shape/)
    expect(byPosition['8:end_date']).toMatchObject({ level: 'warning', sip_meta_id: '8', reason: 'not a date: "31/02/2025"' })
    expect(byPosition['8:is_active'].level).toBe('warning')
    expect(stored('8')).toMatchObject({ end_date: null, is_active: null, amount: 7500 })
    expect(byPosition['10:null'].reason).toMatch(/unknown record shape/)
    const saved = t.db.sqlite.prepare('SELECT count(*) AS n FROM import_issues WHERE import_id = ?').get(report.import_id) as { n: number }
    expect(saved.n).toBe(9)
  })

  it('never lets __proto__, constructor or prototype keys reach a prototype', async () => {
    const text = `[${JSON.stringify(sip()).slice(0, -1)},"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"x":1}}]`
    const report = await importFile(t.db.sqlite, write('proto.json', text))
    expect(report).toMatchObject({ inserted: 1, rejected: 0 })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
  })
})

describe('atomicity', () => {
  const snapshotOf = (): unknown => ({ content: dumpContent(t.db), imports: count('imports'), issues: count('import_issues') })

  it.each([
    ['truncated mid-record', (t: string) => t.slice(0, Math.floor(t.length * 0.6)), /ends unexpectedly.*line \d+, byte \d+/],
    ['cut before the closing bracket', (t: string) => t.trimEnd().slice(0, -1), /ends unexpectedly/],
    [
      'broken in the middle',
      (t: string) => t.replace('"goal_id":', '"goal_id" '),
      /invalid JSON in record 1: Unexpected string \(line 2, byte \d+\)/,
    ],
  ])('leaves the database exactly as it was when the file is %s', async (_name, damage, message) => {
    await importFile(t.db.sqlite, await generatedExport(t.tmp.dir, 'first.json', { sips: 200, seed: 1 }))
    const before = snapshotOf()
    const good = fs.readFileSync(await generatedExport(t.tmp.dir, 'second.json', { sips: 300, seed: 2 }), 'utf8')
    const broken = write('broken.json', damage(good))
    const error = await importFile(t.db.sqlite, broken).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('import_failed')
    expect((error as Error).message).toMatch(/^broken\.json: /)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).toMatch(/nothing was imported$/)
    expect(snapshotOf()).toEqual(before)
    expect(t.db.sqlite.inTransaction).toBe(false)
  })

  it.each([
    ['an unterminated string', (line: string) => line.replace(/",$/, ',')],
    ['a bare word', (line: string) => line.replace(/: "(.*)",$/, ': $1,')],
  ])('names the line of %s deep in a pretty-printed export', async (_name, damage) => {
    const records = Array.from({ length: 30 }, (_, i) => sip({ sip_meta_id: String(1000 + i), user_id: `u-${i}` }))
    const lines = JSON.stringify(records, null, 2).split('\n')
    const target = lines.findIndex((line, i) => i >= 58 && /"user_id": "u-\d+",$/.test(line)) + 1
    const file = write('broken.json', lines.map((line, i) => (i + 1 === target ? damage(line) : line)).join('\n'))
    const error = await importFile(t.db.sqlite, file).catch((e: unknown) => e)
    expect((error as AppError).code).toBe('import_failed')
    expect((error as Error).message).toMatch(
      new RegExp(`^broken\\.json: .* in record 4.*\\(line ${target}, byte \\d+\\); nothing was imported$`),
    )
  })

  it('keeps every index of the SIP table, whether a first import succeeds or fails', async () => {
    const indexes = (): string[] =>
      (
        t.db.sqlite
          .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sips' AND sql IS NOT NULL ORDER BY name")
          .all() as { name: string }[]
      ).map((r) => r.name)
    const before = indexes()
    expect(before).toContain('sips_user')
    await importFile(t.db.sqlite, write('broken.json', '[{"sip_meta_id":"1","user_id":"u","amount":1},')).catch(() => null)
    expect(indexes()).toEqual(before)
    await importFile(t.db.sqlite, await generatedExport(t.tmp.dir, 'book.json', { sips: 100, seed: 6 }))
    expect(indexes()).toEqual(before)
    const plan = t.db.sqlite.prepare("EXPLAIN QUERY PLAN SELECT * FROM sips WHERE user_id = 'x'").all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX sips_user/)
  })

  it('rolls back a cancelled import', async () => {
    const file = await generatedExport(t.tmp.dir, 'big.json', { sips: 5000, seed: 9 })
    const abort = new AbortController()
    const error = await importFile(t.db.sqlite, file, {
      signal: abort.signal,
      progressIntervalMs: 0,
      onProgress: ({ records }) => {
        if (records > 1000) abort.abort()
      },
    }).catch((e: unknown) => e)
    expect((error as AppError).code).toBe('cancelled')
    expect(count('sips')).toBe(0)
    expect(count('imports')).toBe(0)
  })

  it.each([
    ['missing.json', null, /file not found/],
    ['empty.json', '', /empty/],
    ['object.json', '"text"', /expected a JSON array or JSON Lines/],
  ])('refuses %s with a message naming it', async (name, content, message) => {
    const file = content === null ? t.tmp.file(name) : write(name, content)
    await expect(importFile(t.db.sqlite, file)).rejects.toThrow(message)
    await expect(importFile(t.db.sqlite, file)).rejects.toThrow(new RegExp(`^${name.replace('.', '\\.')}: `))
    expect(count('imports')).toBe(0)
  })

  it('refuses a folder', async () => {
    await expect(importFile(t.db.sqlite, t.tmp.dir)).rejects.toThrow(/is a folder/)
  })
})

describe('progress', () => {
  it('reports records and bytes while reading, ending at the whole file', async () => {
    const file = await generatedExport(t.tmp.dir, 'book.json', { sips: 3000, seed: 4 })
    const seen: { records: number; bytes_read: number; total_bytes: number }[] = []
    await importFile(t.db.sqlite, file, { progressIntervalMs: 0, onProgress: (p) => seen.push(p) })
    expect(seen.length).toBeGreaterThan(2)
    const last = seen[seen.length - 1]
    expect(last).toEqual({ records: 3000, bytes_read: fs.statSync(file).size, total_bytes: fs.statSync(file).size })
    for (let i = 1; i < seen.length; i++) expect(seen[i].records).toBeGreaterThanOrEqual(seen[i - 1].records)
  })
})
