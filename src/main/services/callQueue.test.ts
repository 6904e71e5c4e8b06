import { describe, expect, it } from 'vitest'
import { importFile } from '../import/importer'
import { freshDbEachTest, generatedExport, startEachTestFrom } from '../testing/support'
import { logCall } from './calls'
import { refreshIfStale } from './derived'
import { updateFollowUp, type FollowUpChange } from './followUps'
import { getDayPlan } from './dayPlan'
import { listOpportunities } from './opportunities'
import { updateSettings } from './settings'
import { addDays, localToday as today } from '../../shared/format'
import { FOLLOW_UP_STATES, OPPORTUNITY_TYPES } from '../../shared/detection'
import { getStats } from './stats'
import { listScheduled, listToday } from './today'
import { QUEUE_GROUP, QUEUE_GROUPS } from '../../shared/queueGroups'
import { openDb, type Db } from '../db/open'
import { importFiles } from './imports'
import { undoLastImport } from './undo'

const ctx = freshDbEachTest()

startEachTestFrom(ctx, async () => {
  await importFile(ctx.db.sqlite, await generatedExport(ctx.tmp.dir, 'book.json', { sips: 400, seed: 7 }))
  refreshIfStale(ctx.db)
})

/** What `read` answers on a connection opened afresh (nothing kept from earlier reads). */
function asAfresh<T>(read: (db: Db) => T): T {
  const fresh = openDb(ctx.db.path)
  try {
    return read(fresh)
  } finally {
    fresh.close()
  }
}

