// Weeks are local: a zone far from UTC shows a call made late on Sunday evening UTC counted on the local Monday.
const zone = process.env.TZ
process.env.TZ = 'Asia/Kolkata'

import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { generatedExport, freshDbEachTest } from '../testing/support'
import fs from 'node:fs'
import path from 'node:path'
import { defaultMigrationsFolder } from '../db/open'
import { parseRequest } from '../../shared/contract'
import { FOLLOW_UP_STATES, type CallOutcome, type Opportunity, type OpportunityType } from '../../shared/detection'
import { mondayOf, type Results } from '../../shared/results'
import { addDays, isoOfLocal as localDate } from '../../shared/format'
import { logCall } from './calls'
import { getChanges } from './changes'
import { refreshIfStale } from './derived'
import { importFiles, listImports } from './imports'
import { listOpportunities } from './opportunities'
import { getResults } from './results'
import { updateSettings } from './settings'
import { listToday } from './today'
import { undoLastImport } from './undo'

const t = freshDbEachTest()
beforeEach(() => vi.useFakeTimers({ toFake: ['Date'] }))
afterEach(() => vi.useRealTimers())
// The files after this one run in the same process (`isolate: false`).
afterAll(() => {
  if (zone === undefined) delete process.env.TZ
  else process.env.TZ = zone
})

type Sip = Record<string, string | number | null>
type Figures = { live_sips: number; monthly_active: number; failing: number; final_warnings: number; at_stake: number }
const agentOf = (agent: string | null): string => agent ?? ''
const round = (n: number): number => Math.round(n * 100) / 100

const sipsNow = (): Map<string, Sip> =>
  new Map((t.db.sqlite.prepare('SELECT * FROM sips').all() as Sip[]).map((s) => [String(s.sip_meta_id), s]))
const monthlyOf = (s: Sip): number => Number(s.amount) * Math.max(1, s.sip_days ? (JSON.parse(String(s.sip_days)) as number[]).length : 0)

/** SPEC §3.1 per SIP and type, default thresholds. */
function annualOf(type: OpportunityType, s: Sip): number {
  const monthly = monthlyOf(s)
  switch (type) {
    case 'no_sip_increase':
      return (12 * monthly * (Number(s.increment_percentage) > 0 ? Number(s.increment_percentage) : 10)) / 100
    case 'failed_sips':
      return s.current_sip_status === 'Failed' && s.is_active === 1 ? 12 * monthly : 0
    case 'high_value_inactive':
      return 6 * monthly
    default:
      return 12 * monthly
  }
}

function allOpportunities(): Opportunity[] {
  const rows: Opportunity[] = []
  for (;;) {
    const page = listOpportunities(t.db, { limit: 1000, offset: rows.length, states: [...FOLLOW_UP_STATES], show_snoozed: true })
    rows.push(...page.rows)
    if (page.rows.length === 0) return rows
  }
}

/** Σ per client of each SIP's largest annual amount among `opportunities`, by the clients' agent. */
function stakeByAgent(opportunities: readonly Opportunity[], sips: Map<string, Sip>): Map<string, number> {
  const perSip = new Map<string, { agent: string; value: number }>()
  for (const o of opportunities) {
    for (const id of o.sip_meta_ids) {
      const key = `${o.user_id}|${agentOf(o.agent_external_id)}|${id}`
      const value = annualOf(o.type, sips.get(id)!)
      perSip.set(key, { agent: agentOf(o.agent_external_id), value: Math.max(perSip.get(key)?.value ?? 0, value) })
    }
  }
  const out = new Map<string, number>()
  for (const { agent, value } of perSip.values()) out.set(agent, (out.get(agent) ?? 0) + value)
  return out
}

/** SPEC §5a's figures of the book as it is now, per agent, from the SIP records and the opportunities. */
function bookNow(): Map<string, Figures> {
  const sips = sipsNow()
  const out = new Map<string, Figures>()
  const of = (agent: string): Figures => {
    if (!out.has(agent)) out.set(agent, { live_sips: 0, monthly_active: 0, failing: 0, final_warnings: 0, at_stake: 0 })
    return out.get(agent)!
  }
  for (const s of sips.values()) {
    if (s.deleted === 1) continue
    const f = of(agentOf(s.agent_external_id as string | null))
    f.live_sips++
    if (s.is_active === 1) f.monthly_active += monthlyOf(s)
    if (s.is_active === 1 && s.current_sip_status === 'Failed') f.failing++
  }
  const opportunities = allOpportunities()
  for (const o of opportunities) if (o.type === 'auto_cancel_risk' && o.final_warning) of(agentOf(o.agent_external_id)).final_warnings++
  for (const [agent, stake] of stakeByAgent(opportunities, sips)) of(agent).at_stake += stake
  return out
}

