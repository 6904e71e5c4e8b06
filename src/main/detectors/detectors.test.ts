import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { addDays, addMonths, differenceInCalendarDays, differenceInMonths, getDaysInMonth, parse, setDate, startOfMonth } from 'date-fns'
import { importFile } from '../import/importer'
import { getClient } from '../services/clients'
import { refreshIfStale, storedVersion } from '../services/derived'
import { defaultMigrationsFolder } from '../db/open'
import { listOpportunities } from '../services/opportunities'
import { updateFollowUp } from '../services/followUps'
import { resolveAsOf, updateSettings } from '../services/settings'
import { getStats, listAgents } from '../services/stats'
import { describeOnFixtures, fixtureFiles, freshDbEachTest } from '../testing/support'
import { OPPORTUNITY_TYPES, type Opportunity, type OpportunityType } from '../../shared/detection'

/** A raw-style SIP that is live, active, paying and a year old at the default as-of (2026-01-15). */
const sip = (id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  sip_meta_id: id,
  user_id: `u-${id}`,
  agent_external_id: 'ag_1',
  agent_id: 101,
  amount: 1000,
  is_active: true,
  currentSipStatus: 'Success',
  start_date: '2025-01-15',
  success_count: 12,
  success_amount: 12000,
  failed_amount: 0,
  latest_success_order_date: '2026-01-05',
  inserted_at: '2026-01-15T10:00:00',
  increment_percentage: 0,
  has_current_mandate: true,
  deleted: false,
  ...overrides,
})

const t = freshDbEachTest()

async function load(records: object[], name = 'book.json'): Promise<void> {
  const file = t.tmp.file(name)
  fs.writeFileSync(file, JSON.stringify(records))
  const report = await importFile(t.db.sqlite, file)
  expect(report.rejected).toBe(0)
  refreshIfStale(t.db)
}

/** Every opportunity of a type, whatever its follow-up, after the explicit rebuild for the as-of asked. */
const all = (type: OpportunityType | 'all' = 'all', extra: Parameters<typeof listOpportunities>[1] = {}): Opportunity[] => {
  refreshIfStale(t.db, resolveAsOf(t.db, extra.as_of))
  return listOpportunities(t.db, { type, limit: 5000, states: ['open', 'contacted', 'converted', 'dismissed'], show_snoozed: true, ...extra })
    .rows
}
/** SPEC §3.1 re-implemented from the SIPs' own figures: per SIP the largest per-type amount, summed. */
function atStakeOf(opportunities: Opportunity[]): number {
  const bySip = new Map<string, number>()
  for (const o of opportunities) {
    for (const id of o.sip_meta_ids) bySip.set(id, Math.max(bySip.get(id) ?? 0, perSipAnnual(o, id)))
  }
  return [...bySip.values()].reduce((n, v) => n + v, 0)
}

/** A SIP's share of an opportunity's annual value, from the stored SIP (SPEC §3.1). */
function perSipAnnual(o: Opportunity, id: string): number {
  const s = t.db.sqlite.prepare('SELECT * FROM sips WHERE sip_meta_id = ?').get(id) as Record<string, number | string | null>
  const monthly = Number(s.amount) * Math.max(1, s.sip_days ? (JSON.parse(String(s.sip_days)) as number[]).length : 0)
  switch (o.type) {
    case 'no_sip_increase':
      return (12 * monthly * (Number(s.increment_percentage) > 0 ? Number(s.increment_percentage) : 10)) / 100
    case 'failed_sips':
      return s.current_sip_status === 'Failed' && s.is_active === 1 ? 12 * monthly : 0
    case 'high_value_inactive':
      return 12 * monthly * 0.5
    default:
      return 12 * monthly
  }
}

const users = (type: OpportunityType, extra = {}): string[] =>
  all(type, extra)
    .map((o) => o.user_id)
    .sort()

