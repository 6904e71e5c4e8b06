import fs from 'node:fs'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../db/open'
import { generatedExport, scratch, tempDb } from '../testing/support'
import { importFile } from './importer'
import { AppError } from '../../shared/errors'

/**
 * Hostile files: for each, the import ends in bounded time with either a clear message (and the
 * database byte-for-byte as before) or row-level issues, and SQLite's integrity check stays ok.
 */

const sip = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  sip_meta_id: '900001',
  user_id: 'hostile-user',
  amount: '1,000',
  inserted_at: 'March 1, 2026, 9:00 AM',
  ...extra,
})
const array = (...records: unknown[]): string => JSON.stringify(records)
const withRaw = (rawField: string): string => `[{"sip_meta_id":"900001","user_id":"hostile-user","amount":"1,000",${rawField}}]`

type Expect = { fails: RegExp } | { issues: (report: Awaited<ReturnType<typeof importFile>>, db: Db) => void }

let valid = ''
const cut = (fraction: number) => (): string => valid.slice(0, Math.floor(valid.length * fraction))

const CASES: [name: string, content: () => string | Buffer, expected: Expect][] = [
  ...[0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999].map((f): [string, () => string, Expect] => [
    `truncated at ${f * 100}%`,
    cut(f),
    { fails: /ends unexpectedly|invalid JSON/ },
  ]),
  ['truncated mid-escape', () => '[{"sip_meta_id":"1","user_id":"a\\', { fails: /ends unexpectedly/ }],
  [
    'invalid UTF-8',
    () => Buffer.concat([Buffer.from('[{"sip_meta_id":"1","user_id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","amount":1}]')]),
    { fails: /invalid UTF-8 in record 1/ },
  ],
  [
    'a NUL byte between records',
    () => `[${JSON.stringify(sip())},\u0000${JSON.stringify(sip())}]`,
    // The NUL is named, escaped, and V8's echo of the input is left out.
    { fails: /invalid JSON in record 2: Unexpected token '\\u0000' \(line 1, byte \d+\); nothing was imported$/ },
  ],
  ['a raw NUL inside a string', () => withRaw('"goal_name":"a\u0000b"'), { fails: /invalid JSON in record 1/ }],
  ['a 0-byte file', () => '', { fails: /empty/ }],
  ['only whitespace', () => ' \r\n\t ', { fails: /empty/ }],
  ['a top-level string', () => '"SIP book"', { fails: /expected a JSON array or JSON Lines of objects/ }],
  ['a top-level number', () => '12345', { fails: /expected a JSON array or JSON Lines of objects/ }],
  [
    'a binary file',
    () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
    { fails: /expected a JSON array|invalid/ },
  ],
  [
    'a truncated gzip',
    () => gzipSync(Buffer.from(array(sip(), sip({ sip_meta_id: '2' })))).subarray(0, 20),
    { fails: /compressed file is damaged|ends unexpectedly|empty/ },
  ],
  ['text after the array', () => `${array(sip())} and more`, { fails: /after the end of the JSON array/ }],
  ['two arrays', () => `${array(sip())}${array(sip())}`, { fails: /after the end of the JSON array/ }],
  ['a trailing comma', () => `[${JSON.stringify(sip())},]`, { fails: /missing record/ }],
  ['an empty array', () => '[]', { issues: (r) => expect(r).toMatchObject({ read: 0, inserted: 0, rejected: 0 }) }],
  ['a top-level object', () => JSON.stringify(sip()), { issues: (r) => expect(r).toMatchObject({ read: 1, inserted: 1 }) }],
  [
    'nesting 100,000 deep in a field',
    () => withRaw(`"goal_name":${'['.repeat(100_000)}${']'.repeat(100_000)}`),
    {
      issues: (r) =>
        expect(r.issues).toEqual([expect.objectContaining({ level: 'warning', field: 'goal_name', reason: 'expected text, got a list' })]),
    },
  ],
  [
    'nesting 100,000 deep as a record',
    () => `[${'['.repeat(100_000)}${']'.repeat(100_000)}]`,
    { issues: (r) => expect(r).toMatchObject({ read: 1, rejected: 1 }) },
  ],
  [
    'a 10 MB string value',
    () => `[${withRaw(`"goal_name":"${'x'.repeat(10 * 1024 * 1024)}"`).slice(1, -1)},${JSON.stringify(sip({ sip_meta_id: '900002' }))}]`,
    {
      // SPEC §8.9: the record over 1 MB is rejected with its position, unread; the import goes on.
      issues: (r) => {
        expect(r).toMatchObject({ read: 2, inserted: 1, rejected: 1 })
        expect(r.issues).toEqual([
          expect.objectContaining({
            level: 'rejected',
            position: 1,
            reason: expect.stringMatching(/^record is larger than 1\.0 MB \(1,04,85,8\d\d bytes\); skipped unread$/),
          }),
        ])
      },
    },
  ],
  [
    'a record of just over 1 MB in JSON Lines',
    () => `${JSON.stringify(sip({ goal_name: 'y'.repeat(1_048_576) }))}\n${JSON.stringify(sip({ sip_meta_id: '900002' }))}\n`,
    { issues: (r) => expect(r).toMatchObject({ read: 2, inserted: 1, rejected: 1 }) },
  ],
  [
    'a 20,000-character text value',
    () => withRaw(`"paused_reason":"${'p'.repeat(20_000)}"`),
    {
      issues: (r, db) => {
        expect(r.issues).toEqual([
          expect.objectContaining({ level: 'warning', field: 'paused_reason', reason: 'longer than 10,000 characters (20,000); cut' }),
        ])
        expect(db.sqlite.prepare("SELECT length(paused_reason) AS n FROM sips WHERE sip_meta_id = '900001'").get()).toEqual({ n: 10_000 })
      },
    },
  ],
  [
    'a gzip bomb: 120 MB of one letter in 120 kB',
    () =>
      gzipSync(
        Buffer.concat([Buffer.from(withRaw('"paused_reason":"').slice(0, -1)), Buffer.alloc(120 * 1024 * 1024, 'A'), Buffer.from('"}]')]),
      ),
    {
      fails:
        /the compressed file inflates to more than 200× its size \(0\.1 MB compressed, over 2\d\.\d MB unpacked\); refused as a possible zip bomb; nothing was imported$/,
    },
  ],
  [
    'amount 1e308',
    () => withRaw('"success_amount":1e308'),
    { issues: (r) => expect(r.issues[0]).toMatchObject({ field: 'success_amount', reason: expect.stringMatching(/out of range/) }) },
  ],
  [
    'a negative amount',
    () => '[{"sip_meta_id":"900001","user_id":"u","amount":"-50000"}]',
    { issues: (r) => expect(r.issues[0]).toMatchObject({ level: 'rejected', field: 'amount', reason: 'negative number: "-50000"' }) },
  ],
  [
    'JavaScript number forms',
    () => withRaw('"num_days":"0x10","success_amount":"1e3","failed_amount":"0b101"'),
    {
      issues: (r) =>
        expect(r.issues.map((i) => i.reason)).toEqual(['not a number: "0x10"', 'not a number: "1e3"', 'not a number: "0b101"']),
    },
  ],
  [
    'a start date in year 201',
    () => withRaw('"start_date":"0201-03-15"'),
    {
      issues: (r) =>
        expect(r.issues).toEqual([expect.objectContaining({ field: 'start_date', reason: 'year outside 1900–2100: "0201-03-15"' })]),
    },
  ],
  [
    'an amount of 20 lakh crore crore',
    () => '[{"sip_meta_id":"900001","user_id":"u","amount":"20,00,00,00,00,00,000"}]',
    { issues: (r) => expect(r).toMatchObject({ rejected: 1, inserted: 0 }) },
  ],
  [
    'a snapshot dated 2206',
    () => array(sip({ inserted_at: 'January 12, 2206, 8:49 AM' })),
    {
      issues: (r, db) => {
        expect(r.issues).toEqual([
          expect.objectContaining({ level: 'warning', field: 'inserted_at', reason: expect.stringMatching(/year outside 1900–2100/) }),
        ])
        expect(db.sqlite.prepare("SELECT inserted_at FROM sips WHERE sip_meta_id = '900001'").get()).toEqual({ inserted_at: null })
      },
    },
  ],
  [
    '1e400 as an amount',
    () => withRaw('"success_amount":1e400'),
    { issues: (r) => expect(r.issues[0]).toMatchObject({ field: 'success_amount', reason: expect.stringMatching(/out of range/) }) },
  ],
  [
    '1e400 as the required amount',
    () => '[{"sip_meta_id":"900001","user_id":"u","amount":1e400}]',
    { issues: (r) => expect(r).toMatchObject({ rejected: 1, inserted: 0 }) },
  ],
  [
    '-0 everywhere',
    () => withRaw('"failed_amount":-0,"success_amount":"-0"'),
    {
      issues: (r, db) => {
        expect(r.warnings).toBe(0)
        expect(db.sqlite.prepare("SELECT failed_amount, success_amount FROM sips WHERE sip_meta_id = '900001'").get()).toEqual({
          failed_amount: 0,
          success_amount: 0,
        })
      },
    },
  ],
  [
    'NaN as text',
    () => withRaw('"failed_amount":"NaN","success_count":"Infinity"'),
    { issues: (r) => expect(r).toMatchObject({ inserted: 1, warnings: 2 }) },
  ],
  [
    '20-digit ids as text',
    () => array(sip({ sip_meta_id: '12345678901234567890', user_id: '98765432109876543210' })),
    {
      issues: (_r, db) =>
        expect(db.sqlite.prepare("SELECT user_id FROM sips WHERE sip_meta_id = '12345678901234567890'").get()).toEqual({
          user_id: '98765432109876543210',
        }),
    },
  ],
  [
    '20-digit ids as JSON numbers',
    () => '[{"sip_meta_id":12345678901234567890,"user_id":"u","amount":1}]',
    {
      issues: (r) =>
        expect(r.issues[0]).toMatchObject({
          level: 'rejected',
          field: 'sip_meta_id',
          reason: expect.stringMatching(/more than 15 digits/),
        }),
    },
  ],
  [
    'emoji and right-to-left names',
    () => array(sip({ goal_name: '🎯 هدف التقاعد 👨‍👩‍👧', paused_reason: 'שלום' })),
    {
      issues: (_r, db) =>
        expect(db.sqlite.prepare("SELECT goal_name, paused_reason FROM sips WHERE sip_meta_id = '900001'").get()).toEqual({
          goal_name: '🎯 هدف التقاعد 👨‍👩‍👧',
          paused_reason: 'שלום',
        }),
    },
  ],
  [
    '10,000 unknown keys in one record',
    () => array({ ...sip(), ...Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`extra_${i}`, i])) }),
    { issues: (r) => expect(r).toMatchObject({ inserted: 1, warnings: 0 }) },
  ],
  [
    'duplicate keys',
    () => '[{"sip_meta_id":"900001","user_id":"u","amount":"1","amount":"2,500"}]',
    {
      issues: (_r, db) => expect(db.sqlite.prepare("SELECT amount FROM sips WHERE sip_meta_id = '900001'").get()).toEqual({ amount: 2500 }),
    },
  ],
  [
    '__proto__, constructor and prototype keys',
    () => withRaw('"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}},"prototype":1'),
    {
      issues: (r) => {
        expect(r).toMatchObject({ inserted: 1 })
        expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined()
      },
    },
  ],
  [
    'every field with a wrong type',
    () =>
      array(
        Object.fromEntries(
          ['sip_meta_id', 'user_id', 'amount', 'start_date', 'is_active', 'scheme_name', 'success_count', 'inserted_at'].map((k) => [
            k,
            { wrong: true },
          ]),
        ),
      ),
    {
      issues: (r) => expect(r.issues[0]).toMatchObject({ level: 'rejected', field: 'sip_meta_id', reason: 'expected text, got an object' }),
    },
  ],
  [
    'booleans and arrays where text belongs',
    () => withRaw('"goal_name":true,"currentSipStatus":["Success"],"start_date":20260101'),
    {
      issues: (r) => expect(r.issues.map((i) => i.field).sort()).toEqual(['currentSipStatus', 'start_date']),
    },
  ],
  [
    'records that are not objects',
    () => '[1, "two", null, true, [], {}]',
    { issues: (r) => expect(r).toMatchObject({ read: 6, rejected: 6 }) },
  ],
]

