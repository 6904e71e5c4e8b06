import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { importFile } from '../import/importer'
import { refreshIfStale } from '../services/derived'
import { listOpportunities } from '../services/opportunities'
import { resolveAsOf, updateSettings } from '../services/settings'
import { getStats } from '../services/stats'
import { getClient } from '../services/clients'
import { freshDbEachTest } from '../testing/support'
import type { Opportunity, OpportunityType } from '../../shared/detection'
import { missedInstalments } from './instalments'

/** A raw-style SIP, live, active and failing since its last success on 5 Dec 2025; the data's as-of is 15 Jan 2026. */
const sip = (id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  sip_meta_id: id,
  user_id: `u-${id}`,
  agent_external_id: 'ag_1',
  amount: 1000,
  is_active: true,
  currentSipStatus: 'Failed',
  start_date: '2024-01-05',
  success_count: 20,
  success_amount: 20000,
  failed_amount: 0,
  latest_success_order_date: '2025-12-05',
  inserted_at: '2026-01-15T10:00:00',
  deleted: false,
  ...overrides,
})

const t = freshDbEachTest()

async function load(records: object[]): Promise<void> {
  const file = t.tmp.file('book.json')
  fs.writeFileSync(file, JSON.stringify(records))
  expect((await importFile(t.db.sqlite, file)).rejected).toBe(0)
  refreshIfStale(t.db)
}

const of = (type: OpportunityType, as_of?: string): Opportunity[] => {
  refreshIfStale(t.db, resolveAsOf(t.db, as_of))
  return listOpportunities(t.db, { type, as_of, limit: 1000, states: ['open', 'contacted', 'converted', 'dismissed'], show_snoozed: true })
    .rows
}
const find = (type: OpportunityType, userId: string, as_of?: string): Opportunity | undefined => of(type, as_of).find((o) => o.user_id === userId)

describe('SIPs debited on several days a month (SPEC §2.3)', () => {
  it('store the days as a list and count every debit in the monthly amount', async () => {
    await load([
      sip('multi', { sip_days: '1,7,13,19,25', amount: 7200, currentSipStatus: 'Success', is_active: true }),
      sip('spaced', { sip_days: ' 10 , 15 ', amount: 100 }),
      sip('number', { sip_days: 5, amount: 100 }),
      sip('dupe', { sip_days: '1,1', amount: 100 }),
      sip('zero', { sip_days: '0', amount: 100 }),
      sip('big', { sip_days: '32', amount: 100 }),
      sip('empty', { sip_days: '', amount: 100 }),
    ])
    const stored = Object.fromEntries(
      (t.db.sqlite.prepare('SELECT sip_meta_id, sip_days, monthly_amount FROM sips').all() as { sip_meta_id: string; sip_days: string | null; monthly_amount: number }[]).map(
        (r) => [r.sip_meta_id, [r.sip_days, r.monthly_amount]],
      ),
    )
    expect(stored).toEqual({
      multi: ['[1,7,13,19,25]', 36000],
      spaced: ['[10,15]', 200],
      number: ['[5]', 100],
      dupe: ['[1]', 100],
      zero: [null, 100],
      big: [null, 100],
      empty: [null, 100],
    })
    const client = getClient(t.db, { user_id: 'u-multi' })
    expect(client.sips[0]).toMatchObject({ amount: 7200, sip_days: [1, 7, 13, 19, 25], monthly_amount: 36000 })
    expect(getStats(t.db, {}).book.monthly_sip_amount).toBe(36000 + 200 + 100 + 100 + 100 + 100 + 100)
  })
})