describe('no SIP increase', () => {
  it('needs 12 complete months running (11 is not enough)', async () => {
    await load([
      sip('12m'),
      sip('11m', { start_date: '2025-01-16' }),
      sip('fallback', { start_date: null, first_success_order_date: '2024-07-01' }),
    ])
    expect(users('no_sip_increase')).toEqual(['u-12m', 'u-fallback'])
    const [o] = all('no_sip_increase', { search: 'u-12m' })
    expect(o).toMatchObject({
      running_months: 12,
      expected_increments: 1,
      current_sip_amount: 1000,
      monthly_increase: 100,
      potential_value: 1200,
      annual_value: 1200,
      score: 2,
    })
  })

  it('needs an average instalment of at least 0.99 × amount (a stepped-up SIP paid less before)', async () => {
    await load([sip('99', { success_amount: 11880 }), sip('98', { success_amount: 11760 })])
    expect(users('no_sip_increase')).toEqual(['u-99'])
  })

  it('needs two successful instalments, an active SIP, status Success and a live SIP', async () => {
    await load([
      sip('two', { success_count: 2, success_amount: 2000 }),
      sip('one', { success_count: 1, success_amount: 1000 }),
      sip('inactive', { is_active: false }),
      sip('failed', { currentSipStatus: 'Failed' }),
      sip('deleted', { deleted: true }),
    ])
    expect(users('no_sip_increase')).toEqual(['u-two'])
  })

  it('suggests the step-up the SIP was configured with, else the default, and counts 6-monthly increments', async () => {
    await load([
      sip('configured', {
        increment_percentage: 20,
        increment_period: '6M',
        start_date: '2024-01-15',
        success_count: 24,
        success_amount: 24000,
      }),
      sip('default', { start_date: '2024-01-15', success_count: 24, success_amount: 24000 }),
    ])
    const [configured] = all('no_sip_increase', { search: 'configured' })
    expect(configured).toMatchObject({ monthly_increase: 200, potential_value: 2400, running_months: 24, expected_increments: 4, score: 4 })
    const [fallback] = all('no_sip_increase', { search: 'u-default' })
    expect(fallback).toMatchObject({ monthly_increase: 100, expected_increments: 2 })
    expect(fallback.description).toBe(
      '₹1,000 a month through a SIP for 24 months without a step-up; raising it by ₹100 a month adds ₹1,200 a year.',
    )
  })

  it('adds up a client’s SIPs into one opportunity with sorted ids', async () => {
    await load([
      sip('10', { user_id: 'asha' }),
      sip('9', { user_id: 'asha', amount: 2000, success_amount: 24000 }),
      sip('100', { user_id: 'asha', start_date: '2020-01-15' }),
    ])
    const [o] = all('no_sip_increase')
    expect(o).toMatchObject({
      user_id: 'asha',
      sip_meta_ids: ['9', '10', '100'],
      current_sip_amount: 4000,
      monthly_increase: 400,
      potential_value: 4800,
      running_months: 72,
      score: 10,
    })
  })
})

describe('failed SIPs', () => {
  it('needs ₹5,000 failed on a live SIP (₹4,999 is not enough)', async () => {
    await load([
      sip('5000', { failed_amount: 5000 }),
      sip('4999', { failed_amount: 4999 }),
      sip('gone', { failed_amount: 9000, deleted: true }),
    ])
    expect(users('failed_sips')).toEqual(['u-5000'])
  })

  it('computes the failure rate, score and flags', async () => {
    await load([
      sip('a', { user_id: 'ravi', failed_amount: 6000, success_amount: 6000, currentSipStatus: 'Failed', has_current_mandate: false }),
      sip('b', { user_id: 'ravi', failed_amount: 8000, success_amount: 32000 }),
      sip('never', { user_id: 'meera', failed_amount: 5000, success_amount: 0, success_count: 0 }),
    ])
    const ravi = all('failed_sips', { search: 'ravi' })[0]
    expect(ravi).toMatchObject({
      failed_amount: 14000,
      potential_value: 14000,
      failure_rate: 0.5,
      score: 5,
      currently_failing: true,
      mandate_missing: true,
      sip_meta_ids: ['a', 'b'],
    })
    // Only the SIP failing now is at stake (₹1,000 a month → ₹12,000 a year); the ₹14,000 is history.
    expect(ravi.annual_value).toBe(12000)
    expect(ravi.description).toBe(
      '₹14,000 of instalments failed over the life of 2 SIPs (up to 50% of instalments); the latest instalment failed, so ₹12,000 a year is not going in; set up a new mandate.',
    )
    expect(all('failed_sips', { search: 'meera' })[0]).toMatchObject({
      failure_rate: 1,
      score: 10,
      currently_failing: false,
      mandate_missing: false,
    })
  })
})