interface ImportRecord {
  import_id: number
  day: string
  week: string
  book: Map<string, Figures>
  credited: Map<string, number>
  won: Map<string, number>
  /** `user_id|agent` of the clients it credited. */
  creditedClients: Set<string>
}

/**
 * Imports the month's export at the (fake) time `at`, and records what SPEC §5a expects of it from the
 * records: the book after it, and per agent the follow-ups credited and ₹ won (each credited client's
 * SIPs once, at their largest per-SIP amount among its credited opportunities, with the SIPs as they were before).
 */
async function importMonth(month: number, at: string): Promise<ImportRecord> {
  vi.setSystemTime(new Date(at))
  const contactedBefore = allOpportunities().filter((o) => o.status === 'contacted')
  const sipsBefore = sipsNow()
  const file = await generatedExport(t.tmp.dir, `month-${month}.json`, { sips: 400, seed: 11, month })
  await importFiles(t.db.path, [{ path: file, name: `month-${month}.json` }])
  const changes = getChanges(t.db, { limit: 1000 })
  const creditedKeys = new Set(
    changes.opportunities.filter((o) => o.credited).map((o) => `${o.type}|${o.user_id}|${agentOf(o.agent_external_id)}`),
  )
  const credited = contactedBefore.filter((o) => creditedKeys.has(`${o.type}|${o.user_id}|${agentOf(o.agent_external_id)}`))
  const creditedByAgent = new Map<string, number>()
  for (const o of credited) creditedByAgent.set(agentOf(o.agent_external_id), (creditedByAgent.get(agentOf(o.agent_external_id)) ?? 0) + 1)
  expect(credited.length).toBe(changes.totals.credited)
  return {
    import_id: changes.import_id,
    day: localDate(new Date(at)),
    week: mondayOf(localDate(new Date(at))),
    book: bookNow(),
    credited: creditedByAgent,
    won: stakeByAgent(credited, sipsBefore),
    creditedClients: new Set(credited.map((o) => `${o.user_id}|${agentOf(o.agent_external_id)}`)),
  }
}

const OUTCOMES: CallOutcome[] = ['reached', 'call_back', 'no_answer', 'reached', 'not_interested', 'converted', 'reached']

/** Calls every client in the queue, one every `hours` hours from `from`, cycling through the outcomes. */
function callQueue(from: string, hours: number, limit: number): void {
  const rows = listToday(t.db, { limit }).rows
  rows.forEach((row, i) => {
    vi.setSystemTime(new Date(Date.parse(from) + i * hours * 3_600_000))
    const outcome = OUTCOMES[i % OUTCOMES.length]
    logCall(t.db, {
      user_id: row.user_id,
      agent_external_id: row.agent_external_id,
      outcome,
      next_action_date: outcome === 'call_back' ? '2026-12-31' : null,
    })
  })
}

/** A day's plan as the queue stores it (SPEC §8.7, §8.12): the first `count` clients of the queue now. */
function storePlan(day: string, count: number, agent: string | null = null): void {
  const now = new Date().toISOString()
  const plan = t.db.sqlite.prepare('INSERT INTO day_plans (day, agent_external_id, fixed_at) VALUES (?, ?, ?)').run(day, agent, now)
  const add = t.db.sqlite.prepare(
    "INSERT INTO day_plan_clients (plan_id, user_id, agent_external_id, position, added, added_at) VALUES (?, ?, ?, ?, 'planned', ?)",
  )
  listToday(t.db, { limit: count, ...(agent ? { agent } : {}) }).rows.forEach((r, i) =>
    add.run(plan.lastInsertRowid, r.user_id, r.agent_external_id ?? '', i + 1, now),
  )
}

