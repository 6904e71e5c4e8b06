import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { importFile } from '../import/importer'
import { freshDbEachTest, generatedExport } from '../testing/support'
import { parseRequest } from '../../shared/contract'
import type { TodayRow } from '../../shared/detection'
import { defaultNextDate, logCall, logMessage, nextDates, voidLastCall } from './calls'
import { getClient } from './clients'
import { getDayPlan, refillDayPlan } from './dayPlan'
import { refreshIfStale } from './derived'
import { getFollowUp, updateFollowUp } from './followUps'
import { updateSettings } from './settings'
import { addDays, formatDateTime, localToday as today } from '../../shared/format'
import { getStats } from './stats'
import { listScheduled, listToday } from './today'
import { ashaSip } from '../testing/rawSip'
import { importFiles } from './imports'
import { undoLastImport } from './undo'

const t = freshDbEachTest()

const wholeQueue = (): TodayRow[] => {
  const rows: TodayRow[] = []
  for (;;) {
    const page = listToday(t.db, { limit: 500, offset: rows.length })
    rows.push(...page.rows)
    if (page.rows.length === 0 || rows.length >= page.total) return rows
  }
}
const keyOf = (r: { user_id: string; agent_external_id: string | null }) => `${r.user_id}|${r.agent_external_id ?? ''}`
const call = (r: { user_id: string; agent_external_id: string | null }, outcome: 'reached' | 'no_answer' | 'call_back', next?: string) =>
  logCall(t.db, parseRequest('calls:log', { user_id: r.user_id, agent_external_id: r.agent_external_id, outcome, next_action_date: next }))

describe("the day's plan on a generated book (SPEC §5, §8.7)", () => {
  it('is the first daily_calls of the queue, fixed and stored; done rows stay in place; joins go last; refill tops it up', async () => {
    await importFile(t.db.sqlite, await generatedExport(t.tmp.dir, 'book.json', { sips: 1500, seed: 5 }))
    refreshIfStale(t.db)
    updateSettings(t.db, { queue: { daily_calls: 10 } })
    const queue = wholeQueue()
    const plan = getDayPlan(t.db, {})
    // Re-implemented: the plan is the queue's first ten, in queue order, nothing done.
    expect(plan.rows.map(keyOf)).toEqual(queue.slice(0, 10).map(keyOf))
    expect(plan).toMatchObject({ total: 10, done: 0, later: queue.length - 10, daily_calls: 10 })
    expect(t.db.sqlite.prepare('SELECT count(*) AS n FROM day_plan_clients').get()).toEqual({ n: 10 })

    // Calls: reached and no answer are done, in place; a call back for today is due again, so not done.
    call(plan.rows[0], 'reached')
    call(plan.rows[1], 'no_answer')
    call(plan.rows[2], 'call_back', today())
    // A client outside the plan set to be called today joins at the end.
    const outsider = queue[40]
    updateFollowUp(t.db, {
      type: outsider.reasons[0].type,
      user_id: outsider.user_id,
      agent_external_id: outsider.agent_external_id,
      next_action_date: today(),
    })
    const after = getDayPlan(t.db, {})
    expect(after.rows.slice(0, 10).map(keyOf)).toEqual(plan.rows.map(keyOf))
    expect(after.rows.map((r) => [r.done, r.outcome]).slice(0, 3)).toEqual([
      [true, 'reached'],
      [true, 'no_answer'],
      [false, null],
    ])
    // A done row, no longer due, still shows what is at stake with the client, not ₹0.
    expect(after.rows.slice(0, 2).map((r) => r.at_stake)).toEqual(plan.rows.slice(0, 2).map((r) => r.at_stake))
    // …and when it is next due: the date the call set (a no answer's default is tomorrow).
    expect(after.rows[1].next_action_date).toBe(after.rows[1].last_call!.next_action_date)
    expect(after.rows[1].next_action_date).not.toBeNull()
    expect(after.rows.slice(10).map((r) => [keyOf(r), r.added])).toEqual([[keyOf(outsider), 'joined']])
    expect(after).toMatchObject({ total: 11, done: 2 })

    // Voiding a call makes the client not done again.
    voidLastCall(t.db, { user_id: plan.rows[1].user_id, agent_external_id: plan.rows[1].agent_external_id })
    expect(getDayPlan(t.db, {})).toMatchObject({ total: 11, done: 1 })

    // Refill adds queue clients, in queue order, until daily_calls are not done.
    updateSettings(t.db, { queue: { daily_calls: 12 } })
    const refilled = refillDayPlan(t.db, {})
    expect(refilled.rows.filter((r) => !r.done && !r.resolved)).toHaveLength(12)
    const taken = new Set(after.rows.map(keyOf))
    expect(refilled.rows.slice(11).map((r) => [keyOf(r), r.added])).toEqual(
      wholeQueue()
        .filter((r) => !taken.has(keyOf(r)))
        .slice(0, 2)
        .map((r) => [keyOf(r), 'refill']),
    )
    expect(getStats(t.db, {}).calls_today).toBe(2)
  })
})

