import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFile } from '../import/importer'
import { scratch, tempDb } from '../testing/support'
import { generateSips } from './generate'
import { formatSip, groupThousands } from './format'
import { writeExport, type ExportOptions, type ExportSummary } from './write'

const tmp = scratch()
afterAll(() => tmp.cleanup())

type Row = Record<string, string | number | boolean | null>

let written = 0
/** Writes an export and returns its records with what `writeExport` said about it. */
async function book(options: ExportOptions): Promise<{ rows: Row[]; summary: ExportSummary; file: string; text: string }> {
  const file = tmp.file(`book-${written++}.json`)
  const summary = await writeExport(file, options)
  const text = fs.readFileSync(file, 'utf8')
  return { rows: JSON.parse(text) as Row[], summary, file, text }
}

const DAY = 86_400_000
const dayOf = (iso: unknown): number => Date.parse(`${String(iso).slice(0, 10)}T00:00:00Z`) / DAY
const debitDays = (row: Row): number[] => String(row.sip_days).split(',').map(Number)

/**
 * SPEC §3.4a, day by day: debit dates strictly between the last success and the as-of date, not
 * after the end date nor inside a known pause.
 */
function missedInstalments(row: Row, asOf: number): number {
  const days = debitDays(row)
  const [from, till, end] = [row.paused_from, row.paused_till, row.end_date].map((v) => (v ? dayOf(v) : null))
  let missed = 0
  for (let d = dayOf(row.latest_success_order_date) + 1; d < asOf; d++) {
    const date = new Date(d * DAY)
    const monthLength = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate()
    const debited = days.some((day) => Math.min(day, monthLength) === date.getUTCDate())
    const paused = from !== null && till !== null && d >= from && d <= till
    if (debited && !paused && (end === null || d <= end)) missed++
  }
  return missed
}

describe('generator', () => {
  it('is deterministic for a seed and different across seeds', async () => {
    const a = await book({ sips: 300, seed: 1 })
    const b = await book({ sips: 300, seed: 1 })
    const c = await book({ sips: 300, seed: 2 })
    expect(a.text).toBe(b.text)
    expect(a.text).not.toBe(c.text)
    expect(a.rows).toHaveLength(300)
  })

  it('writes all 45 fields of the real export, as strings in the formatted style', () => {
    const [first] = generateSips({ sips: 1, seed: 3 })
    const record = formatSip(first, true)
    expect(Object.keys(record)).toHaveLength(45)
    expect(Object.values(record).every((v) => typeof v === 'string')).toBe(true)
    expect(record.inserted_at).toMatch(/^[A-Z][a-z]+ \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M$/)
  })

  it('spreads statuses, step-ups and multi-SIP clients like the real samples', () => {
    const sips = [...generateSips({ sips: 5000, seed: 5 })]
    const share = (predicate: (s: (typeof sips)[number]) => boolean): number => sips.filter(predicate).length / sips.length
    expect(share((s) => s.status === 'Success')).toBeCloseTo(0.59, 1)
    expect(share((s) => s.status === 'Failed')).toBeCloseTo(0.33, 1)
    expect(share((s) => s.incrementPeriod === '')).toBeCloseTo(0.57, 1)
    expect(share((s) => s.failedAmount >= 5000)).toBeGreaterThan(0.2)
    // 1.65 SIPs per client on average: 0.61 clients per SIP, ± sampling noise of about 0.01.
    const clients = new Set(sips.map((s) => s.client.userId))
    expect(clients.size / sips.length).toBeGreaterThan(0.57)
    expect(clients.size / sips.length).toBeLessThan(0.65)
  })

  it('groups thousands as Metabase does', () => {
    expect(groupThousands(283000)).toBe('283,000')
    expect(groupThousands(129352.26)).toBe('129,352.26')
    expect(groupThousands(85)).toBe('85')
    expect(groupThousands(-1234567)).toBe('-1,234,567')
  })
})