/** Messages (SPEC §4) to the first clients of the queue, one every `hours` hours from `from`. */
function sendMessages(from: string, hours: number, count: number): void {
  const add = t.db.sqlite.prepare(
    "INSERT INTO messages (user_id, agent_external_id, at, channel, type, text) VALUES (?, ?, ?, 'whatsapp', 'failed_sips', 'Hello')",
  )
  listToday(t.db, { limit: count }).rows.forEach((r, i) =>
    add.run(r.user_id, r.agent_external_id ?? '', new Date(Date.parse(from) + i * hours * 3_600_000).toISOString()),
  )
}

/** SPEC §5a re-implemented record by record from the call log and what each import was seen to do. */
function expected(imports: readonly ImportRecord[], from: string, to: string, agent: string | null): Results {
  type Logged = { at: string; user_id: string; agent_external_id: string }
  const inPeriod = <T extends Logged>(rows: T[]) =>
    rows
      .map((c) => ({ ...c, day: localDate(new Date(c.at)) }))
      .filter((c) => c.day >= from && c.day <= to && (agent === null || c.agent_external_id === agent))
  const logged = t.db.sqlite.prepare('SELECT * FROM calls').all() as (Logged & { outcome: CallOutcome; voided_at: string | null })[]
  const calls = inPeriod(logged.filter((c) => c.voided_at === null))
  const messages = inPeriod(t.db.sqlite.prepare('SELECT * FROM messages').all() as Logged[])
  const kept = imports.filter((i) => i.day >= from && i.day <= to)
  const weeks: Results['weeks'] = []
  for (let week = mondayOf(from); week <= to; week = addDays(week, 7)) {
    const inWeek = calls.filter((c) => mondayOf(c.day) === week)
    const sum = (pick: (i: ImportRecord) => Map<string, number>) =>
      round(
        kept
          .filter((i) => i.week === week)
          .reduce((n, i) => n + [...pick(i)].filter(([a]) => agent === null || a === agent).reduce((m, [, v]) => m + v, 0), 0),
      )
    weeks.push({
      week_start: week,
      calls: Object.fromEntries(
        OUTCOMES.map((o) => [o, inWeek.filter((c) => c.outcome === o).length]),
      ) as Results['weeks'][number]['calls'],
      clients_called: new Set(inWeek.map((c) => `${c.user_id}|${c.agent_external_id}`)).size,
      messages: messages.filter((m) => mondayOf(m.day) === week).length,
      credited: sum((i) => i.credited),
      won_annual: sum((i) => i.won),
    })
  }
  const agents = new Map<string, Results['agents'][number]>()
  const row = (a: string) => {
    if (!agents.has(a)) {
      const name = t.db.sqlite.prepare('SELECT max(agent_name) AS n FROM clients WHERE agent_external_id = ?').get(a) as {
        n: string | null
      }
      agents.set(a, { agent_external_id: a || null, agent_name: name.n, calls: 0, clients_called: 0, credited: 0, won_annual: 0 })
    }
    return agents.get(a)!
  }
  for (const c of calls) row(c.agent_external_id).calls++
  for (const [a, r] of agents) r.clients_called = new Set(calls.filter((c) => c.agent_external_id === a).map((c) => c.user_id)).size
  for (const i of kept)
    for (const [a, n] of i.credited) {
      if (agent !== null && a !== agent) continue
      row(a).credited += n
      row(a).won_annual = round(row(a).won_annual + (i.won.get(a) ?? 0))
    }
  const sumBook = (book: Map<string, Figures>): Figures => {
    const total: Figures = { live_sips: 0, monthly_active: 0, failing: 0, final_warnings: 0, at_stake: 0 }
    for (const [a, f] of book) {
      if (agent !== null && a !== agent) continue
      for (const k of Object.keys(total) as (keyof Figures)[]) total[k] = round(total[k] + f[k])
    }
    return total
  }
  // Conversion: each client of the period's plans from the first day it was planned.
  const plannedOn = new Map<string, string>()
  const plans = t.db.sqlite
    .prepare('SELECT d.day, pc.user_id, pc.agent_external_id FROM day_plans d JOIN day_plan_clients pc ON pc.plan_id = d.id')
    .all() as { day: string; user_id: string; agent_external_id: string }[]
  for (const p of plans) {
    const key = `${p.user_id}|${p.agent_external_id}`
    if (p.day < from || p.day > to || (agent !== null && p.agent_external_id !== agent)) continue
    if (!plannedOn.has(key) || p.day < plannedOn.get(key)!) plannedOn.set(key, p.day)
  }
  const conversion = { planned: plannedOn.size, called: 0, credited: 0 }
  for (const [key, day] of plannedOn) {
    if (calls.some((c) => `${c.user_id}|${c.agent_external_id}` === key && c.day >= day)) conversion.called++
    if (kept.some((i) => i.day >= day && i.creditedClients.has(key))) conversion.credited++
  }
  return {
    from,
    to,
    weeks,
    conversion,
    imports: imports.map((i) => ({ import_id: i.import_id, ...sumBook(i.book) })) as unknown as Results['imports'],
    agents: [...agents.values()].sort(
      (a, b) =>
        b.won_annual - a.won_annual ||
        b.credited - a.credited ||
        b.calls - a.calls ||
        (a.agent_external_id ?? '').localeCompare(b.agent_external_id ?? ''),
    ),
  }
}

