import type { ReadableDb } from '../db/open'
import { allRows, oneRow, sql, type SqlFragment } from '../db/sql'
import type { RequestOf } from '../../shared/contract'
import { CALL_OUTCOMES, type CallOutcome } from '../../shared/detection'
import { DEFAULT_WEEKS, mondayOf, type Results, type ResultsWeek } from '../../shared/results'
import { addDays, localToday as today } from '../../shared/format'
import { agentFilter } from './bookFigures'
import { changedSet } from './changes'
import { agentNameOf } from './opportunities'

/**
 * SPEC §5a: did the calls work, and is the book getting better. Weeks run Monday to Sunday by the
 * computer's calendar; a call counts in the week of its local date, an import's credits in the
 * week it was made. Imports that changed nothing (SPEC §8.6) and undone ones count nowhere.
 */

/** The instant a local date begins, as stored times are written (ISO, UTC). */
const startOf = (date: string): string => new Date(`${date}T00:00:00`).toISOString()

/**
 * The period's weeks as a table `weeks(week, start, end)` of stored instants (the first and last cut to the
 * period): a stored time falls in the week whose range holds it, found by its index instead of converting every
 * row to local time (which costs SQLite a time-zone lookup per call).
 */
function weeksOfPeriod(mondays: readonly string[], from: string, to: string): SqlFragment {
  const rows = mondays.map((monday) => {
    const next = addDays(monday, 7)
    return sql`(${monday}, ${startOf(monday < from ? from : monday)}, ${startOf(next > to ? addDays(to, 1) : next)})`
  })
  return sql`weeks(week, start, end) AS (VALUES ${sql.join(rows, ', ')})`
}

const ofAgent = (column: string, agent: string | null): SqlFragment => (agent === null ? sql`` : sql` AND ${sql.raw(column)} = ${agent}`)

/** The period asked for: by default the last `DEFAULT_WEEKS` weeks up to today. */
function period(request: RequestOf<'results:get'>): { from: string; to: string } {
  const to = request.to ?? (request.from && request.from > today() ? request.from : today())
  return { from: request.from ?? addDays(mondayOf(to), -7 * (DEFAULT_WEEKS - 1)), to }
}

const noCalls = (): Record<CallOutcome, number> => Object.fromEntries(CALL_OUTCOMES.map((o) => [o, 0])) as Record<CallOutcome, number>