describe('the Today queue after follow-ups and calls', () => {
  it('gives every row its reasons, also for a client whose follow-up is open and due today', () => {
    const [first] = listToday(ctx.db, { limit: 1 }).rows
    const [reason] = first.reasons
    updateFollowUp(ctx.db, {
      type: reason.type,
      user_id: first.user_id,
      agent_external_id: first.agent_external_id,
      next_action_date: today(),
    })
    const page = listToday(ctx.db, { limit: 1000 })
    expect(page.rows.every((row) => row.reasons.length > 0)).toBe(true)
    expect(Object.values(page.groups).reduce((a, b) => a + b, 0)).toBe(page.total)
    for (const group of QUEUE_GROUPS) expect(page.rows.filter((row) => row.group === group)).toHaveLength(page.groups[group])
    const again = page.rows.find((row) => row.user_id === first.user_id && row.agent_external_id === first.agent_external_id)
    expect(again?.group).toBe(QUEUE_GROUP.due_today)
    expect(again?.reasons.map((r) => r.type)).toContain(reason.type)
  })

  it('drops a reached client until the next action date, keeps one that did not answer with --next none, and counts both calls', () => {
    const [reached, unanswered] = listToday(ctx.db, { limit: 2 }).rows
    const before = listToday(ctx.db, { limit: 1 }).total
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10)
    logCall(ctx.db, {
      user_id: reached.user_id,
      agent_external_id: reached.agent_external_id,
      outcome: 'reached',
      next_action_date: inAWeek,
    })
    logCall(ctx.db, {
      user_id: unanswered.user_id,
      agent_external_id: unanswered.agent_external_id,
      outcome: 'no_answer',
      note: 'rang twice',
      next_action_date: null,
    })
    const page = listToday(ctx.db, { limit: 1000 })
    expect(page.total).toBe(before - 1)
    expect(page.calls_today).toBe(2)
    // The dashboard's "to call" counts the same clients: not the one reached, now contacted (issue #22 point 8).
    expect(getStats(ctx.db, {}).due_clients).toBe(page.total)
    expect(page.rows.some((row) => row.user_id === reached.user_id && row.agent_external_id === reached.agent_external_id)).toBe(false)
    const kept = page.rows.find((row) => row.user_id === unanswered.user_id && row.agent_external_id === unanswered.agent_external_id)
    expect(kept?.last_call).toMatchObject({ outcome: 'no_answer', note: 'rang twice' })
  })

  it('follows every call, saved on this connection or on another, in Today and the stats, as a connection opened afresh reads them', () => {
    const other = openDb(ctx.db.path)
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10)
    const read = (db: Db) => ({ today: listToday(db, { limit: 50 }), stats: getStats(db, {}) })
    try {
      for (const [index, saver] of [other, ctx.db, other].entries()) {
        const before = read(ctx.db)
        const client = before.today.rows[index]
        logCall(saver, {
          user_id: client.user_id,
          agent_external_id: client.agent_external_id,
          outcome: 'reached',
          next_action_date: inAWeek,
        })
        const after = read(ctx.db)
        expect(after.today.total).toBe(before.today.total - 1)
        expect(after.today.rows.some((row) => row.user_id === client.user_id && row.agent_external_id === client.agent_external_id)).toBe(
          false,
        )
        expect(after.stats.due_clients).toBe(after.today.total)
        expect(after).toEqual(asAfresh(read))
      }
    } finally {
      other.close()
    }
  })

  it('after any mix of follow-up changes, one or several between reads, on either connection, and a recalculation, reads Today, Scheduled and the stats as a connection opened afresh', () => {
    const other = openDb(ctx.db.path)
    const agent = listToday(ctx.db, { limit: 1 }).rows[0].agent_external_id
    const read = (db: Db) => ({
      today: listToday(db, { limit: 500 }),
      ofAgent: listToday(db, { limit: 500, agent: agent ?? undefined }),
      stats: getStats(db, {}),
      plan: getDayPlan(db, {}),
      scheduled: listScheduled(db, { limit: 1000 }),
    })
    const day = (days: number): string => addDays(today(), days)
    const changes: Omit<FollowUpChange, 'type' | 'user_id' | 'agent_external_id'>[] = [
      { state: 'contacted', next_action_date: day(7) },
      { state: 'contacted', next_action_date: day(-2) },
      { next_action_date: today() },
      { state: 'dismissed' },
      { state: 'converted' },
      { state: 'open', next_action_date: null },
      { next_action_date: day(3) },
      { note: 'only a note' },
    ]
    let seed = 11
    const pick = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % n
    try {
      const opportunities = listOpportunities(ctx.db, { limit: 1000, states: [...FOLLOW_UP_STATES], show_snoozed: true }).rows
      expect(read(ctx.db)).toEqual(asAfresh(read))
      for (let round = 0; round < 12; round++) {
        for (let k = 0, n = 1 + pick(4); k < n; k++) {
          // Often one of a few clients, so a client changes again once followed.
          const o = opportunities[pick(2) === 0 ? pick(8) : pick(opportunities.length)]
          const saver = pick(2) === 0 ? ctx.db : other
          updateFollowUp(saver, {
            type: o.type,
            user_id: o.user_id,
            agent_external_id: o.agent_external_id,
            ...changes[pick(changes.length)],
          })
        }
        if (round === 6) {
          updateSettings(other, { thresholds: { min_invested: 20_000 } })
          refreshIfStale(other)
        }
        const now = read(ctx.db)
        expect(now).toEqual(asAfresh(read))
        // The stats' follow-up figures, as the lists count them.
        for (const type of OPPORTUNITY_TYPES)
          expect(now.stats.by_type[type].listed).toBe(listOpportunities(ctx.db, { type, limit: 1 }).total)
        const all = listOpportunities(ctx.db, { limit: 1000, states: [...FOLLOW_UP_STATES], show_snoozed: true }).rows
        const active = all.filter((o) => o.status === 'open' || o.status === 'contacted')
        expect(now.stats.overdue_follow_ups).toBe(active.filter((o) => o.next_action_date !== null && o.next_action_date < today()).length)
      }
      expect(read(ctx.db).stats.overdue_follow_ups).toBeGreaterThan(0)
    } finally {
      other.close()
    }
  })

  it('credits the calls with the next import, takes the credits back with its undo and gives them again with a re-import, every connection reading as one opened afresh', async () => {
    const other = openDb(ctx.db.path)
    const nextMonth = await generatedExport(ctx.tmp.dir, 'month2.json', { sips: 400, seed: 7, month: 2 })
    const read = (db: Db) => ({
      today: listToday(db, { limit: 500 }),
      stats: getStats(db, {}),
      plan: getDayPlan(db, {}),
      scheduled: listScheduled(db, { limit: 1000 }),
    })
    const converted = (): number =>
      (ctx.db.sqlite.prepare("SELECT count(*) AS n FROM follow_ups WHERE state = 'converted'").get() as { n: number }).n
    const bothAsAfresh = (): void => {
      const fresh = asAfresh(read)
      expect(read(ctx.db)).toEqual(fresh)
      expect(read(other)).toEqual(fresh)
    }
    try {
      bothAsAfresh()
      // Every client reached, half on each connection, both keeping their answers meanwhile.
      for (const [index, row] of listToday(ctx.db, { limit: 1000 }).rows.entries())
        logCall(index % 2 === 0 ? ctx.db : other, { user_id: row.user_id, agent_external_id: row.agent_external_id, outcome: 'reached' })
      bothAsAfresh()
      await importFiles(ctx.db.path, [{ path: nextMonth, name: 'month2.json' }])
      const credited = converted()
      expect(credited).toBeGreaterThan(0)
      bothAsAfresh()
      expect(undoLastImport(other).credits_reversed).toBe(credited)
      expect(converted()).toBe(0)
      bothAsAfresh()
      await importFiles(ctx.db.path, [{ path: nextMonth, name: 'month2.json' }])
      expect(converted()).toBe(credited)
      bothAsAfresh()
    } finally {
      other.close()
    }
  })

  it('takes in a call saved elsewhere after a rolled-back one was read inside its transaction (the log number is used again)', () => {
    const other = openDb(ctx.db.path)
    const inAWeek = addDays(today(), 7)
    const read = (db: Db) => listToday(db, { limit: 50 })
    try {
      const [first, second] = read(ctx.db).rows
      const save = (db: Db, row: typeof first) =>
        logCall(db, { user_id: row.user_id, agent_external_id: row.agent_external_id, outcome: 'reached', next_action_date: inAWeek })
      expect(() =>
        ctx.db.sqlite.transaction(() => {
          save(ctx.db, first)
          expect(read(ctx.db).rows.map((r) => r.user_id)).not.toContain(first.user_id)
          throw new Error('taken back')
        })(),
      ).toThrow('taken back')
      save(other, second)
      const after = read(ctx.db)
      expect(after.rows.map((r) => r.user_id)).toContain(first.user_id)
      expect(after.rows.map((r) => r.user_id)).not.toContain(second.user_id)
      expect(after).toEqual(asAfresh(read))
    } finally {
      other.close()
    }
  })

  it('pages Scheduled: the pages add up to every client with a next date in the next 30 days, each date counted in full', () => {
    const opportunities = listOpportunities(ctx.db, { limit: 1000, states: [...FOLLOW_UP_STATES], show_snoozed: true }).rows
    const dates = [addDays(today(), 2), addDays(today(), 9), addDays(today(), 30), addDays(today(), 31)]
    opportunities.slice(0, 23).forEach((o, i) =>
      updateFollowUp(ctx.db, {
        type: o.type,
        user_id: o.user_id,
        agent_external_id: o.agent_external_id,
        next_action_date: dates[i % 4],
      }),
    )
    const whole = listScheduled(ctx.db, { limit: 1000 })
    const paged: typeof whole.rows = []
    for (let offset = 0; offset < whole.total; offset += 4) {
      const page = listScheduled(ctx.db, { limit: 4, offset })
      expect(page).toMatchObject({ total: whole.total, dates: whole.dates })
      paged.push(...page.rows)
    }
    expect(paged).toEqual(whole.rows)
    // Each client once, on its earliest date within 30 days, by date.
    const expected = new Map<string, string>()
    for (const o of listOpportunities(ctx.db, { limit: 1000, states: [...FOLLOW_UP_STATES], show_snoozed: true }).rows) {
      const date = o.next_action_date
      if (!date || date <= today() || date > addDays(today(), 30) || (o.status !== 'open' && o.status !== 'contacted')) continue
      const key = `${o.user_id}|${o.agent_external_id ?? ''}`
      if (!expected.has(key) || date < expected.get(key)!) expected.set(key, date)
    }
    expect(whole.total).toBe(expected.size)
    expect(new Map(whole.rows.map((r) => [`${r.user_id}|${r.agent_external_id ?? ''}`, r.next_action_date]))).toEqual(expected)
    expect(whole.rows.map((r) => r.next_action_date)).toEqual(whole.rows.map((r) => r.next_action_date).sort())
    const counts = new Map<string, number>()
    for (const r of whole.rows) counts.set(r.next_action_date!, (counts.get(r.next_action_date!) ?? 0) + 1)
    expect(whole.dates).toEqual([...counts].map(([date, clients]) => ({ date, clients })))
    expect(whole.dates.length).toBe(3)
  })
})