describe('auto-cancel risk (SPEC §3.4a)', () => {
  it('counts instalments missed since the last success: 0, 1, 2 and 3 around the debit day', async () => {
    await load([
      sip('m0', { latest_success_order_date: '2026-01-05' }),
      sip('m1', { latest_success_order_date: '2025-12-05' }),
      sip('m2', { latest_success_order_date: '2025-11-05' }),
      sip('m3', { latest_success_order_date: '2025-10-05' }),
      // A debit due on the as-of day itself is not counted.
      sip('today', { sip_days: '15', latest_success_order_date: '2025-12-15' }),
      sip('paying', { latest_success_order_date: '2025-10-05', currentSipStatus: 'Success' }),
      sip('stopped', { latest_success_order_date: '2025-10-05', is_active: false }),
    ])
    const rows = of('auto_cancel_risk')
    expect(rows.map((o) => o.user_id).sort()).toEqual(['u-m1', 'u-m2', 'u-m3'])
    expect(find('auto_cancel_risk', 'u-m1')).toMatchObject({
      missed_instalments: 1,
      final_warning: false,
      ceased: false,
      next_debit_date: '2026-02-05',
      score: 5,
      annual_value: 12000,
      potential_value: 12000,
    })
    expect(find('auto_cancel_risk', 'u-m2')).toMatchObject({ missed_instalments: 2, final_warning: true, next_debit_date: '2026-02-05', score: 10 })
    expect(find('auto_cancel_risk', 'u-m2')!.description).toBe(
      '2 of 3 instalments missed on a SIP of ₹1,000 a month: one more failure on 5 Feb 2026 and the AMC cancels it — fix the mandate or bank balance before then (that date has passed: import a fresh export to see if it went through).',
    )
    expect(find('auto_cancel_risk', 'u-m3')).toMatchObject({ missed_instalments: 3, ceased: true, final_warning: false, next_debit_date: null, score: 6 })
    expect(find('auto_cancel_risk', 'u-m3')!.description).toBe(
      '3 instalments missed in a row on a SIP of ₹1,000 a month: the AMC has probably cancelled it — register the SIP again to keep ₹12,000 a year going in.',
    )
  })

  it('clamps the 31st to the month’s last day, uses the start when it never succeeded, and skips pauses and ended SIPs', async () => {
    await load([
      sip('feb', { sip_days: '31', latest_success_order_date: '2026-01-31' }),
      sip('feb2', { sip_days: '31', latest_success_order_date: '2025-12-31' }),
      sip('never', { latest_success_order_date: null, start_date: '2026-01-05' }),
      sip('nothing', { latest_success_order_date: null, start_date: null }),
      sip('paused', { latest_success_order_date: '2025-12-05', paused_from: '2026-01-01', paused_till: '2026-02-28' }),
      sip('ended', { latest_success_order_date: '2025-12-05', end_date: '2026-02-01' }),
    ])
    // As of 15 Mar 2026: the 31st falls on 28 Feb; 31 Mar is still ahead.
    expect(find('auto_cancel_risk', 'u-feb', '2026-03-15')).toMatchObject({ missed_instalments: 1, next_debit_date: '2026-03-31' })
    expect(find('auto_cancel_risk', 'u-feb2', '2026-03-15')).toMatchObject({ missed_instalments: 2, final_warning: true })
    // Never succeeded: the start date's own debit counts (5 Jan, 5 Feb, 5 Mar).
    expect(find('auto_cancel_risk', 'u-never', '2026-03-15')).toMatchObject({ missed_instalments: 3, ceased: true })
    expect(find('auto_cancel_risk', 'u-nothing', '2026-03-15')).toBeUndefined()
    // Paused through February: only 5 Mar counts; the SIP that ended on 1 Feb missed 5 Jan only.
    expect(find('auto_cancel_risk', 'u-paused', '2026-03-15')).toMatchObject({ missed_instalments: 1 })
    expect(find('auto_cancel_risk', 'u-ended', '2026-03-15')).toMatchObject({ missed_instalments: 1, next_debit_date: null })
  })

  it('finds the next debit across a year end, and the final warning’s date when a client has several failing SIPs', async () => {
    await load([
      sip('dec', { latest_success_order_date: '2025-11-05' }),
      sip('a', { user_id: 'both', sip_days: '20', latest_success_order_date: '2025-11-20', amount: 500 }),
      sip('b', { user_id: 'both', sip_days: '10,25', latest_success_order_date: '2025-12-25', amount: 700 }),
    ])
    // As of 20 Dec 2025: 5 Dec missed, next debit 5 Jan 2026.
    expect(find('auto_cancel_risk', 'u-dec', '2025-12-20')).toMatchObject({ missed_instalments: 1, next_debit_date: '2026-01-05' })
    // As of 15 Jan 2026: a missed 20 Dec (1); b missed 10 Jan (1): no final warning; earliest next debit is b's 25 Jan.
    expect(find('auto_cancel_risk', 'both')).toMatchObject({
      missed_instalments: 1,
      final_warning: false,
      next_debit_date: '2026-01-20',
      current_sip_amount: 500 + 1400,
      annual_value: 12 * 1900,
      sip_meta_ids: ['a', 'b'],
    })
    updateSettings(t.db, { thresholds: { auto_cancel_after: 2 } })
    // With 2 failures allowed, one missed is the final warning, and the score says so.
    expect(find('auto_cancel_risk', 'both')).toMatchObject({ final_warning: true, score: 10, next_debit_date: '2026-01-20' })
  })

  it('agrees with a plain count of the same dates', () => {
    const sipDates = { sip_days: [30], latest_success_order_date: '2025-12-30', start_date: null, end_date: null, paused_from: null, paused_till: null }
    // 30 Jan, 28 Feb (clamped), 30 Mar: as of 31 Mar, three missed.
    expect(missedInstalments(sipDates, '2026-03-31')).toBe(3)
    expect(missedInstalments(sipDates, '2026-03-30')).toBe(2)
  })
})