describe('high-value inactive', () => {
  it('needs ₹1,00,000 invested and 60 days without a successful instalment', async () => {
    await load([
      sip('60d', { success_amount: 100000, latest_success_order_date: '2025-11-16' }),
      sip('59d', { success_amount: 100000, latest_success_order_date: '2025-11-17' }),
      sip('poor', { success_amount: 99999, latest_success_order_date: '2025-01-01' }),
      sip('never', { success_amount: 500000, latest_success_order_date: null }),
    ])
    expect(users('high_value_inactive')).toEqual(['u-60d'])
    expect(all('high_value_inactive')[0]).toMatchObject({
      days_since_activity: 60,
      score: 2,
      current_sip_amount: 1000,
      potential_value: 6000,
      annual_value: 6000,
      last_activity_date: '2025-11-16',
    })
  })

  it('takes the client’s latest activity over all live SIPs, and skips deleted ones', async () => {
    await load([
      sip('old', { user_id: 'kavya', success_amount: 80000, latest_success_order_date: '2025-06-01' }),
      sip('recent-deleted', { user_id: 'kavya', success_amount: 80000, latest_success_order_date: '2026-01-10', deleted: true }),
      sip('old2', { user_id: 'kavya', success_amount: 30000, latest_success_order_date: '2025-07-01', amount: 3000 }),
    ])
    expect(all('high_value_inactive')[0]).toMatchObject({
      user_id: 'kavya',
      total_invested: 110000,
      last_activity_date: '2025-07-01',
      sip_meta_ids: ['old', 'old2'],
      current_sip_amount: 4000,
      score: 6.6,
    })
  })
})