describe('SIPs debited on several days a month', () => {
  it('are in every book, written as the real exports write them, one debit of `amount` each', async () => {
    for (const sips of [50, 3000]) {
      const { rows } = await book({ sips, seed: sips })
      const multi = rows.filter((r) => String(r.sip_days).includes(','))
      expect(multi.length, `${sips}-SIP book`).toBeGreaterThanOrEqual(Math.floor(sips / 50))
      for (const r of multi) {
        expect(r.sip_days).toMatch(/^\d{1,2}(,\d{1,2})+$/)
        const days = debitDays(r)
        expect(days).toEqual([...days].sort((x, y) => x - y))
        expect(new Set(days).size).toBe(days.length)
        expect(days.every((d) => d >= 1 && d <= 31)).toBe(true)
        expect(r.num_days).toBe(String(days.length))
        const num = (v: unknown): number => Number(String(v).replaceAll(',', ''))
        expect(num(r.success_amount)).toBe(num(r.amount) * num(r.success_count))
      }
      expect(rows.filter((r) => !String(r.sip_days).includes(',')).every((r) => r.num_days === '1')).toBe(true)
    }
  })

  it('includes the shapes of the real exports: 2 days, 5 days and every day 1–28', async () => {
    const { rows } = await book({ sips: 4000, seed: 9, style: 'raw' })
    const lists = new Set(rows.map((r) => r.sip_days))
    expect(lists).toContain('1,7,13,19,25')
    expect(lists).toContain(Array.from({ length: 28 }, (_, i) => i + 1).join(','))
    expect([...lists].some((l) => typeof l === 'string' && /^\d+,\d+$/.test(l))).toBe(true)
    // Raw style: a single day is a JSON number, a list a string; num_days a number.
    for (const r of rows) {
      expect(typeof r.sip_days === 'number' || String(r.sip_days).includes(',')).toBe(true)
      expect(r.num_days).toBe(debitDays(r).length)
    }
  })
})

describe('what the newer detectors look for', () => {
  let rows: Row[]
  let asOf: number
  beforeAll(async () => {
    rows = (await book({ sips: 5000, seed: 11, style: 'raw' })).rows
    asOf = Math.max(...rows.filter((r) => r.deleted !== true).map((r) => dayOf(r.inserted_at)))
  })

  it('has active failing SIPs 1, 2 and 3 or more instalments behind (auto-cancel risk)', () => {
    const failing = rows.filter((r) => r.deleted !== true && r.is_active === true && r.currentSipStatus === 'Failed')
    const paidOnce = failing.filter((r) => r.latest_success_order_date !== null)
    const missed = paidOnce.map((r) => missedInstalments(r, asOf))
    const share = (predicate: (m: number) => boolean): number => missed.filter(predicate).length / failing.length
    expect(share((m) => m === 1)).toBeGreaterThan(0.1)
    expect(share((m) => m === 2)).toBeGreaterThan(0.1)
    expect(share((m) => m >= 3)).toBeGreaterThan(0.3)
    expect(failing.length - paidOnce.length).toBeGreaterThan(0) // never paid: counted from the start date
  })

  it('has active SIPs ending within 60 and within 90 days of the snapshot (SIP ending)', () => {
    const active = rows.filter((r) => r.deleted !== true && r.is_active === true)
    const daysLeft = active.map((r) => dayOf(r.end_date) - asOf)
    expect(daysLeft.filter((d) => d >= 0 && d <= 60).length / active.length).toBeGreaterThan(0.01)
    expect(daysLeft.filter((d) => d > 60 && d <= 90).length).toBeGreaterThan(0)
    expect(daysLeft.filter((d) => d >= 0 && d <= 90).length / active.length).toBeLessThan(0.06)
  })

  it('has paused ranges: ahead on paused SIPs, behind on paying ones, over a missed instalment on failing ones', () => {
    const ranged = rows.filter((r) => r.paused_from !== null && r.paused_till !== null)
    expect(ranged.every((r) => dayOf(r.paused_till) >= dayOf(r.paused_from))).toBe(true)
    const byStatus = (status: string): Row[] => ranged.filter((r) => r.currentSipStatus === status)
    expect(byStatus('Paused').some((r) => dayOf(r.paused_till) > asOf)).toBe(true)
    expect(byStatus('Success').some((r) => dayOf(r.paused_till) < dayOf(r.latest_success_order_date))).toBe(true)
    expect(byStatus('Failed').some((r) => dayOf(r.paused_from) > dayOf(r.latest_success_order_date))).toBe(true)
  })
})

