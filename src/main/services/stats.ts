import type { ReadableDb } from '../db/open'
import type { AgentList, OpportunityType, Stats } from '../../shared/detection'
import { agentFigures, agentFilter, bookTotals, perType, typeFigures } from './bookFigures'
import { callsToday } from './calls'
import { agentsBehind, agentsFreshness, freshness, readDerived, type ReadOptions } from './derived'
import { dueStakeByAgent, dueTotals, followUpCounts } from './queue'
import { dataAsOf, resolveAsOf } from './settings'
import { localToday as calendarToday } from '../../shared/format'
import { agentKey } from '../../shared/agentKey'

/**
 * SPEC §3.6: opportunity totals (all qualifying, and what the default lists show), ₹ a year at
 * stake over the clients due a call, and book totals, optionally for one agent. Whole-book figures
 * come from the last rebuild; the followed clients' figures (`queue.ts`) are applied on top.
 */
export function getStats(db: ReadableDb, request: { agent?: string; as_of?: string }, options: ReadOptions = {}): Stats {
  const asOf = resolveAsOf(db, request.as_of)
  const { refreshing, stale_because } = freshness(db, asOf, options)
  const today = calendarToday()
  const agent = agentFilter(db, request.agent)
  const figures = (agent === null ? readDerived(db, 'type_figures') : null) ?? typeFigures(db, agent)
  const book = (agent === null ? readDerived(db, 'book_totals') : null) ?? bookTotals(db, agent)
  const { hidden, overdue } = followUpCounts(db, agent, today)
  const byType = perType((): Stats['by_type'][OpportunityType] => ({ count: 0, listed: 0, annual_value: 0, potential: 0 }))
  for (const [type, totals] of Object.entries(figures.by_type) as [OpportunityType, (typeof figures.by_type)[OpportunityType]][]) {
    byType[type] = { ...totals, listed: totals.count - (hidden.get(type) ?? 0) }
  }
  const queue = dueTotals(db, agent, today)
  const counts = Object.values(byType)
  return {
    as_of: asOf,
    data_date: dataAsOf(db),
    refreshing,
    stale_because,
    total_opportunities: counts.reduce((n, t) => n + t.count, 0),
    listed_opportunities: counts.reduce((n, t) => n + t.listed, 0),
    clients_with_opportunities: figures.clients_with_opportunities,
    annual_at_stake: queue.at_stake,
    failed_over_lives: byType.failed_sips.potential,
    by_type: byType,
    overdue_follow_ups: overdue,
    due_clients: queue.clients,
    calls_today: callsToday(db, agent),
    book,
  }
}

/** SPEC §3.6: the agents table, most ₹ a year at stake first. */
export function listAgents(db: ReadableDb, request: { as_of?: string }, options: ReadOptions = {}): AgentList {
  const asOf = resolveAsOf(db, request.as_of)
  const { refreshing } = agentsFreshness(db, asOf, options)
  const stakes = dueStakeByAgent(db, calendarToday())
  // Right after an import's commit, until its figures are stored: the previous ones, or none after a first import.
  const stored = readDerived(db, 'agents') ?? (agentsBehind(db) ? [] : null)
  const agents = (stored ?? agentFigures(db)).map(({ stake_if_all_due: _, ...agent }) => ({
    ...agent,
    annual_at_stake: stakes.get(agentKey(agent.agent_external_id)) ?? 0,
  }))
  agents.sort(
    (a, b) =>
      b.annual_at_stake - a.annual_at_stake ||
      b.total_invested - a.total_invested ||
      String(a.agent_external_id).localeCompare(String(b.agent_external_id)),
  )
  return { as_of: asOf, refreshing, agents }
}
