import type { Db } from '../db/open'
import { allRows, oneRow, runSql, sql } from '../db/sql'
import { writeTransaction } from '../db/write'
import type { CallOutcome, PlanRow, TodayPlan } from '../../shared/detection'
import type { RequestOf } from '../../shared/contract'
import { agentFilter } from './bookFigures'
import { callsToday, startOfToday } from './calls'
import { freshness, type ReadOptions } from './derived'
import {
  bringQueueUpToDate,
  clientIn,
  clientKey,
  entriesOf,
  keysJson,
  nextActionDates,
  queuePage,
  stakesIfDue,
  type QueueEntry,
} from './queue'
import { getSettings, resolveAsOf } from './settings'
import { localToday as calendarToday } from '../../shared/format'
import { QUEUE_GROUP } from '../../shared/queueGroups'
import { clientRows, type ClientEntry } from './today'

/**
 * SPEC §5 "The day's plan", §8.7: one plan per local calendar day and agent filter, fixed at the
 * first look of the day (the first `daily_calls` clients of the queue) and stored with its clients.
 * It does not reshuffle: done rows stay in place, clients that enter group 1 or 2 during the day
 * join at the end, clients an import resolves show "resolved" in place and leave the total.
 */

type Key = { user_id: string; agent_external_id: string }
type Added = PlanRow['added']

interface Plan {
  id: number
  fixed_at: string
}

const findPlan = (db: Db, day: string, agent: string | null): Plan | undefined =>
  oneRow<Plan>(db.sqlite, sql`SELECT id, fixed_at FROM day_plans WHERE day = ${day} AND agent_external_id IS ${agent} ORDER BY id LIMIT 1`)

const planClients = (db: Db, planId: number): (Key & { added: Added })[] =>
  allRows(db.sqlite, sql`SELECT user_id, agent_external_id, added FROM day_plan_clients WHERE plan_id = ${planId} ORDER BY position`)

function append(db: Db, planId: number, keys: readonly Key[], added: Added): void {
  if (keys.length === 0) return
  const at = new Date().toISOString()
  const { n } = oneRow<{ n: number }>(
    db.sqlite,
    sql`SELECT coalesce(max(position), 0) AS n FROM day_plan_clients WHERE plan_id = ${planId}`,
  )!
  runSql(
    db.sqlite,
    sql`INSERT OR IGNORE INTO day_plan_clients (plan_id, user_id, agent_external_id, position, added, added_at)
        SELECT ${planId}, j.value ->> 0, j.value ->> 1, ${n} + j.key + 1, ${added}, ${at} FROM json_each(${keysJson(keys)}) j`,
  )
}

/** The clients called today (non-void calls) among `keys`, with the outcome of the latest call. */
function calledToday(db: Db, keys: readonly Key[]): Map<string, CallOutcome> {
  if (keys.length === 0) return new Map()
  const rows = allRows<Key & { outcome: CallOutcome }>(
    db.sqlite,
    sql`SELECT c.user_id, c.agent_external_id, c.outcome FROM calls c
        WHERE ${clientIn('c', keysJson(keys))} AND c.at >= ${startOfToday()} AND c.voided_at IS NULL ORDER BY c.at, c.id`,
  )
  return new Map(rows.map((r) => [clientKey(r), r.outcome]))
}

/** SPEC §8.7: a client called today is done, unless it is due again today (group 1 or 2). */
const isDone = (called: boolean, entry: QueueEntry | undefined): boolean => called && !(entry && entry.group <= QUEUE_GROUP.due_today)

/** The first `count` queue clients not in `taken`, in queue order. */
function nextInQueue(db: Db, agent: string | null, today: string, count: number, taken: Set<string>): Key[] {
  if (count <= 0) return []
  const { entries } = queuePage(db, { agent, today, limit: count + taken.size, offset: 0 })
  return entries.filter((e) => !taken.has(clientKey(e))).slice(0, count)
}

/**
 * Fixes the day's plan when this is the first look (or re-fixes it after the day's first import when
 * nothing is done yet), and lets in the clients that entered group 1 or 2 since it was fixed.
 */
function fixPlan(db: Db, day: string, agent: string | null, today: string): number {
  const dailyCalls = getSettings(db).queue.daily_calls
  let plan = findPlan(db, day, agent)
  if (plan) {
    const clients = planClients(db, plan.id)
    const importedSince = oneRow(
      db.sqlite,
      sql`SELECT 1 FROM import_sets WHERE undone_at IS NULL AND started_at > ${plan.fixed_at} LIMIT 1`,
    )
    const importedBefore = oneRow(
      db.sqlite,
      sql`SELECT 1 FROM import_sets WHERE started_at >= ${startOfToday()} AND started_at <= ${plan.fixed_at} LIMIT 1`,
    )
    if (importedSince && !importedBefore && calledToday(db, clients).size === 0) {
      runSql(db.sqlite, sql`DELETE FROM day_plan_clients WHERE plan_id = ${plan.id}`)
      runSql(db.sqlite, sql`UPDATE day_plans SET fixed_at = ${new Date().toISOString()} WHERE id = ${plan.id}`)
      append(db, plan.id, nextInQueue(db, agent, today, dailyCalls, new Set()), 'planned')
    }
  } else {
    const fixedAt = new Date().toISOString()
    const { lastInsertRowid } = runSql(
      db.sqlite,
      sql`INSERT INTO day_plans (day, agent_external_id, fixed_at) VALUES (${day}, ${agent}, ${fixedAt})`,
    )
    plan = { id: Number(lastInsertRowid), fixed_at: fixedAt }
    append(db, plan.id, nextInQueue(db, agent, today, dailyCalls, new Set()), 'planned')
    return plan.id
  }
  // Joins: queue clients now in group 1 or 2 whose follow-ups changed since the plan was fixed.
  const { groups } = queuePage(db, { agent, today, limit: 0, offset: 0 })
  const urgent = queuePage(db, { agent, today, limit: groups[QUEUE_GROUP.overdue] + groups[QUEUE_GROUP.due_today], offset: 0 }).entries
  const inPlan = new Set(planClients(db, plan.id).map(clientKey))
  const candidates = urgent.filter((e) => !inPlan.has(clientKey(e)))
  const changed = new Set(
    allRows<Key>(db.sqlite, sql`SELECT DISTINCT user_id, agent_external_id FROM follow_up_events WHERE at > ${plan.fixed_at}`).map(
      clientKey,
    ),
  )
  append(
    db,
    plan.id,
    candidates.filter((e) => changed.has(clientKey(e))),
    'joined',
  )
  return plan.id
}