export function getResults(db: ReadableDb, request: RequestOf<'results:get'>): Results {
  const { from, to } = period(request)
  const agent = request.agent === undefined ? null : agentFilter(db, request.agent)
  const start = startOf(from)
  const end = startOf(addDays(to, 1))
  // A void call counts nowhere (SPEC §4).
  const callsIn = sql`FROM calls c WHERE c.at >= ${start} AND c.at < ${end} AND c.voided_at IS NULL${ofAgent('c.agent_external_id', agent)}`
  const setsIn = sql`s.undone_at IS NULL AND s.started_at >= ${start} AND s.started_at < ${end}`

  const weeks = new Map<string, ResultsWeek>()
  for (let monday = mondayOf(from); monday <= to; monday = addDays(monday, 7)) {
    weeks.set(monday, { week_start: monday, calls: noCalls(), clients_called: 0, messages: 0, credited: 0, won_annual: 0 })
  }
  const weekTable = weeksOfPeriod([...weeks.keys()], from, to)
  const callsByWeek = sql`FROM weeks w CROSS JOIN calls c ON c.at >= w.start AND c.at < w.end
    WHERE c.voided_at IS NULL${ofAgent('c.agent_external_id', agent)}`
  const byOutcome = allRows<{ week: string; outcome: CallOutcome; n: number }>(
    db.sqlite,
    sql`WITH ${weekTable} SELECT w.week, c.outcome, count(*) AS n ${callsByWeek} GROUP BY 1, 2`,
  )
  for (const row of byOutcome) weeks.get(row.week)!.calls[row.outcome] = row.n
  const called = allRows<{ week: string; n: number }>(
    db.sqlite,
    sql`WITH ${weekTable} SELECT week, count(*) AS n FROM (SELECT DISTINCT w.week, c.user_id, c.agent_external_id ${callsByWeek}) GROUP BY 1`,
  )
  for (const row of called) weeks.get(row.week)!.clients_called = row.n
  const messages = allRows<{ week: string; n: number }>(
    db.sqlite,
    sql`WITH ${weekTable} SELECT w.week, count(*) AS n FROM weeks w CROSS JOIN messages m ON m.at >= w.start AND m.at < w.end
        WHERE 1${ofAgent('m.agent_external_id', agent)} GROUP BY 1`,
  )
  for (const row of messages) weeks.get(row.week)!.messages = row.n
  // The whole book's credits as each import recorded them; one agent's from the figures stored per agent.
  const credits = allRows<{ week: string; credited: number; won: number }>(
    db.sqlite,
    agent === null
      ? sql`WITH ${weekTable} SELECT w.week, sum(s.credited_count) AS credited, sum(s.won_annual) AS won
            FROM weeks w JOIN import_sets s ON s.started_at >= w.start AND s.started_at < w.end WHERE ${setsIn} AND ${changedSet('s')} GROUP BY 1`
      : sql`WITH ${weekTable} SELECT w.week, sum(f.credited) AS credited, sum(f.won_annual) AS won
            FROM weeks w JOIN import_sets s ON s.started_at >= w.start AND s.started_at < w.end JOIN import_figures f ON f.set_id = s.id AND f.agent_external_id = ${agent} WHERE ${setsIn} GROUP BY 1`,
  )
  for (const row of credits) Object.assign(weeks.get(row.week)!, { credited: row.credited, won_annual: row.won })

  const imports = allRows<Omit<Results['imports'][number], 'computed_later'> & { computed_later: number }>(
    db.sqlite,
    sql`SELECT s.id AS import_id, s.as_of, s.started_at, coalesce(sum(f.live_sips), 0) AS live_sips,
          coalesce(sum(f.monthly_active), 0) AS monthly_active, coalesce(sum(f.failing), 0) AS failing,
          CASE WHEN sum(f.final_warnings IS NULL) > 0 THEN NULL ELSE coalesce(sum(f.final_warnings), 0) END AS final_warnings,
          CASE WHEN sum(f.at_stake IS NULL) > 0 THEN NULL ELSE coalesce(sum(f.at_stake), 0) END AS at_stake,
          EXISTS (SELECT 1 FROM import_figures l WHERE l.set_id = s.id AND l.computed_later = 1) AS computed_later
        FROM import_sets s LEFT JOIN import_figures f ON f.set_id = s.id${ofAgent('f.agent_external_id', agent)}
        WHERE s.undone_at IS NULL AND EXISTS (SELECT 1 FROM import_figures a WHERE a.set_id = s.id)
        GROUP BY s.id ORDER BY s.id`,
  )

  const agents = allRows<Results['agents'][number]>(
    db.sqlite,
    sql`SELECT nullif(a.agent, '') AS agent_external_id, ${sql.raw(agentNameOf('a.agent'))} AS agent_name, sum(a.calls) AS calls,
          sum(a.clients) AS clients_called, sum(a.credited) AS credited, sum(a.won) AS won_annual
        FROM (
          SELECT c.agent_external_id AS agent, count(*) AS calls, count(DISTINCT c.user_id) AS clients, 0 AS credited, 0 AS won ${callsIn} GROUP BY 1
          UNION ALL
          SELECT f.agent_external_id, 0, 0, sum(f.credited), sum(f.won_annual) FROM import_sets s CROSS JOIN import_figures f ON f.set_id = s.id
          WHERE ${setsIn} AND f.credited > 0${ofAgent('f.agent_external_id', agent)} GROUP BY 1
        ) a
        GROUP BY a.agent ORDER BY won_annual DESC, credited DESC, calls DESC, a.agent`,
  )

  return {
    from,
    to,
    weeks: [...weeks.values()],
    imports: imports.map((i) => ({ ...i, computed_later: i.computed_later === 1 })),
    agents,
    conversion: conversion(db, { from, to, end, agent }),
  }
}

/**
 * SPEC §8.12: over the clients of the day plans of the period (any agent filter's plan, each client
 * once, from the first day it was planned): how many were called (a call not void, from that day on)
 * and how many had a follow-up credited by an import made from that day on.
 */
function conversion(db: ReadableDb, p: { from: string; to: string; end: string; agent: string | null }): Results['conversion'] {
  // Without a plan in the period there is nothing to follow (and the import's credits need not be read).
  if (!oneRow(db.sqlite, sql`SELECT 1 FROM day_plans WHERE day >= ${p.from} AND day <= ${p.to} LIMIT 1`)) {
    return { planned: 0, called: 0, credited: 0 }
  }
  return oneRow<Results['conversion']>(
    db.sqlite,
    sql`WITH planned AS MATERIALIZED (
          SELECT pc.user_id, pc.agent_external_id, min(d.day) AS day FROM day_plans d JOIN day_plan_clients pc ON pc.plan_id = d.id
          WHERE d.day >= ${p.from} AND d.day <= ${p.to}${ofAgent('pc.agent_external_id', p.agent)} GROUP BY 1, 2),
        credits AS MATERIALIZED (
          SELECT DISTINCT oc.user_id, oc.agent_external_id, date(s.started_at, 'localtime') AS day
          FROM import_sets s JOIN opportunity_changes oc ON oc.set_id = s.id AND oc.follow_up = 'credited'
          WHERE s.undone_at IS NULL AND s.started_at < ${p.end} AND date(s.started_at, 'localtime') >= ${p.from}
            AND ${changedSet('s')}${ofAgent('oc.agent_external_id', p.agent)})
        SELECT count(*) AS planned,
          count(CASE WHEN EXISTS (SELECT 1 FROM calls c WHERE c.user_id = pl.user_id AND c.agent_external_id = pl.agent_external_id
            AND c.voided_at IS NULL AND c.at < ${p.end} AND date(c.at, 'localtime') >= pl.day) THEN 1 END) AS called,
          count(CASE WHEN EXISTS (SELECT 1 FROM credits cr WHERE cr.user_id = pl.user_id AND cr.agent_external_id = pl.agent_external_id
            AND cr.day >= pl.day) THEN 1 END) AS credited
        FROM planned pl`,
  )!
}