describe('calls: default next dates, refusals, void, messages (SPEC §4)', () => {
  const raw = (id: string, overrides: Record<string, unknown>) =>
    ashaSip(id, { sip_days: '10', latest_success_order_date: '2026-01-10', ...overrides })
  const load = async (records: unknown[]) => {
    const file = t.tmp.file('asha.json')
    fs.writeFileSync(file, JSON.stringify(records))
    await importFile(t.db.sqlite, file)
    refreshIfStale(t.db)
  }
  const key = { type: 'no_sip_increase', user_id: 'asha', agent_external_id: 'ag_1' } as const

  it('applies each outcome’s default next date, and --next none clears it', async () => {
    await load([raw('1', {}), raw('2', { currentSipStatus: 'Failed', failed_amount: 9000, latest_success_order_date: '2025-12-10' })])
    updateSettings(t.db, { queue: { next_after_no_answer: 2, next_after_reached: 21 } })
    const now = today()
    // Reached: 3 days after the failing SIP's next debit (the 10th on or after today).
    const day = Number(now.slice(8, 10))
    const debit = day <= 10 ? `${now.slice(0, 8)}10` : addDays(`${now.slice(0, 8)}01`, 40).slice(0, 8) + '10'
    expect(defaultNextDate(t.db, 'asha', 'ag_1', 'reached')).toBe(addDays(debit, 3))
    expect(call({ user_id: 'asha', agent_external_id: 'ag_1' }, 'no_answer').call.next_action_date).toBe(addDays(now, 2))
    expect(getFollowUp(t.db, key).next_action_date).toBe(addDays(now, 2))
    logCall(t.db, parseRequest('calls:log', { user_id: 'asha', outcome: 'reached', next_action_date: null }))
    expect(getFollowUp(t.db, key)).toMatchObject({ state: 'contacted', next_action_date: null })
  })

  it('offers the Log call dialog, per outcome, the date a call without one gets (SPEC §4, §5)', async () => {
    await load([raw('1', {}), raw('2', { currentSipStatus: 'Failed', failed_amount: 9000, latest_success_order_date: '2025-12-10' })])
    updateSettings(t.db, { queue: { next_after_no_answer: 3, next_after_reached: 21 } })
    const offered = nextDates(t.db, { user_id: 'asha', agent_external_id: 'ag_1' })
    expect(offered).toEqual({
      reached: defaultNextDate(t.db, 'asha', 'ag_1', 'reached'),
      no_answer: addDays(today(), 3),
      call_back: null,
      converted: null,
      not_interested: null,
    })
    expect(offered.reached).not.toBe(addDays(today(), 21)) // the failing SIP's debit, not the setting
    for (const outcome of ['reached', 'no_answer', 'not_interested'] as const) {
      const saved = logCall(t.db, parseRequest('calls:log', { user_id: 'asha', outcome }))
      expect(saved.call.next_action_date, outcome).toBe(offered[outcome])
    }
    expect(() => nextDates(t.db, { user_id: 'nobody' })).toThrow(/no client nobody/)
  })

  it('after reached without a failing SIP: today + next_after_reached', async () => {
    await load([raw('1', {})])
    updateSettings(t.db, { queue: { next_after_reached: 21 } })
    expect(call({ user_id: 'asha', agent_external_id: 'ag_1' }, 'reached').call.next_action_date).toBe(addDays(today(), 21))
  })

  it('refuses an unknown client or agent, and a follow-up for an opportunity that does not qualify, writing nothing', async () => {
    await load([raw('1', {})])
    const before = t.db.sqlite.prepare('SELECT (SELECT count(*) FROM calls) + (SELECT count(*) FROM follow_ups) AS n').get()
    expect(() => logCall(t.db, parseRequest('calls:log', { user_id: 'nobody', outcome: 'reached' }))).toThrow(/no client nobody/)
    expect(() => logCall(t.db, parseRequest('calls:log', { user_id: 'asha', agent_external_id: 'ag_9', outcome: 'reached' }))).toThrow(
      /no live SIP under agent ag_9/,
    )
    expect(() => updateFollowUp(t.db, { ...key, type: 'sip_ending', state: 'contacted' })).toThrow(/no SIP ending opportunity now/)
    expect(() => updateFollowUp(t.db, { ...key, user_id: 'nobody', state: 'contacted' })).toThrow(/no client nobody/)
    expect(t.db.sqlite.prepare('SELECT (SELECT count(*) FROM calls) + (SELECT count(*) FROM follow_ups) AS n').get()).toEqual(before)
  })

  it('voids the latest call: the entry stays, marked; states and dates go back unless changed since; it counts nowhere', async () => {
    await load([raw('1', {}), raw('3', { end_date: addDays(today(), 20), inserted_at: `${today()}T08:00:00` })])
    updateFollowUp(t.db, { ...key, next_action_date: addDays(today(), -3) })
    call({ user_id: 'asha', agent_external_id: 'ag_1' }, 'reached', addDays(today(), 9))
    // Changed by hand since the call: that field stays.
    updateFollowUp(t.db, { ...key, type: 'sip_ending', next_action_date: addDays(today(), 4) })
    const result = voidLastCall(t.db, { user_id: 'asha', agent_external_id: 'ag_1' })
    expect(result.call.voided_at).not.toBeNull()
    expect(getFollowUp(t.db, key)).toMatchObject({ state: 'open', next_action_date: addDays(today(), -3) })
    expect(getFollowUp(t.db, { ...key, type: 'sip_ending' })).toMatchObject({ state: 'open', next_action_date: addDays(today(), 4) })
    const client = getClient(t.db, { user_id: 'asha' })
    expect(client.calls).toHaveLength(1)
    expect(getStats(t.db, {}).calls_today).toBe(0)
    expect(listToday(t.db, {}).rows[0].last_call).toBeNull()
    expect(() => voidLastCall(t.db, { user_id: 'asha', agent_external_id: 'ag_1' })).toThrow(/no call to void/)
  })

  it('offers the void only while no import stands since the call: one that does is named, and its undo lets the call go', async () => {
    const file = t.tmp.file('asha.json')
    fs.writeFileSync(file, JSON.stringify([raw('1', {})]))
    await importFiles(t.db.path, [{ path: file, name: 'asha.json' }])
    refreshIfStale(t.db)
    const reached = call({ user_id: 'asha', agent_external_id: 'ag_1' }, 'reached').call
    expect(getClient(t.db, { user_id: 'asha' }).void_call_id).toBe(reached.id)

    const next = t.tmp.file('asha-next.json')
    fs.writeFileSync(next, JSON.stringify([raw('1', { amount: 6000, inserted_at: new Date(Date.now() + 1000).toISOString() })]))
    await importFiles(t.db.path, [{ path: next, name: 'asha-next.json' }])
    const [{ id: since }] = t.db.sqlite.prepare('SELECT max(id) AS id FROM import_sets').all() as { id: number }[]
    expect(getClient(t.db, { user_id: 'asha' }).void_call_id).toBeNull()
    expect(() => voidLastCall(t.db, { user_id: 'asha', agent_external_id: 'ag_1' })).toThrow(
      `the latest call, ${formatDateTime(reached.at)}, came before import #${since}; it can no longer be voided`,
    )

    // Undone, that import no longer stands in the way.
    undoLastImport(t.db)
    refreshIfStale(t.db)
    expect(getClient(t.db, { user_id: 'asha' }).void_call_id).toBe(reached.id)
    voidLastCall(t.db, { user_id: 'asha', agent_external_id: 'ag_1' })
    expect(getClient(t.db, { user_id: 'asha' }).void_call_id).toBeNull()
    expect(getFollowUp(t.db, key).events.map((e) => e.detail)).toContain(`call of ${formatDateTime(reached.at)} voided`)
  })

  it('logs a message without changing any follow-up; last contact shows it', async () => {
    await load([raw('1', {})])
    logMessage(t.db, { user_id: 'asha', agent_external_id: 'ag_1', channel: 'whatsapp', type: 'no_sip_increase', text: 'Hello Asha' })
    expect(getFollowUp(t.db, key)).toMatchObject({ state: 'open', next_action_date: null, events: [] })
    expect(getClient(t.db, { user_id: 'asha' }).messages).toMatchObject([{ channel: 'whatsapp', text: 'Hello Asha' }])
    expect(listToday(t.db, {}).rows[0].last_contact).toMatchObject({ kind: 'message', channel: 'whatsapp' })
  })

  it('lists Scheduled: next action dates in the next 30 days, by date, each with its ₹ at stake (not ₹0)', async () => {
    await load([raw('1', {})])
    const due = listToday(t.db, {}).rows[0]
    updateFollowUp(t.db, { ...key, next_action_date: addDays(today(), 12) })
    expect(listScheduled(t.db, {}).rows.map((r) => [r.user_id, r.next_action_date, r.reasons.map((x) => x.type), r.at_stake])).toEqual([
      ['asha', addDays(today(), 12), ['no_sip_increase'], due.at_stake],
    ])
    expect(due.at_stake).toBeGreaterThan(0)
    updateFollowUp(t.db, { ...key, next_action_date: addDays(today(), 31) })
    expect(listScheduled(t.db, {}).total).toBe(0)
  })
})