describe('as-of, thresholds, ordering and stats', () => {
  it('defaults to the latest inserted_at date among live SIPs, and follows an override', async () => {
    await load([
      sip('a', { inserted_at: '2026-01-20T09:00:00' }),
      sip('b', { deleted: true, inserted_at: '2026-03-01T09:00:00' }),
      sip('c', { start_date: '2025-02-10' }),
    ])
    expect(listOpportunities(t.db, {}).as_of).toBe('2026-01-20')
    expect(users('no_sip_increase')).toEqual(['u-a'])
    expect(all('no_sip_increase', { as_of: '2026-02-10' })[0]).toBeDefined()
    expect(listOpportunities(t.db, { as_of: '2026-02-10' }).as_of).toBe('2026-02-10')
    expect(users('no_sip_increase', { as_of: '2026-02-10' })).toEqual(['u-a', 'u-c'])
    updateSettings(t.db, { as_of_mode: 'date', as_of_date: '2025-12-31' })
    expect(listOpportunities(t.db, {}).as_of).toBe('2025-12-31')
  })

  it('follows threshold changes', async () => {
    await load([sip('a', { failed_amount: 3000 })])
    expect(users('failed_sips')).toEqual([])
    updateSettings(t.db, { thresholds: { min_failed_amount: 2500 } })
    // Reads never rebuild: until the explicit step, they answer from the previous results, flagged.
    expect(listOpportunities(t.db, { type: 'failed_sips' })).toMatchObject({ refreshing: true, total: 0 })
    expect(users('failed_sips')).toEqual(['u-a'])
  })

  it('lets one client trigger two detectors', async () => {
    await load([sip('both', { user_id: 'anil', failed_amount: 7000 })])
    expect(
      all()
        .map((o) => o.type)
        .sort(),
    ).toEqual(['failed_sips', 'no_sip_increase'])
  })

  it('orders by score, then ₹ a year at stake, then user_id', async () => {
    await load([
      sip('1', { user_id: 'b', failed_amount: 6000, success_amount: 6000 }),
      sip('2', { user_id: 'a', failed_amount: 6000, success_amount: 6000 }),
      sip('3', { user_id: 'c', failed_amount: 9000, success_amount: 9000 }),
      sip('5', { user_id: 'e', failed_amount: 9000, success_amount: 9000, amount: 200, currentSipStatus: 'Failed' }),
      sip('4', { user_id: 'd', failed_amount: 9000, success_amount: 1000 }),
    ])
    // a, b, c and e score 5 alike: e's SIP is failing now, so ₹2,400 a year is at stake against the others' nothing.
    expect(all('failed_sips').map((o) => o.user_id)).toEqual(['d', 'e', 'a', 'b', 'c'])
  })

  it('keeps the book totals and the agents table equal to a count over the SIPs themselves', async () => {
    const statuses = ['Success', 'Failed', 'Paused', 'Failed', 'In Progress']
    const records = Array.from({ length: 48 }, (_, i) =>
      sip(String(i), {
        // u0…u9 each under several agents, some SIPs under none.
        user_id: `u${i % 10}`,
        agent_external_id: i % 7 === 0 ? null : `ag_${i % 3}`,
        amount: 500 + 100 * i,
        is_active: i % 5 !== 2,
        deleted: i % 11 === 0,
        currentSipStatus: statuses[i % 5],
        success_amount: 1000 * i,
      }),
    )
    await load(records)
    const live = records.filter((r) => !r.deleted)
    const agentOf = (r: Record<string, unknown>) => (r.agent_external_id as string | null) ?? null
    const sum = (rows: Record<string, unknown>[], value: (r: Record<string, unknown>) => number) => rows.reduce((n, r) => n + value(r), 0)
    const bookOf = (rows: Record<string, unknown>[]) => ({
      live_sips: rows.length,
      // A client is a (user_id, agent) pair (SPEC §3.1).
      clients: new Set(rows.map((r) => `${String(r.user_id)}|${agentOf(r)}`)).size,
      monthly_sip_amount: sum(rows, (r) => (r.is_active ? Number(r.amount) : 0)),
      total_invested: sum(rows, (r) => Number(r.success_amount)),
    })
    const statusMix = (rows: Record<string, unknown>[]) =>
      [...new Set(rows.map((r) => String(r.currentSipStatus)))]
        .map((status) => ({ status, count: rows.filter((r) => r.currentSipStatus === status).length }))
        .sort((a, b) => b.count - a.count || a.status.localeCompare(b.status))
    expect(getStats(t.db, {}).book).toEqual({
      ...bookOf(live),
      agents: new Set(live.map(agentOf).filter((a) => a !== null)).size,
      status_mix: statusMix(live),
    })
    const agents = new Map(listAgents(t.db, {}).agents.map((a) => [a.agent_external_id, a]))
    expect([...agents.keys()].sort()).toEqual(['ag_0', 'ag_1', 'ag_2', null].sort())
    for (const agent of agents.keys()) {
      const own = live.filter((r) => agentOf(r) === agent)
      expect(agents.get(agent)).toMatchObject(bookOf(own))
      if (agent !== null) expect(getStats(t.db, { agent }).book).toEqual({ ...bookOf(own), agents: 1, status_mix: statusMix(own) })
    }

    // A book from before the agents' books: the upgrade fills them as a rebuild does, and asks for a rebuild of the rest.
    const books = () => t.db.sqlite.prepare('SELECT * FROM agent_books ORDER BY agent_external_id').all()
    const rebuilt = books()
    t.db.sqlite.exec('DROP TABLE agent_books')
    const migration = fs.readFileSync(path.join(defaultMigrationsFolder(), '0012_agent_books.sql'), 'utf8')
    for (const statement of migration.split('--> statement-breakpoint')) t.db.sqlite.exec(statement)
    expect(books()).toEqual(rebuilt)
    expect(storedVersion(t.db)).toBe('')
  })

  it('keeps stats equal to the sum of the lists, for the book and per agent', async () => {
    const records = Array.from({ length: 60 }, (_, i) =>
      sip(String(i), {
        user_id: `u${i % 25}`,
        agent_external_id: `ag_${i % 3}`,
        failed_amount: (i % 4) * 3000,
        success_amount: i % 5 === 0 ? 150000 : 12000,
        latest_success_order_date: i % 2 ? '2025-10-01' : '2026-01-05',
      }),
    )
    await load(records)
    for (const agent of [undefined, 'ag_0', 'ag_2']) {
      const stats = getStats(t.db, { agent })
      for (const type of OPPORTUNITY_TYPES) {
        const list = all(type, { agent })
        expect(stats.by_type[type].count).toBe(list.length)
        expect(stats.by_type[type].potential).toBeCloseTo(
          list.reduce((n, o) => n + o.potential_value, 0),
          6,
        )
        expect(stats.by_type[type].annual_value).toBeCloseTo(
          list.reduce((n, o) => n + o.annual_value, 0),
          6,
        )
        expect(stats.by_type[type].listed).toBe(listOpportunities(t.db, { type, agent, limit: 1 }).total)
      }
      const everything = all('all', { agent })
      expect(stats.total_opportunities).toBe(everything.length)
      // ₹ a year at stake counts each SIP once, at its largest per-type amount (no follow-ups here: all due).
      expect(stats.annual_at_stake).toBeCloseTo(atStakeOf(everything), 6)
      expect(stats.annual_at_stake).toBeLessThan(everything.reduce((n, o) => n + o.annual_value, 0))
      // A client is a (user_id, agent) pair (SPEC §3.1).
      expect(stats.clients_with_opportunities).toBe(new Set(everything.map((o) => `${o.user_id}|${o.agent_external_id}`)).size)
      if (agent) expect(everything.every((o) => o.agent_external_id === agent)).toBe(true)
    }
    const { agents, as_of } = listAgents(t.db, {})
    expect(as_of).toBe(getStats(t.db, {}).as_of)
    expect(agents.reduce((n, a) => n + a.live_sips, 0)).toBe(60)
    expect(agents.reduce((n, a) => n + a.annual_at_stake, 0)).toBeCloseTo(getStats(t.db, {}).annual_at_stake, 6)
  })
})