describe('SIP ending (SPEC §3.4b)', () => {
  it('takes end dates from the as-of day to 60 days after it, not 61', async () => {
    await load([
      sip('day0', { currentSipStatus: 'Success', end_date: '2026-01-15' }),
      sip('day60', { currentSipStatus: 'Success', end_date: '2026-03-16', sip_days: '10,15' }),
      sip('day61', { currentSipStatus: 'Success', end_date: '2026-03-17' }),
      sip('past', { currentSipStatus: 'Success', end_date: '2026-01-14' }),
      sip('inactive', { currentSipStatus: 'Success', end_date: '2026-02-01', is_active: false }),
    ])
    expect(of('sip_ending').map((o) => o.user_id).sort()).toEqual(['u-day0', 'u-day60'])
    expect(find('sip_ending', 'u-day0')).toMatchObject({ days_left: 0, score: 10, end_date: '2026-01-15', annual_value: 12000 })
    expect(find('sip_ending', 'u-day60')).toMatchObject({ days_left: 60, score: 1, current_sip_amount: 2000, annual_value: 24000 })
    expect(find('sip_ending', 'u-day60')!.description).toBe('SIP of ₹2,000 a month ends on 16 Mar 2026 — renew it (with a step-up).')
    updateSettings(t.db, { thresholds: { ending_within_days: 61 } })
    expect(of('sip_ending').map((o) => o.user_id).sort()).toEqual(['u-day0', 'u-day60', 'u-day61'])
  })
})

describe('money at stake (SPEC §3.1)', () => {
  it('counts a SIP once per client, at its largest amount, while each type’s sum keeps its own', async () => {
    // One failing SIP that is also ending: failed SIPs, auto-cancel risk and SIP ending each put ₹12,000 a year on it.
    await load([sip('x', { failed_amount: 6000, end_date: '2026-02-01' })])
    const stats = getStats(t.db, {})
    expect(stats.by_type.failed_sips.annual_value).toBe(12000)
    expect(stats.by_type.auto_cancel_risk.annual_value).toBe(12000)
    expect(stats.by_type.sip_ending.annual_value).toBe(12000)
    expect(stats.annual_at_stake).toBe(12000)
    expect(stats.failed_over_lives).toBe(6000)
  })
})

describe('counting instalments without listing them', () => {
  it('agrees with the listed dates over years, ends, pauses and short months', async () => {
    const { countInstalments, instalmentDates } = await import('./instalments')
    const schedules = [
      { days: [5], end_date: null, paused_from: null, paused_till: null },
      { days: [29, 30, 31], end_date: '2027-02-10', paused_from: null, paused_till: null },
      { days: [1, 15, 31], end_date: null, paused_from: '2024-02-20', paused_till: '2024-06-01' },
      { days: [31], end_date: '2025-03-31', paused_from: '2025-01-31', paused_till: '2025-02-28' },
    ]
    const ranges: [string, string][] = [
      ['2020-01-31', '2026-03-15'],
      ['2024-02-29', '2024-03-01'],
      ['2023-12-05', '2027-12-05'],
      ['2025-01-01', '2025-01-31'],
    ]
    for (const schedule of schedules)
      for (const [from, before] of ranges)
        for (const inclusive of [true, false]) {
          expect(countInstalments(schedule, from, before, inclusive)).toBe([...instalmentDates(schedule, from, before, inclusive)].length)
        }
  })
})
