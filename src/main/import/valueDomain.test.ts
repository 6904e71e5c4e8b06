import fs from 'node:fs'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDb, type Db } from '../db/open'
import { backupDatabase, restoreFromStaging, restoreInto } from '../services/backup'
import { dataAsOf } from '../services/settings'
import { localToday as today } from '../../shared/format'
import { scratch } from '../testing/support'
import { importFile } from './importer'

/**
 * One value domain for import and restore (SPEC §2.3, §8.4, §8.8): what an import stores, a restore
 * takes back unchanged; what an older version let in, a restore brings within the domain.
 */

let tmp: ReturnType<typeof scratch>
beforeEach(() => (tmp = scratch()))
afterEach(() => tmp.cleanup())

let files = 0
async function importRecords(db: Db, records: unknown[]): Promise<Awaited<ReturnType<typeof importFile>>> {
  const file = tmp.file(`export-${files++}.json`)
  fs.writeFileSync(file, JSON.stringify(records))
  return importFile(db.sqlite, file)
}

const DATA_TABLES = ['sips', 'clients', 'sip_history']
const dataOf = (db: Db): Record<string, unknown[]> =>
  Object.fromEntries(DATA_TABLES.map((table) => [table, db.sqlite.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()]))

describe('numbers (SPEC §2.3)', () => {
  it('stores only decimal digits, finite and within 0 ≤ v ≤ 10^12; a required amount outside it rejects the row', async () => {
    const db = openDb(tmp.file('book.sqlite'))
    const base = { user_id: 'u1', inserted_at: '2026-03-01T09:00:00' }
    const report = await importRecords(db, [
      {
        ...base,
        sip_meta_id: '1',
        amount: '5,000/-',
        num_days: '0x10',
        success_amount: '1e3',
        failed_amount: 'Infinity',
        success_count: '12abc',
      },
      { ...base, sip_meta_id: '2', amount: 1e308 },
      { ...base, sip_meta_id: '3', amount: '-50000' },
      { ...base, sip_meta_id: '4', amount: '20,00,00,00,00,00,000' },
      { ...base, sip_meta_id: '5', amount: '1000', paused_amount: -5, pending_amount: '0b101' },
    ])
    expect(report).toMatchObject({ read: 5, inserted: 2, rejected: 3 })
    const rejected = Object.fromEntries(report.issues.filter((i) => i.level === 'rejected').map((i) => [i.sip_meta_id, i.reason]))
    expect(rejected).toEqual({
      '2': 'number out of range (over 10^12): 1e+308',
      '3': 'negative number: "-50000"',
      '4': 'number out of range (over 10^12): "20,00,00,00,00,00,000"',
    })
    const warned = report.issues.filter((i) => i.level === 'warning').map((i) => `${i.sip_meta_id} ${i.field}: ${i.reason}`)
    expect(warned).toEqual([
      '1 num_days: not a number: "0x10"',
      '1 success_amount: not a number: "1e3"',
      '1 failed_amount: not a number: "Infinity"',
      '1 success_count: not a number: "12abc"',
      '5 pending_amount: not a number: "0b101"',
      '5 paused_amount: negative number: -5',
    ])
    expect(
      db.sqlite.prepare('SELECT sip_meta_id, amount, num_days, success_amount, failed_amount, paused_amount FROM sips ORDER BY 1').all(),
    ).toEqual([
      { sip_meta_id: '1', amount: 5000, num_days: null, success_amount: null, failed_amount: null, paused_amount: null },
      { sip_meta_id: '5', amount: 1000, num_days: null, success_amount: null, failed_amount: null, paused_amount: null },
    ])
    db.close()
  })
})

describe('snapshot times after tomorrow (SPEC §8.4)', () => {
  const localDate = (days: number): string => {
    const d = new Date()
    d.setDate(d.getDate() + days)
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
  }

  it('keeps the row with a warning and the import time as its snapshot, and never lets it set the as-of', async () => {
    const db = openDb(tmp.file('book.sqlite'))
    const report = await importRecords(db, [
      { sip_meta_id: '1', user_id: 'u1', amount: '1,000', inserted_at: 'March 1, 2026, 9:00 AM' },
      { sip_meta_id: '2', user_id: 'u2', amount: '1,000', inserted_at: 'January 12, 2100, 8:49 AM' },
      { sip_meta_id: '3', user_id: 'u3', amount: '1,000', inserted_at: `${localDate(2)}T00:00:00` },
      { sip_meta_id: '4', user_id: 'u4', amount: '1,000', inserted_at: `${localDate(1)}T23:59:59` },
    ])
    expect(report).toMatchObject({ inserted: 4, rejected: 0 })
    expect(report.issues.map((i) => [i.sip_meta_id, i.field, i.reason])).toEqual([
      ['2', 'inserted_at', "2100-01-12T08:49:00 is after tomorrow; the import's time is used as the snapshot time"],
      ['3', 'inserted_at', `${localDate(2)}T00:00:00 is after tomorrow; the import's time is used as the snapshot time`],
    ])
    const rows = db.sqlite.prepare('SELECT sip_meta_id, inserted_at, snapshot_at FROM sips ORDER BY 1').all() as {
      sip_meta_id: string
      inserted_at: string | null
      snapshot_at: string
    }[]
    expect(rows[1]).toMatchObject({ inserted_at: null, snapshot_at: expect.stringMatching(new RegExp(`^${localDate(0)}T`)) })
    expect(rows[2]).toMatchObject({ inserted_at: null, snapshot_at: expect.stringMatching(new RegExp(`^${localDate(0)}T`)) })
    // Tomorrow is not the future yet: that row's own time stands, and the as-of is that day.
    expect(rows[3]).toMatchObject({ inserted_at: `${localDate(1)}T23:59:59`, snapshot_at: `${localDate(1)}T23:59:59` })
    expect(dataAsOf(db)).toBe(localDate(1))
    db.close()
  })

  it('with only future snapshots, the as-of is today', async () => {
    const db = openDb(tmp.file('book.sqlite'))
    const report = await importRecords(db, [{ sip_meta_id: '1', user_id: 'u1', amount: '1', inserted_at: 'January 12, 2099, 8:49 AM' }])
    expect(report.warnings).toBe(1)
    expect(dataAsOf(db)).toBeNull()
    expect(today()).toBe(localDate(0))
    db.close()
  })
})