describe('follow-ups', () => {
  it('survive re-imports and threshold changes, hide closed and snoozed ones by default, and log every change', async () => {
    await load([sip('a', { failed_amount: 6000 }), sip('b', { failed_amount: 7000 }), sip('c', { failed_amount: 8000 })])
    const key = (id: string) => ({ type: 'failed_sips' as const, user_id: `u-${id}`, agent_external_id: 'ag_1' })
    updateFollowUp(t.db, { ...key('a'), state: 'contacted', note: 'Called, will fix mandate' })
    updateFollowUp(t.db, { ...key('b'), state: 'dismissed' })
    updateFollowUp(t.db, { ...key('c'), next_action_date: '2999-01-01' })
    const visible = listOpportunities(t.db, { type: 'failed_sips' }).rows.map((o) => o.user_id)
    expect(visible).toEqual(['u-a'])
    expect(
      listOpportunities(t.db, { type: 'failed_sips', show_snoozed: true })
        .rows.map((o) => o.user_id)
        .sort(),
    ).toEqual(['u-a', 'u-c'])
    expect(getStats(t.db, {}).by_type.failed_sips.count).toBe(3)

    updateSettings(t.db, { thresholds: { min_failed_amount: 9000 } })
    expect(all('failed_sips')).toEqual([])
    updateSettings(t.db, { thresholds: { min_failed_amount: 5000 } })
    await load([sip('a', { failed_amount: 6500, inserted_at: '2026-01-20T10:00:00' })], 'newer.json')
    const again = all('failed_sips', { search: 'u-a' })[0]
    expect(again).toMatchObject({ status: 'contacted', failed_amount: 6500 })

    updateFollowUp(t.db, { ...key('a'), next_action_date: '2000-01-01' })
    expect(listOpportunities(t.db, { overdue: true }).rows.map((o) => o.user_id)).toEqual(['u-a'])
    expect(getStats(t.db, {}).overdue_follow_ups).toBe(1)
    const detail = getClient(t.db, { user_id: 'u-a' })
    const events = detail.follow_ups[0].events
    expect(events.map((e) => e.kind)).toEqual(['next_action_date', 'note', 'state'])
    expect(events[0]).toMatchObject({ kind: 'next_action_date', from_value: null, to_value: '2000-01-01' })
    expect(detail.follow_ups[0]).toMatchObject({ state: 'contacted', note: 'Called, will fix mandate' })
    expect(detail.history.map((h) => h.snapshot_at)).toEqual(['2026-01-15T10:00:00', '2026-01-20T10:00:00'])
  })
})