/** The plan as it stands: its rows in plan order, done and resolved ones in place, with the progress. */
function readPlan(db: Db, planned: readonly (Key & { added: Added })[], context: PlanContext): TodayPlan {
  const { agent, today, asOf, refreshing, day, dailyCalls } = context
  const queued = entriesOf(db, { agent, today, keys: planned })
  const called = calledToday(db, planned)
  const qualifying = new Set(
    planned.length === 0
      ? []
      : allRows<Key>(
          db.sqlite,
          sql`SELECT DISTINCT o.user_id, o.agent_external_id FROM opportunities o WHERE ${clientIn('o', keysJson(planned))}`,
        ).map(clientKey),
  )
  const outside = planned.filter((p) => !queued.has(clientKey(p)))
  const stakes = stakesIfDue(db, outside)
  // A client called today leaves the queue; its row still says when it is next due.
  const nextDates = nextActionDates(db, outside)
  const entries = planned.map((p): ClientEntry => {
    const key = clientKey(p)
    return (
      queued.get(key) ?? {
        ...p,
        at_stake: stakes.get(key) ?? 0,
        next_action_date: nextDates.get(key) ?? null,
        final_warning_date: null,
        group: null,
      }
    )
  })
  const rows = clientRows(db, entries, today).map((row, i): PlanRow => {
    const key = clientKey(planned[i])
    const done = isDone(called.has(key), queued.get(key))
    return { ...row, done, outcome: done ? (called.get(key) ?? null) : null, resolved: !qualifying.has(key), added: planned[i].added }
  })
  const counted = rows.filter((r) => !r.resolved)
  const { total: queueTotal } = queuePage(db, { agent, today, limit: 0, offset: 0 })
  return {
    as_of: asOf,
    refreshing,
    day,
    daily_calls: dailyCalls,
    total: counted.length,
    done: counted.filter((r) => r.done).length,
    rows,
    later: Math.max(0, queueTotal - queued.size),
    calls_today: callsToday(db, agent),
  }
}

interface PlanContext {
  agent: string | null
  today: string
  asOf: string
  refreshing: boolean
  day: string
  dailyCalls: number
}

function contextOf(db: Db, request: RequestOf<'today:plan'>, options: ReadOptions): PlanContext {
  const asOf = resolveAsOf(db, request.as_of)
  const { refreshing } = freshness(db, asOf, options)
  const today = calendarToday()
  const agent = agentFilter(db, request.agent)
  // Before the plan's write: the reads inside it use the queue's kept answer but do not keep one they work out.
  bringQueueUpToDate(db, agent, today)
  return { agent, today, asOf, refreshing, day: today, dailyCalls: getSettings(db).queue.daily_calls }
}

/**
 * SPEC §5, §6 `today --plan`: the day's plan for the agent filter, fixed and stored at the day's first
 * look. A read-only book shows the plan it would fix, without storing it.
 */
export function getDayPlan(db: Db, request: RequestOf<'today:plan'>, options: ReadOptions = {}): TodayPlan {
  const context = contextOf(db, request, options)
  if (db.readOnly) {
    const stored = findPlan(db, context.day, context.agent)
    const planned = stored
      ? planClients(db, stored.id)
      : nextInQueue(db, context.agent, context.today, context.dailyCalls, new Set()).map((k) => ({ ...k, added: 'planned' as const }))
    return readPlan(db, planned, context)
  }
  const planId = writeTransaction(db, () => fixPlan(db, context.day, context.agent, context.today))
  return readPlan(db, planClients(db, planId), context)
}

/** SPEC §5 "Refill plan": adds queue clients, in queue order, until `daily_calls` of the plan are not done. */
export function refillDayPlan(db: Db, request: RequestOf<'today:refill'>, options: ReadOptions = {}): TodayPlan {
  const context = contextOf(db, request, options)
  const planId = writeTransaction(db, () => {
    const id = fixPlan(db, context.day, context.agent, context.today)
    const planned = planClients(db, id)
    const open = readPlan(db, planned, context).rows.filter((r) => !r.resolved && !r.done).length
    append(db, id, nextInQueue(db, context.agent, context.today, context.dailyCalls - open, new Set(planned.map(clientKey))), 'refill')
    return id
  })
  return readPlan(db, planClients(db, planId), context)
}