describe('the next month of a book', () => {
  const options = { sips: 4000, seed: 13, style: 'raw', clientsPath: '' } as const
  let month1: Awaited<ReturnType<typeof book>>
  let month2: Awaited<ReturnType<typeof book>>
  const clients = { month1: tmp.file('clients-1.json'), month2: tmp.file('clients-2.json') }
  const pairs: [Row, Row][] = []
  beforeAll(async () => {
    month1 = await book({ ...options, clientsPath: clients.month1 })
    month2 = await book({ ...options, clientsPath: clients.month2, month: 2 })
    const before = new Map(month1.rows.map((r) => [r.sip_meta_id, r]))
    for (const r of month2.rows) if (before.has(r.sip_meta_id)) pairs.push([before.get(r.sip_meta_id)!, r])
  })

  const changed = (test: (a: Row, b: Row) => boolean): number => pairs.filter(([a, b]) => test(a, b)).length
  const later = (a: unknown, b: unknown): boolean => a !== null && b !== null && dayOf(b) > dayOf(a)

  it('is the same for the same seed, and another book than month 1', async () => {
    expect((await book({ ...options, month: 2 })).text).toBe(month2.text)
    expect(month2.text).not.toBe(month1.text)
  })

  it('re-exports every SIP one month later', () => {
    expect(pairs.length).toBeGreaterThan(month1.rows.length * 0.98)
    const monthIndex = (iso: unknown): number => Number(String(iso).slice(0, 4)) * 12 + Number(String(iso).slice(5, 7))
    for (const [a, b] of pairs) {
      expect(monthIndex(b.inserted_at) - monthIndex(a.inserted_at)).toBe(1)
      expect(String(b.inserted_at).slice(10)).toBe(String(a.inserted_at).slice(10))
    }
  })

  it('has each kind of change, as many as the generator says', () => {
    const ids1 = new Set(month1.rows.map((r) => r.sip_meta_id))
    const ids2 = new Set(month2.rows.map((r) => r.sip_meta_id))
    const expected = {
      new_sip: [...ids2].filter((id) => !ids1.has(id)).length,
      left_out: [...ids1].filter((id) => !ids2.has(id)).length,
      stepped_up: changed((a, b) => Number(b.amount) > Number(a.amount)),
      reduced: changed((a, b) => Number(b.amount) < Number(a.amount)),
      stopped: changed((a, b) => a.is_active === true && b.is_active === false),
      deleted: changed((a, b) => a.deleted === false && b.deleted === true),
      started_failing: changed((a, b) => a.currentSipStatus !== 'Failed' && b.currentSipStatus === 'Failed'),
      recovered: changed((a, b) => a.currentSipStatus === 'Failed' && b.currentSipStatus === 'Success'),
      paused: changed((a, b) => a.currentSipStatus !== 'Paused' && b.currentSipStatus === 'Paused'),
      resumed: changed((a, b) => a.currentSipStatus === 'Paused' && ['Success', 'In Progress'].includes(String(b.currentSipStatus))),
      more_failed: changed((a, b) => Number(b.failed_amount) > Number(a.failed_amount)),
      renewed: changed((a, b) => later(a.end_date, b.end_date)),
    }
    for (const [kind, count] of Object.entries(expected)) expect(count, kind).toBeGreaterThan(0)
    expect(month2.summary.changes).toEqual(expected)
    expect(month2.summary.sips).toBe(month2.rows.length)
  })

  it('recovers with a later successful debit, steps up by the SIP’s own percentage or 10 %', () => {
    const recovered = pairs.filter(([a, b]) => a.currentSipStatus === 'Failed' && b.currentSipStatus === 'Success')
    expect(
      recovered.every(([a, b]) => a.latest_success_order_date === null || later(a.latest_success_order_date, b.latest_success_order_date)),
    ).toBe(true)
    for (const [a, b] of pairs.filter(([x, y]) => Number(y.amount) > Number(x.amount))) {
      const pct = Number(a.increment_percentage) > 0 ? Number(a.increment_percentage) : 10
      expect(Number(b.amount)).toBe(Math.ceil((Number(a.amount) * (1 + pct / 100)) / 10) * 10)
    }
  })

  it('leaves every month-1 client as it was and adds a few new ones', () => {
    const [c1, c2] = [clients.month1, clients.month2].map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as Row[])
    expect(c2.slice(0, c1.length)).toEqual(c1)
    const added = c2.slice(c1.length)
    expect(added.length).toBeGreaterThan(0)
    expect(added.length).toBeLessThan(c1.length * 0.02)
    const owners = new Set(month2.rows.map((r) => r.user_id))
    expect(added.every((c) => owners.has(c.user_id))).toBe(true)
  })

  it('imports after month 1 with nothing rejected: new SIPs inserted, the others replaced', async () => {
    const db = tempDb(tmp.dir, 'months.sqlite')
    try {
      for (const file of [month1.file, clients.month1])
        expect(await importFile(db.sqlite, file)).toMatchObject({ rejected: 0, warnings: 0 })
      expect(await importFile(db.sqlite, month2.file)).toMatchObject({
        rejected: 0,
        warnings: 0,
        inserted: month2.summary.changes.new_sip,
        updated: pairs.length,
      })
      expect(await importFile(db.sqlite, clients.month2)).toMatchObject({
        rejected: 0,
        inserted: month2.summary.clients - month1.summary.clients,
      })
    } finally {
      db.close()
    }
  })

  it('moves on month by month: month 3 follows month 2 as month 2 follows month 1', async () => {
    const month3 = await book({ ...options, month: 3 })
    const seen = new Set([...month1.rows, ...month2.rows].map((r) => r.sip_meta_id))
    const ids2 = new Set(month2.rows.map((r) => r.sip_meta_id))
    expect(month3.summary.changes.new_sip).toBe(month3.rows.filter((r) => !seen.has(r.sip_meta_id)).length)
    expect(month3.rows.filter((r) => ids2.has(r.sip_meta_id)).length).toBeGreaterThan(month2.rows.length * 0.98)
    // SIPs left out of month 2 are back in month 3.
    expect(month3.rows.filter((r) => seen.has(r.sip_meta_id) && !ids2.has(r.sip_meta_id)).length).toBeGreaterThan(0)
  })
})