describe('one domain for import and restore (SPEC §8.8)', () => {
  const year = fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0'))
  const dateValue = fc.oneof(
    fc
      .tuple(year, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
    fc.tuple(year, fc.constantFrom('January', 'Mar', 'December')).map(([y, m]) => `${m} 12, ${y}, 8:49 AM`),
    fc.string({ maxLength: 12 }),
    fc.constant(''),
  )
  const amountValue = fc.oneof(
    fc.double({ noNaN: true }),
    fc.integer({ min: -1e6, max: 1e6 }),
    fc.bigInt({ min: 0n, max: 10n ** 17n }).map((n) => Number(n).toLocaleString('en-IN')),
    fc.constantFrom('0x10', '1e3', '-0', 'Infinity', '₹ 1,20,000/-', 'INR 5', '10,00,00,00,00,000', '', '12abc', '1e308'),
  )
  const textValue = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.integer({ min: 9_990, max: 10_010 }).map((n) => 'x'.repeat(n)),
  )
  const sipRecord = fc.record({
    sip_meta_id: fc.constantFrom('1', '2', '1,04,431', '104,431', '3'),
    user_id: fc.constantFrom('u1', 'u2'),
    amount: amountValue,
    success_amount: amountValue,
    start_date: dateValue,
    inserted_at: dateValue,
    goal_name: textValue,
  })
  const clientRecord = fc.record({
    user_id: fc.constantFrom('u1', 'u2'),
    name: textValue,
    total_invested_value: amountValue,
    first_active_at: dateValue,
  })

  it('any imported book backs up and restores equal in its data tables', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(sipRecord, clientRecord), { minLength: 1, maxLength: 12 }), async (records) => {
        const run = scratch()
        try {
          const db = openDb(run.file('book.sqlite'))
          const file = run.file('export.json')
          fs.writeFileSync(file, JSON.stringify(records))
          await importFile(db.sqlite, file)
          const imported = dataOf(db)
          backupDatabase(db, run.file('backup.sqlite'))
          db.close()
          const target = run.file('restored.sqlite')
          openDb(target).close()
          const { repairs } = restoreFromStaging(
            { dbPath: target, source: run.file('backup.sqlite'), label: 'backup', staging: `${target}.staging`, keepAs: `${target}.kept` },
            () => {},
          )
          expect(repairs).toEqual({ cleared: 0, cut: 0, dropped: 0 })
          const restored = openDb(target)
          expect(dataOf(restored)).toEqual(imported)
          restored.close()
        } finally {
          run.cleanup()
        }
      }),
      { numRuns: 10, endOnFailure: true },
    )
  }, 180_000)

  it('restores a backup from before revision 3 with values outside the domain as null, counted in its report', async () => {
    const db = openDb(tmp.file('book.sqlite'))
    await importRecords(db, [
      { sip_meta_id: '1', user_id: 'u1', amount: '1,000', inserted_at: '2026-03-01T09:00:00', start_date: '2024-01-05' },
      { sip_meta_id: '2', user_id: 'u1', amount: '2,000', inserted_at: '2026-03-01T09:00:00' },
      { user_id: 'u1', name: 'Asha' },
    ])
    const backup = tmp.file('old-backup.sqlite')
    backupDatabase(db, backup)
    db.close()
    // What imports before revision 3 stored, and a note no screen of the app would take.
    const old = new Database(backup)
    old.exec(`UPDATE sips SET start_date = '201-03-15', success_amount = 2.4e15, failed_amount = -50000, goal_name = '${'g'.repeat(20_000)}' WHERE sip_meta_id = '1';
      UPDATE sips SET amount = 2e15 WHERE sip_meta_id = '2';
      UPDATE sip_history SET amount = 2e15 WHERE sip_meta_id = '2';
      UPDATE clients SET first_active_at = '2206-01-12T08:49:00';
      INSERT INTO follow_ups (type, user_id, agent_external_id, state, note, updated_at)
        VALUES ('failed_sips', 'u1', '', 'contacted', '${'n'.repeat(50_000)}', '2026-03-02T10:00:00')`)
    old.close()

    const live = openDb(tmp.file('live.sqlite'))
    const { repairs } = await restoreInto(live, backup)
    expect(repairs).toEqual({ cleared: 4, cut: 2, dropped: 2 })
    expect(
      live.sqlite.prepare('SELECT sip_meta_id, start_date, success_amount, failed_amount, length(goal_name) AS goal FROM sips').all(),
    ).toEqual([{ sip_meta_id: '1', start_date: null, success_amount: null, failed_amount: null, goal: 10_000 }])
    expect(live.sqlite.prepare('SELECT first_active_at FROM clients').get()).toEqual({ first_active_at: null })
    expect(live.sqlite.prepare('SELECT length(note) AS n FROM follow_ups').get()).toEqual({ n: 10_000 })
    live.close()
  })
})
