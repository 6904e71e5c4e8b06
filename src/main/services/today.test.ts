import fs from 'node:fs'
import { beforeEach, describe, expect, it } from 'vitest'
import { importFile } from '../import/importer'
import { freshDbEachTest, generatedExport, startEachTestFrom } from '../testing/support'
import { parseRequest } from '../../shared/contract'
import { FOLLOW_UP_STATES, type Opportunity, type TodayRow } from '../../shared/detection'
import { QUEUE_GROUP, QUEUE_GROUPS } from '../../shared/queueGroups'
import { logCall } from './calls'
import { getClient } from './clients'
import { refreshIfStale } from './derived'
import { getFollowUp, updateFollowUp } from './followUps'
import { listOpportunities } from './opportunities'
import { localToday as today } from '../../shared/format'
import { getStats } from './stats'
import { listToday } from './today'
import { ashaSip } from '../testing/rawSip'

const t = freshDbEachTest()

const shift = (days: number): string => {
  const d = new Date(`${today()}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

const everything = (): Opportunity[] =>
  listOpportunities(t.db, { limit: 1000, states: [...FOLLOW_UP_STATES], show_snoozed: true }).rows.concat(
    listOpportunities(t.db, { limit: 1000, offset: 1000, states: [...FOLLOW_UP_STATES], show_snoozed: true }).rows,
  )

const wholeQueue = (agent?: string, pageSize = 97): TodayRow[] => {
  const rows: TodayRow[] = []
  for (;;) {
    const page = listToday(t.db, { agent, limit: pageSize, offset: rows.length })
    rows.push(...page.rows)
    if (page.rows.length === 0 || rows.length >= page.total) return rows
  }
}

/** SPEC §3.1 per SIP, from the stored SIP: what one SIP puts at stake for one type. */
function perSipAnnual(type: Opportunity['type'], id: string): number {
  const s = t.db.sqlite.prepare('SELECT * FROM sips WHERE sip_meta_id = ?').get(id) as Record<string, number | string | null>
  const monthly = Number(s.amount) * Math.max(1, s.sip_days ? (JSON.parse(String(s.sip_days)) as number[]).length : 0)
  if (type === 'no_sip_increase') return (12 * monthly * (Number(s.increment_percentage) > 0 ? Number(s.increment_percentage) : 10)) / 100
  if (type === 'failed_sips') return s.current_sip_status === 'Failed' && s.is_active === 1 ? 12 * monthly : 0
  if (type === 'high_value_inactive') return 12 * monthly * 0.5
  return 12 * monthly
}

/** SPEC §8.1 re-implemented: worth something first, then auto-cancel, ending, failed, inactive, no increase. */
const URGENT_FIRST: Opportunity['type'][] = ['auto_cancel_risk', 'sip_ending', 'failed_sips', 'high_value_inactive', 'no_sip_increase']
const reasonsOf = (due: Opportunity[]): TodayRow['reasons'] =>
  [...due]
    .sort(
      (a, b) => Number(a.annual_value === 0) - Number(b.annual_value === 0) || URGENT_FIRST.indexOf(a.type) - URGENT_FIRST.indexOf(b.type),
    )
    .map((o) => ({ type: o.type, annual_value: o.annual_value, description: o.description }))

/** SPEC §5 re-implemented over the opportunities and follow-ups as the lists report them. */
function expectedQueue(now: string): { key: string; group: number; at_stake: number; reasons: TodayRow['reasons'] }[] {
  const isDue = (o: Opportunity): boolean =>
    (o.status === 'open' && (o.next_action_date === null || o.next_action_date <= now)) ||
    (o.status === 'contacted' && o.next_action_date !== null && o.next_action_date <= now)
  const clients = new Map<string, Opportunity[]>()
  for (const o of everything().filter(isDue)) {
    const key = `${o.user_id}|${o.agent_external_id ?? ''}`
    clients.set(key, [...(clients.get(key) ?? []), o])
  }
  const rows = [...clients.entries()].map(([key, due]) => {
    const bySip = new Map<string, number>()
    for (const o of due) for (const id of o.sip_meta_ids) bySip.set(id, Math.max(bySip.get(id) ?? 0, perSipAnnual(o.type, id)))
    const next = due
      .map((o) => o.next_action_date)
      .filter((d): d is string => d !== null)
      .sort()[0]
    const warning = due.find((o) => o.type === 'auto_cancel_risk' && o.final_warning)
    const group =
      next !== undefined && next < now
        ? QUEUE_GROUP.overdue
        : next === now
          ? QUEUE_GROUP.due_today
          : warning
            ? QUEUE_GROUP.final_warning
            : QUEUE_GROUP.everyone_else
    const at_stake = [...bySip.values()].reduce((n, v) => n + v, 0)
    const sortDate =
      group === QUEUE_GROUP.overdue ? next! : group === QUEUE_GROUP.final_warning ? (warning!.next_debit_date ?? '9999-12-31') : ''
    return { key, group, at_stake, sortDate, reasons: reasonsOf(due) }
  })
  // SPEC §5 "₹0 rule": outside groups 1–3 a client is in the queue only with something at stake.
  const queued = rows.filter((r) => r.group !== QUEUE_GROUP.everyone_else || r.at_stake > 0)
  queued.sort(
    (a, b) =>
      a.group - b.group ||
      a.sortDate.localeCompare(b.sortDate) ||
      b.at_stake - a.at_stake ||
      (a.key.split('|')[0] < b.key.split('|')[0] ? -1 : a.key.split('|')[0] > b.key.split('|')[0] ? 1 : 0) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  )
  return queued.map(({ key, group, at_stake, reasons }) => ({ key, group, at_stake: Math.round(at_stake * 100) / 100, reasons }))
}

describe('the Today queue on a generated book', () => {
  startEachTestFrom(t, async () => {
    await importFile(t.db.sqlite, await generatedExport(t.tmp.dir, 'book.json', { sips: 1500, seed: 21 }))
    refreshIfStale(t.db)
    // Follow-ups of every kind on a spread of opportunities: overdue, due today, snoozed, closed, contacted.
    const plans = [
      { state: 'open', next_action_date: shift(-4) },
      { state: 'contacted', next_action_date: shift(0) },
      { state: 'open', next_action_date: shift(9) },
      { state: 'dismissed' },
      { state: 'contacted', next_action_date: null },
      { state: 'converted' },
      { state: 'contacted', next_action_date: shift(-1) },
    ] as const
    everything()
      .filter((_, i) => i % 5 === 0)
      .slice(0, 70)
      .forEach((o, i) =>
        updateFollowUp(t.db, { type: o.type, user_id: o.user_id, agent_external_id: o.agent_external_id, ...plans[i % plans.length] }),
      )
  })

  it('holds the clients with a due opportunity, in the SPEC §5 order, with at-stake counting each SIP once', () => {
    const queue = wholeQueue()
    const expected = expectedQueue(today())
    expect(queue.length).toBeGreaterThan(100)
    expect(new Set(queue.map((r) => r.group))).toEqual(new Set(QUEUE_GROUPS))
    // SPEC §8.1: the reasons are the due opportunities, most urgent first and those worth ₹0 last, each with its ₹ a year.
    expect(
      queue.map((r) => ({
        key: `${r.user_id}|${r.agent_external_id ?? ''}`,
        group: r.group,
        at_stake: Math.round(r.at_stake * 100) / 100,
        reasons: r.reasons,
      })),
    ).toEqual(expected)
    // At stake is never more than the sum of the reasons (a SIP behind several counts once).
    for (const row of queue) expect(row.at_stake).toBeLessThanOrEqual(row.reasons.reduce((n, r) => n + r.annual_value, 0) + 1e-6)
    const stats = getStats(t.db, {})
    expect(stats.due_clients).toBe(queue.length)
    expect(stats.annual_at_stake).toBeCloseTo(
      queue.reduce((n, r) => n + r.at_stake, 0),
      4,
    )
  })

  it('says each thing once a row: one list of reasons, the group (no overdue flag), the as-of date on the page', () => {
    const page = listToday(t.db, { limit: 60 })
    expect(page.rows).toHaveLength(60)
    for (const row of page.rows) {
      expect(Object.keys(row)).toEqual([
        'user_id',
        'agent_external_id',
        'client_name',
        'phone',
        'email',
        'group',
        'at_stake',
        'next_action_date',
        'final_warning_date',
        'missed_instalments',
        'reasons',
        'last_call',
        'last_contact',
      ])
      for (const reason of row.reasons) expect(Object.keys(reason)).toEqual(['type', 'annual_value', 'description'])
    }
    // Issue #25: with each reason's full opportunity record beside it, a row of this page was about 3.5 kB.
    expect(Buffer.byteLength(JSON.stringify(page)) / page.rows.length).toBeLessThan(1500)
  })

  it('puts together the same queue from pages of any size (each page read from where it starts)', () => {
    const key = (r: TodayRow) => `${r.user_id}|${r.agent_external_id ?? ''}|${r.group}|${r.at_stake}`
    const whole = listToday(t.db, { limit: 1000 }).rows.map(key)
    expect(whole.length).toBeGreaterThan(100)
    for (const size of [9, 50]) expect(wholeQueue(undefined, size).map(key)).toEqual(whole)
  })

  it('filters by agent, and each agent’s queue is that agent’s share of the whole', () => {
    const queue = wholeQueue()
    const agent = queue.find((r) => r.agent_external_id)!.agent_external_id!
    const mine = wholeQueue(agent)
    expect(mine.length).toBeGreaterThan(0)
    expect(mine.map((r) => r.user_id)).toEqual(queue.filter((r) => r.agent_external_id === agent).map((r) => r.user_id))
  })
})

describe('the call log (SPEC §4)', () => {
  const raw = ashaSip

  beforeEach(async () => {
    const file = t.tmp.file('asha.json')
    fs.writeFileSync(
      file,
      JSON.stringify([
        raw('1', {}), // no SIP increase
        raw('2', { failed_amount: 9000, currentSipStatus: 'Failed', latest_success_order_date: '2025-11-05' }), // failed, auto-cancel
        raw('3', { end_date: '2026-02-10' }), // ending (and no increase)
      ]),
    )
    await importFile(t.db.sqlite, file)
    refreshIfStale(t.db)
  })

  const key = (type: Opportunity['type']) => ({ type, user_id: 'asha', agent_external_id: 'ag_1' })

  it('applies one call to every active opportunity of the client, snoozed ones included, closed ones not', () => {
    updateFollowUp(t.db, { ...key('sip_ending'), next_action_date: shift(30) })
    updateFollowUp(t.db, { ...key('failed_sips'), state: 'dismissed' })
    const [before] = listToday(t.db, {}).rows
    expect(before.reasons.map((r) => r.type)).toEqual(['auto_cancel_risk', 'no_sip_increase'])
    expect(before.group).toBe(QUEUE_GROUP.final_warning) // two instalments missed: one failure from cancellation

    const result = logCall(
      t.db,
      parseRequest('calls:log', { user_id: 'asha', outcome: 'reached', note: 'Will top up the account', next_action_date: shift(7) }),
    )
    expect(result.applied.map((a) => a.type).sort()).toEqual(['auto_cancel_risk', 'no_sip_increase', 'sip_ending'])
    expect(getFollowUp(t.db, key('sip_ending'))).toMatchObject({ state: 'contacted', next_action_date: shift(7) })
    expect(getFollowUp(t.db, key('failed_sips'))).toMatchObject({ state: 'dismissed', next_action_date: null })
    // Contacted with a date a week out: not due, so the client leaves the queue until then.
    expect(listToday(t.db, {}).total).toBe(0)
    const client = getClient(t.db, { user_id: 'asha' })
    expect(client.calls).toMatchObject([{ outcome: 'reached', note: 'Will top up the account', next_action_date: shift(7) }])
    const events = client.follow_ups.find((f) => f.type === 'no_sip_increase')!.events
    expect(events.map((e) => [e.kind, e.to_value, e.call_id])).toEqual([
      ['next_action_date', shift(7), result.call.id],
      ['state', 'contacted', result.call.id],
    ])
  })

  it('keeps the state on no answer but moves the date, and brings the client back when the date comes', () => {
    logCall(t.db, parseRequest('calls:log', { user_id: 'asha', outcome: 'no_answer', next_action_date: shift(0) }))
    expect(getFollowUp(t.db, key('no_sip_increase'))).toMatchObject({ state: 'open', next_action_date: shift(0) })
    expect(listToday(t.db, {}).rows[0]).toMatchObject({ group: QUEUE_GROUP.due_today, next_action_date: shift(0) })
    logCall(t.db, parseRequest('calls:log', { user_id: 'asha', outcome: 'call_back', next_action_date: shift(-2) }))
    expect(listToday(t.db, {}).rows[0]).toMatchObject({ group: QUEUE_GROUP.overdue, last_call: { outcome: 'call_back' } })
    logCall(t.db, parseRequest('calls:log', { user_id: 'asha', outcome: 'converted' }))
    expect(getFollowUp(t.db, key('no_sip_increase'))).toMatchObject({ state: 'converted', next_action_date: null })
    expect(listToday(t.db, {}).total).toBe(0)
    expect(getClient(t.db, { user_id: 'asha' }).calls.map((c) => c.outcome)).toEqual(['converted', 'call_back', 'no_answer'])
    expect(getStats(t.db, {}).calls_today).toBe(3)
  })

  it('refuses a call back without a date, and a client under several agents without the agent', () => {
    expect(() => parseRequest('calls:log', { user_id: 'asha', outcome: 'call_back' })).toThrow(/a call back needs a next action date/)
    expect(() => parseRequest('calls:log', { user_id: 'asha', outcome: 'reached', next_action_date: '2026-02-30' })).toThrow(
      /not a real date/,
    )
    expect(() => logCall(t.db, parseRequest('calls:log', { user_id: 'nobody', outcome: 'reached' }))).toThrow(
      /no client nobody with a live SIP/,
    )
  })
})
