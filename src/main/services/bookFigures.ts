import type { Db, ReadableDb } from '../db/open'
import { allRows, LIVE_SIP, oneRow, sql, type SqlFragment } from '../db/sql'
import { OPPORTUNITY_TYPES, type AgentSummary, type OpportunityType, type Stats } from '../../shared/detection'
import { agentOfKey } from '../../shared/agentKey'

/**
 * Figures over the book and its opportunities that do not depend on follow-ups, for the whole book
 * (computed once per rebuild, see `BOOK_FIGURES`) or for one agent (computed when asked: an
 * agent's share is small). `agent` is an agent_external_id (see `agentFilter`) or null for all.
 */

export const perType = <T>(make: () => T): Record<OpportunityType, T> =>
  Object.fromEntries(OPPORTUNITY_TYPES.map((t) => [t, make()])) as Record<OpportunityType, T>

/** `alias.agent_external_id` is the agent, or any when null. */
export const ofAgent = (alias: string, agent: string | null): SqlFragment =>
  agent === null ? sql.raw('1') : sql`${sql.raw(alias)}.agent_external_id = ${agent}`

/**
 * The agent_external_id a request's agent filter names (SPEC §3.6 lets it be the external or the numeric id); one
 * that no agent has stays as given, so it matches nothing; null (all agents) without a filter.
 */
export const agentFilter = (db: ReadableDb, agent: string | undefined): string | null =>
  agent === undefined ? null : (agentKeyOf(db, agent) ?? agent)

function agentKeyOf(db: ReadableDb, agent: string): string | null {
  const row = oneRow<{ key: string }>(
    db.sqlite,
    sql`SELECT coalesce(agent_external_id, '') AS key FROM sips WHERE agent_external_id = ${agent}
        UNION ALL SELECT coalesce(agent_external_id, '') FROM sips WHERE agent_id = ${agent} LIMIT 1`,
  )
  return row?.key ?? null
}

/** SPEC §3.6 book totals of one agent or all: their rows of `agent_books` added up, and the live SIPs' statuses. */
export function bookTotals(db: ReadableDb, agent: string | null): Stats['book'] {
  const book = oneRow<Omit<Stats['book'], 'status_mix'>>(
    db.sqlite,
    sql`SELECT coalesce(sum(b.live_sips), 0) AS live_sips, coalesce(sum(b.clients), 0) AS clients,
          count(nullif(b.agent_external_id, '')) AS agents, coalesce(sum(b.monthly_sip_amount), 0) AS monthly_sip_amount,
          coalesce(sum(b.total_invested), 0) AS total_invested
        FROM agent_books b WHERE ${ofAgent('b', agent)}`,
  )!
  const statusMix = allRows<{ status: string; count: number }>(
    db.sqlite,
    sql`SELECT coalesce(s.current_sip_status, 'Unknown') AS status, count(*) AS count FROM sips s
        WHERE ${sql.raw(LIVE_SIP)} AND ${ofAgent('s', agent)} GROUP BY 1 ORDER BY 2 DESC, 1`,
  )
  return { ...book, status_mix: statusMix }
}

export interface TypeFigures {
  by_type: Record<OpportunityType, { count: number; annual_value: number; potential: number }>
  clients_with_opportunities: number
  /** ₹ a year at stake if every opportunity were due: Σ client_stakes. */
  stake_if_all_due: number
}

export function typeFigures(db: ReadableDb, agent: string | null): TypeFigures {
  const byType = perType(() => ({ count: 0, annual_value: 0, potential: 0 }))
  const rows = allRows<{ type: OpportunityType; count: number; annual_value: number; potential: number }>(
    db.sqlite,
    sql`SELECT o.type, count(*) AS count, sum(o.annual_value) AS annual_value, sum(o.potential_value) AS potential
        FROM opportunities o ${notIndexedForAll(agent)} WHERE ${ofAgent('o', agent)} GROUP BY o.type`,
  )
  for (const { type, ...figures } of rows) byType[type] = figures
  const { clients, stake } = oneRow<{ clients: number; stake: number }>(
    db.sqlite,
    sql`SELECT count(*) AS clients, coalesce(sum(at_stake), 0) AS stake FROM client_stakes c WHERE ${ofAgent('c', agent)}`,
  )!
  return { by_type: byType, clients_with_opportunities: clients, stake_if_all_due: stake }
}

/** An agents-table row before follow-ups are applied: its ₹ at stake as if every opportunity were due. */
export type AgentFigures = Omit<AgentSummary, 'annual_at_stake'> & { stake_if_all_due: number }

/**
 * Over all agents (here and in `agentFigures`), a scan in table order then one sort: walking an index
 * with a table read per row took 2–3× as long on a million SIPs' opportunities. One agent's rows come
 * from its index.
 */
const notIndexedForAll = (agent: string | null): SqlFragment => sql.raw(agent === null ? 'NOT INDEXED' : '')

/** SPEC §3.6: per agent, the book and the opportunities. */
export function agentFigures(db: ReadableDb): AgentFigures[] {
  const books = allRows<Omit<AgentFigures, 'opportunities' | 'stake_if_all_due' | 'agent_external_id'> & { agent: string }>(
    db.sqlite,
    sql`SELECT b.agent_external_id AS agent, b.agent_id, b.live_sips, b.clients, b.total_invested, b.monthly_sip_amount, n.agent_name
        FROM agent_books b
        LEFT JOIN (SELECT agent_external_id, max(agent_name) AS agent_name FROM clients GROUP BY agent_external_id) n
          ON n.agent_external_id = b.agent_external_id`,
  )
  const counts = allRows<{ agent: string; type: OpportunityType; count: number }>(
    db.sqlite,
    sql`SELECT agent_external_id AS agent, type, count(*) AS count FROM opportunities NOT INDEXED GROUP BY 1, 2`,
  )
  const stakes = allRows<{ agent: string; stake: number }>(
    db.sqlite,
    sql`SELECT agent_external_id AS agent, sum(at_stake) AS stake FROM client_stakes GROUP BY 1`,
  )
  const byAgent = new Map<string, Pick<AgentFigures, 'opportunities' | 'stake_if_all_due'>>()
  const entry = (agent: string) => {
    let found = byAgent.get(agent)
    if (!found) byAgent.set(agent, (found = { opportunities: perType(() => 0), stake_if_all_due: 0 }))
    return found
  }
  for (const row of counts) entry(row.agent).opportunities[row.type] = row.count
  for (const row of stakes) entry(row.agent).stake_if_all_due = row.stake
  return books.map(({ agent, ...book }) => ({ agent_external_id: agentOfKey(agent), ...book, ...entry(agent) }))
}

/** Whole-book figures stored at each rebuild (`rebuildDerived`), by key. */
export const BOOK_FIGURES = {
  book_totals: (db: Db) => bookTotals(db, null),
  type_figures: (db: Db) => typeFigures(db, null),
  agents: agentFigures,
}