/** The answer with money rounded to the paisa and the imports cut to what `expected` knows. */
const comparable = (r: Results) => ({
  ...r,
  weeks: r.weeks.map((w) => ({ ...w, won_annual: round(w.won_annual) })),
  imports: r.imports.map(({ import_id, live_sips, monthly_active, failing, final_warnings, at_stake }) => ({
    import_id,
    live_sips,
    monthly_active: round(monthly_active),
    failing,
    final_warnings,
    at_stake: at_stake === null ? null : round(at_stake),
  })),
  agents: r.agents.map((a) => ({ ...a, won_annual: round(a.won_annual) })),
})

describe('results (SPEC §5a)', () => {
  it('equals a record-by-record count over calls (voids left out), messages, day plans, imports with credits, an undo and an import that changed nothing', async () => {
    const first = await importMonth(1, '2026-11-02T04:00:00Z') // Monday 2 Nov, 09:30 in India
    storePlan('2026-11-03', 25)
    storePlan('2026-11-03', 10, listToday(t.db, { limit: 1 }).rows[0].agent_external_id)
    sendMessages('2026-11-03T05:00:00Z', 20, 9)
    callQueue('2026-11-03T04:00:00Z', 9, 60) // into Sunday 8 Nov
    // 19:00 UTC on Sunday 8 Nov is 00:30 on Monday 9 Nov in India: the next week.
    vi.setSystemTime(new Date('2026-11-08T19:00:00Z'))
    const late = listToday(t.db, { limit: 1 }).rows[0]
    logCall(t.db, { user_id: late.user_id, agent_external_id: late.agent_external_id, outcome: 'no_answer' })
    const second = await importMonth(2, '2026-11-10T05:00:00Z')
    storePlan('2026-11-11', 30)
    callQueue('2026-11-11T04:00:00Z', 5, 60)
    sendMessages('2026-11-12T05:00:00Z', 30, 5)
    const undone = await importMonth(3, '2026-11-17T05:00:00Z')
    vi.setSystemTime(new Date('2026-11-18T05:00:00Z'))
    undoLastImport(t.db)
    const third = await importMonth(3, '2026-11-24T05:00:00Z')
    vi.setSystemTime(new Date('2026-11-25T05:00:00Z'))
    await importFiles(t.db.path, [{ path: t.tmp.file('month-3.json'), name: 'month-3 again.json' }])
    const nothing = listImports(t.db)[0]
    expect(nothing.files[0]).toMatchObject({ inserted: 0, updated: 0 })
    // Some calls voided (SPEC §4: a void call counts nowhere).
    expect(t.db.sqlite.prepare('UPDATE calls SET voided_at = at WHERE id % 6 = 0').run().changes).toBeGreaterThan(5)

    const imports = [first, second, third]
    // The scenario exercises what it claims to: credits in two imports, a late call in the next local week.
    expect(first.credited.size + second.credited.size + third.credited.size).toBeGreaterThan(0)
    expect(undone.credited.size).toBeGreaterThan(0)
    const request = parseRequest('results:get', { from: '2026-11-01', to: '2026-11-30' })
    const answer = getResults(t.db, request)
    expect(comparable(answer)).toEqual(expected(imports, '2026-11-01', '2026-11-30', null))
    expect(answer.weeks.map((w) => w.week_start)).toEqual([
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
      '2026-11-30',
    ])
    expect(answer.weeks[2].calls.no_answer).toBeGreaterThan(0)
    // The undone import and the one that changed nothing count nowhere.
    expect(answer.imports.map((i) => i.import_id)).toEqual([first.import_id, second.import_id, third.import_id])
    expect(answer.weeks[3]).toMatchObject({ credited: 0, won_annual: 0 })
    expect(answer.imports.every((i) => !i.computed_later)).toBe(true)
    expect(answer.weeks.reduce((n, w) => n + w.messages, 0)).toBe(14)
    expect(answer.conversion.planned).toBeGreaterThan(answer.conversion.called)
    expect(answer.conversion.credited).toBeGreaterThan(0)

    // One agent: every part narrows to it.
    const agent = answer.agents.find((a) => a.credited > 0)!.agent_external_id!
    const forAgent = getResults(t.db, parseRequest('results:get', { agent, from: '2026-11-01', to: '2026-11-30' }))
    expect(comparable(forAgent)).toEqual(expected(imports, '2026-11-01', '2026-11-30', agent))

    // A narrower period leaves out the calls and credits outside it, not the book across imports.
    const week = getResults(t.db, parseRequest('results:get', { from: '2026-11-09', to: '2026-11-15' }))
    expect(comparable(week)).toEqual(expected(imports, '2026-11-09', '2026-11-15', null))
  }, 240_000)

  it('stores the figures with the import: a later threshold change does not rewrite them, an undo removes them', async () => {
    const first = await importMonth(1, '2026-11-02T04:00:00Z')
    const before = getResults(t.db, { from: '2026-11-01', to: '2026-11-08' }).imports
    updateSettings(t.db, { thresholds: { min_failed_amount: 1, auto_cancel_after: 2 } })
    refreshIfStale(t.db)
    expect(getResults(t.db, { from: '2026-11-01', to: '2026-11-08' }).imports).toEqual(before)
    expect(before).toHaveLength(1)
    expect(before[0].import_id).toBe(first.import_id)
    await importMonth(2, '2026-11-10T05:00:00Z')
    expect(getResults(t.db, {}).imports).toHaveLength(2)
    undoLastImport(t.db)
    expect(getResults(t.db, {}).imports).toEqual(before)
  }, 120_000)

  it('defaults to the last 12 weeks, Monday to Sunday, up to today', () => {
    vi.setSystemTime(new Date('2026-12-09T06:00:00Z')) // a Wednesday
    const answer = getResults(t.db, {})
    expect(answer).toMatchObject({ from: '2026-09-21', to: '2026-12-09', imports: [], agents: [] })
    expect(answer.weeks).toHaveLength(12)
    expect(answer.weeks.at(-1)!.week_start).toBe('2026-12-07')
  })
})