describeOnFixtures('the real sample exports', () => {
  /**
   * An independent route: the five detectors re-implemented record by record over the raw JSON
   * with date-fns, against the SQL (and, for auto-cancel, the instalment code) that the app runs.
   */
  it('give the same counts, ₹ a year and potential per type as a record-by-record re-implementation', async () => {
    for (const file of fixtureFiles()) await importFile(t.db.sqlite, file)
    refreshIfStale(t.db)
    const num = (v: string): number => Number(v.replaceAll(',', ''))
    const day = (v: string): Date | null => (v ? parse(v.split(', ').slice(0, 2).join(', '), 'MMMM d, yyyy', new Date(2000, 0, 1)) : null)
    const latest = new Map<string, Record<string, string>>()
    for (const file of fixtureFiles())
      for (const r of JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>[]) latest.set(r.sip_meta_id, r)
    const live = [...latest.values()].filter((r) => r.deleted !== 'true')
    const asOf = new Date(Math.max(...live.map((r) => day(r.inserted_at)!.getTime())))
    const debitDays = (r: Record<string, string>): number[] => [...new Set(r.sip_days.split(',').map(Number))]
    const monthly = (r: Record<string, string>): number => num(r.amount) * Math.max(1, debitDays(r).length)
    const clients = new Map<string, Record<string, string>[]>()
    for (const r of live)
      clients.set(`${r.user_id}|${r.agent_external_id}`, [...(clients.get(`${r.user_id}|${r.agent_external_id}`) ?? []), r])
    const expected = Object.fromEntries(OPPORTUNITY_TYPES.map((type) => [type, { count: 0, annual: 0, potential: 0 }])) as Record<
      OpportunityType,
      { count: number; annual: number; potential: number }
    >
    const add = (type: OpportunityType, annual: number, potential: number): void => {
      expected[type].count++
      expected[type].annual += annual
      expected[type].potential += potential
    }
    /** SPEC §3.4a with date-fns: each debit day of every month from the anchor's month to as-of, clamped to the month's end. */
    const missed = (r: Record<string, string>): number | null => {
      const last = day(r.latest_success_order_date)
      const from = last ?? day(r.start_date)
      if (!from) return null
      const end = day(r.end_date)
      const [pausedFrom, pausedTill] = [day(r.paused_from), day(r.paused_till)]
      let count = 0
      for (let month = startOfMonth(from); month <= asOf; month = addMonths(month, 1)) {
        const dates = new Set(debitDays(r).map((d) => setDate(month, Math.min(d, getDaysInMonth(month))).getTime()))
        for (const time of dates) {
          const date = new Date(time)
          const counted = last ? date > from : date >= from
          if (!counted || date >= asOf || (end && date > end)) continue
          if (pausedFrom && pausedTill && date >= pausedFrom && date <= pausedTill) continue
          count++
        }
      }
      return count
    }
    for (const sips of clients.values()) {
      const stepUps = sips.filter((r) => {
        const start = day(r.start_date) ?? day(r.first_success_order_date)
        return (
          r.is_active === 'true' &&
          r.currentSipStatus === 'Success' &&
          num(r.success_count) >= 2 &&
          start !== null &&
          num(r.success_amount) / num(r.success_count) >= 0.99 * num(r.amount) &&
          differenceInMonths(asOf, start) >= 12
        )
      })
      if (stepUps.length) {
        const yearly = stepUps.reduce((n, r) => n + (12 * monthly(r) * (num(r.increment_percentage) > 0 ? num(r.increment_percentage) : 10)) / 100, 0)
        add('no_sip_increase', yearly, yearly)
      }
      const failed = sips.filter((r) => num(r.failed_amount) >= 5000)
      if (failed.length) {
        add(
          'failed_sips',
          failed.reduce((n, r) => n + (r.currentSipStatus === 'Failed' && r.is_active === 'true' ? 12 * monthly(r) : 0), 0),
          failed.reduce((n, r) => n + num(r.failed_amount), 0),
        )
      }
      const invested = sips.reduce((n, r) => n + num(r.success_amount), 0)
      const last = sips
        .map((r) => day(r.latest_success_order_date))
        .filter((d) => d !== null)
        .sort((a, b) => b!.getTime() - a!.getTime())[0]
      if (last && invested >= 100000 && differenceInCalendarDays(asOf, last) >= 60) {
        const yearly = 12 * sips.reduce((n, r) => n + monthly(r), 0) * 0.5
        add('high_value_inactive', yearly, yearly)
      }
      const failing = sips.filter((r) => r.is_active === 'true' && r.currentSipStatus === 'Failed' && (missed(r) ?? 0) >= 1)
      if (failing.length) add('auto_cancel_risk', 12 * failing.reduce((n, r) => n + monthly(r), 0), 12 * failing.reduce((n, r) => n + monthly(r), 0))
      const ending = sips.filter((r) => {
        const end = day(r.end_date)
        return r.is_active === 'true' && end !== null && end >= asOf && end <= addDays(asOf, 60)
      })
      if (ending.length) add('sip_ending', 12 * ending.reduce((n, r) => n + monthly(r), 0), 12 * ending.reduce((n, r) => n + monthly(r), 0))
    }
    const stats = getStats(t.db, {})
    expect(stats.as_of).toBe('2026-01-30')
    for (const type of OPPORTUNITY_TYPES) {
      expect(stats.by_type[type].count, type).toBe(expected[type].count)
      expect(stats.by_type[type].annual_value, type).toBeCloseTo(expected[type].annual, 2)
      expect(stats.by_type[type].potential, type).toBeCloseTo(expected[type].potential, 2)
    }
    expect(expected.auto_cancel_risk.count).toBeGreaterThan(20)
    expect(expected.no_sip_increase.count + expected.failed_sips.count + expected.high_value_inactive.count).toBeGreaterThan(100)
  })

  it('read the 14 SIPs debited on several days a month at their monthly amount', async () => {
    for (const file of fixtureFiles()) await importFile(t.db.sqlite, file)
    const multi = t.db.sqlite
      .prepare('SELECT sip_meta_id, amount, sip_days, num_days, monthly_amount FROM sips WHERE json_array_length(sip_days) > 1')
      .all() as { amount: number; sip_days: string; num_days: number; monthly_amount: number }[]
    expect(multi).toHaveLength(14)
    for (const s of multi) {
      expect(JSON.parse(s.sip_days)).toHaveLength(s.num_days)
      expect(s.monthly_amount).toBe(s.amount * s.num_days)
    }
  })
})