describe('the bundled sample dataset (resources/sample)', () => {
  const shipped = (name: string): string =>
    gunzipSync(fs.readFileSync(path.resolve(__dirname, '../../../resources/sample', `${name}.gz`))).toString('utf8')

  it.each([
    [1, 'sample-sips.json', 'sample-clients.json'],
    [2, 'sample-sips-month2.json', 'sample-clients-month2.json'],
  ])('month %i was produced from seed 2026', async (month, sips, clientsName) => {
    const clientsFile = tmp.file(clientsName)
    await writeExport(tmp.file(sips), { sips: 2000, seed: 2026, month, clientsPath: clientsFile })
    // Compared as booleans: a mismatch would otherwise print both files whole.
    expect(shipped(sips) === fs.readFileSync(tmp.file(sips), 'utf8'), `${sips}.gz is stale: regenerate it (scripts/generate.ts)`).toBe(true)
    expect(
      shipped(clientsName) === fs.readFileSync(clientsFile, 'utf8'),
      `${clientsName}.gz is stale: regenerate it (scripts/generate.ts)`,
    ).toBe(true)
  })
})

describe('npm run generate and npm run build (issues #22, #27)', () => {
  const root = path.resolve(__dirname, '../../..')
  it('prints its usage for --help and refuses an unknown option in one line, never a stack trace', () => {
    const run = (...args: string[]) =>
      // tsx's loader in one process (its cli.mjs starts a second one to run the script).
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate.ts', ...args], {
        cwd: root,
        encoding: 'utf8',
      })
    const help = run('--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^usage: npm run generate -- --sips N --out FILE/)
    expect(help.stderr).toBe('')
    const bogus = run('--bogus')
    expect(bogus.status).toBe(1)
    expect(bogus.stderr).toMatch(/^Unknown option '--bogus'/)
    expect(bogus.stderr).not.toMatch(/\n\s+at /)
  })

  it('builds the web renderer that `partner-dashboard web` serves along with the app (SPEC §6)', () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
    expect(scripts.build.split('&&').map((s) => s.trim())).toContain('npm run build:web')
  })
})