describe('figures of imports made before they were stored (migration)', () => {
  it('are worked out once from the SIP history, labelled computed later', async () => {
    const first = await importMonth(1, '2026-11-02T04:00:00Z')
    callQueue('2026-11-03T04:00:00Z', 9, 60)
    const second = await importMonth(2, '2026-11-10T05:00:00Z')
    const stored = getResults(t.db, { from: '2026-11-01', to: '2026-11-30' })
    // The book as an older version left it (no figures), then this migration's own statements, as an upgrade runs them.
    const migration = fs.readFileSync(path.join(defaultMigrationsFolder(), '0008_import_figures.sql'), 'utf8')
    t.db.sqlite.exec('DROP TABLE import_figures')
    for (const statement of migration.split('--> statement-breakpoint')) t.db.sqlite.exec(statement)
    const later = getResults(t.db, { from: '2026-11-01', to: '2026-11-30' })
    expect(later.imports.map((i) => [i.import_id, i.computed_later])).toEqual([
      [first.import_id, true],
      [second.import_id, true],
    ])
    // The SIPs' own figures come from their history as each import left it; the detectors' only for the latest.
    const own = (i: Results['imports'][number]) => [i.live_sips, round(i.monthly_active), i.failing]
    expect(later.imports.map(own)).toEqual(stored.imports.map(own))
    expect(later.imports[0]).toMatchObject({ final_warnings: null, at_stake: null })
    expect(later.imports[1]).toMatchObject({ final_warnings: stored.imports[1].final_warnings, at_stake: stored.imports[1].at_stake })
    expect(later.weeks).toEqual(stored.weeks)
    expect(later.agents.map((a) => [a.agent_external_id, a.credited])).toEqual(stored.agents.map((a) => [a.agent_external_id, a.credited]))
  }, 120_000)
})