describe('hostile files', () => {
  let tmp: ReturnType<typeof scratch>
  let db: Db
  beforeAll(async () => {
    tmp = scratch()
    db = tempDb(tmp.dir)
    await importFile(db.sqlite, await generatedExport(tmp.dir, 'base.json', { sips: 40, seed: 31 }))
    valid = fs.readFileSync(await generatedExport(tmp.dir, 'valid.json', { sips: 30, seed: 32 }), 'utf8')
  })
  afterAll(() => {
    db.close()
    tmp.cleanup()
  })

  it('has at least 30 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(30))

  it.each(CASES)('%s', async (name, content, expected) => {
    const file = tmp.file(`${name.replace(/\W+/g, '-')}.json`)
    fs.writeFileSync(file, content())
    // Cases reuse one SIP id: start each without it, so "inserted" means this case inserted it.
    db.sqlite.exec("DELETE FROM sips WHERE user_id IN ('hostile-user', 'u'); DELETE FROM sip_history WHERE sip_meta_id = '900001'")
    const before = db.sqlite.serialize()
    const started = Date.now()
    const outcome = await importFile(db.sqlite, file).catch((error: unknown) => error)
    expect(Date.now() - started).toBeLessThan(20_000)
    if ('fails' in expected) {
      expect(outcome).toBeInstanceOf(AppError)
      expect((outcome as AppError).code).toBe('import_failed')
      const message = (outcome as Error).message
      expect(message).toMatch(expected.fails)
      expect(message.startsWith(`${name.replace(/\W+/g, '-')}.json: `)).toBe(true)
      expect(message).not.toMatch(/\n\s+at /)
      expect(db.sqlite.serialize().equals(before)).toBe(true)
    } else {
      expect(outcome).not.toBeInstanceOf(Error)
      expected.issues(outcome as Awaited<ReturnType<typeof importFile>>, db)
    }
    expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.sqlite.inTransaction).toBe(false)
  })
})
