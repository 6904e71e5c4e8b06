import type { Db } from '../db/open'
import {
  OPPORTUNITY_TYPES,
  type AgentList,
  type AgentSummary,
  type ClientMatch,
  type ClientDetail,
  type OpportunityType,
  type Stats,
  type TypeTotals,
} from '../../shared/detection'
import { ensureOpportunities, FOLLOW_UP_OF, listOpportunities, type ReadOptions } from './opportunities'
import { getFollowUp } from './followUps'
import { resolveAsOf, today } from './settings'
import { bookVersion, remembered } from './remembered'
import { AppError } from '../../shared/errors'

const perType = <T>(make: () => T): Record<OpportunityType, T> =>
  Object.fromEntries(OPPORTUNITY_TYPES.map((t) => [t, make()])) as Record<OpportunityType, T>

const OPPORTUNITY_OF_AGENT = ':agent IS NULL OR o.agent_external_id = :agent OR o.agent_id = :agent'
const LIVE_SIP_OF_AGENT = 'coalesce(s.deleted, 0) = 0 AND (:agent IS NULL OR s.agent_external_id = :agent OR s.agent_id = :agent)'

function opportunityTotals(db: Db, agent: string | null): Pick<Stats, 'by_type' | 'clients_with_opportunities'> {
  const byType = perType<TypeTotals>(() => ({ count: 0, potential: 0 }))
  const rows = db.sqlite
    .prepare(
      `SELECT o.type, count(*) AS count, sum(o.potential_value) AS potential FROM opportunities o WHERE ${OPPORTUNITY_OF_AGENT} GROUP BY o.type`,
    )
    .all({ agent }) as { type: OpportunityType; count: number; potential: number }[]
  for (const row of rows) byType[row.type] = { count: row.count, potential: row.potential }
  const { clients } = db.sqlite
    .prepare(`SELECT count(DISTINCT o.user_id) AS clients FROM opportunities o WHERE ${OPPORTUNITY_OF_AGENT}`)
    .get({ agent }) as { clients: number }
  return { by_type: byType, clients_with_opportunities: clients }
}

function bookTotals(db: Db, agent: string | null): Stats['book'] {
  const book = db.sqlite
    .prepare(
      `SELECT count(*) AS live_sips, count(DISTINCT s.user_id) AS clients, count(DISTINCT s.agent_external_id) AS agents,
         coalesce(sum(CASE WHEN s.is_active = 1 THEN s.amount END), 0) AS monthly_sip_amount,
         coalesce(sum(s.success_amount), 0) AS total_invested
       FROM sips s WHERE ${LIVE_SIP_OF_AGENT}`,
    )
    .get({ agent }) as Omit<Stats['book'], 'status_mix'>
  const statusMix = db.sqlite
    .prepare(
      `SELECT coalesce(s.current_sip_status, 'Unknown') AS status, count(*) AS count FROM sips s WHERE ${LIVE_SIP_OF_AGENT}
       GROUP BY 1 ORDER BY 2 DESC, 1`,
    )
    .all({ agent }) as { status: string; count: number }[]
  return { ...book, status_mix: statusMix }
}

/**
 * SPEC §3.6: opportunity totals (every follow-up state counts) and book totals, optionally for one
 * agent. The whole book's totals are remembered until the data or the opportunities change.
 */
export function getStats(db: Db, request: { agent?: string; as_of?: string }, options: ReadOptions = {}): Stats {
  const asOf = resolveAsOf(db, request.as_of)
  const { version, refreshing } = ensureOpportunities(db, asOf, options)
  const agent = request.agent ?? null
  const opportunities = agent
    ? opportunityTotals(db, agent)
    : remembered(db, 'opportunity_totals', version, () => opportunityTotals(db, null))
  const book = agent ? bookTotals(db, agent) : remembered(db, 'book_totals', bookVersion(db), () => bookTotals(db, null))
  const { overdue } = db.sqlite
    .prepare(
      `SELECT count(*) AS overdue FROM follow_ups f JOIN opportunities o ON ${FOLLOW_UP_OF}
       WHERE (${OPPORTUNITY_OF_AGENT}) AND f.next_action_date < :today AND f.state NOT IN ('converted', 'dismissed')`,
    )
    .get({ agent, today: today() }) as { overdue: number }
  const totals = Object.values(opportunities.by_type)
  return {
    as_of: asOf,
    refreshing,
    total_opportunities: totals.reduce((n, t) => n + t.count, 0),
    clients_with_opportunities: opportunities.clients_with_opportunities,
    total_potential: totals.reduce((n, t) => n + t.potential, 0),
    by_type: opportunities.by_type,
    overdue_follow_ups: overdue,
    book,
  }
}

/** SPEC §3.6: the agents table, most potential first; remembered until the opportunities change. */
export function listAgents(db: Db, request: { as_of?: string }, options: ReadOptions = {}): AgentList {
  const asOf = resolveAsOf(db, request.as_of)
  const { version, refreshing } = ensureOpportunities(db, asOf, options)
  return { as_of: asOf, refreshing, agents: remembered(db, 'agents', version, () => agentRows(db)) }
}

function agentRows(db: Db): AgentSummary[] {
  const agents = db.sqlite
    .prepare(
      `WITH book AS (
         SELECT s.agent_external_id, max(s.agent_id) AS agent_id, count(*) AS live_sips, count(DISTINCT s.user_id) AS clients,
           coalesce(sum(s.success_amount), 0) AS total_invested,
           coalesce(sum(CASE WHEN s.is_active = 1 THEN s.amount END), 0) AS monthly_sip_amount
         FROM sips s WHERE coalesce(s.deleted, 0) = 0 GROUP BY s.agent_external_id),
       names AS (SELECT agent_external_id, max(agent_name) AS agent_name FROM clients GROUP BY agent_external_id)
       SELECT b.*, n.agent_name FROM book b LEFT JOIN names n ON n.agent_external_id = b.agent_external_id`,
    )
    .all() as Omit<AgentSummary, 'opportunities' | 'potential'>[]
  const counts = db.sqlite
    .prepare('SELECT agent_external_id, type, count(*) AS count, sum(potential_value) AS potential FROM opportunities GROUP BY 1, 2')
    .all() as { agent_external_id: string; type: OpportunityType; count: number; potential: number }[]
  const byAgent = new Map<string, { opportunities: Record<OpportunityType, number>; potential: number }>()
  for (const row of counts) {
    const entry = byAgent.get(row.agent_external_id) ?? { opportunities: perType(() => 0), potential: 0 }
    entry.opportunities[row.type] = row.count
    entry.potential += row.potential
    byAgent.set(row.agent_external_id, entry)
  }
  return agents
    .map((agent) => ({ ...agent, ...(byAgent.get(agent.agent_external_id ?? '') ?? { opportunities: perType(() => 0), potential: 0 }) }))
    .sort(
      (a, b) =>
        b.potential - a.potential ||
        b.total_invested - a.total_invested ||
        String(a.agent_external_id).localeCompare(String(b.agent_external_id)),
    )
}

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1)

/** SPEC §5 Client: contact details, every SIP, opportunities with follow-ups, and SIP history. */
export function getClient(db: Db, request: { user_id: string; as_of?: string }, options: ReadOptions = {}): ClientDetail {
  const userId = request.user_id
  const sips = db.sqlite
    .prepare(
      `SELECT sip_meta_id, schemes, amount, current_sip_status AS status, is_active, deleted, start_date, latest_success_order_date,
         success_amount, failed_amount, success_count, increment_percentage, increment_period, has_current_mandate, agent_external_id
       FROM sips WHERE user_id = ? ORDER BY coalesce(deleted, 0), is_active DESC, amount DESC, sip_meta_id`,
    )
    .all(userId) as (Omit<ClientDetail['sips'][number], 'schemes' | 'is_active' | 'deleted' | 'has_current_mandate'> & {
    schemes: string | null
    is_active: number | null
    deleted: number | null
    has_current_mandate: number | null
  })[]
  const contact = db.sqlite.prepare('SELECT * FROM clients WHERE user_id = ?').get(userId) as
    Record<string, string | number | null> | undefined
  if (sips.length === 0 && !contact) throw new AppError('not_found', `no client ${userId}`)
  const page = listOpportunities(
    db,
    {
      user_id: userId,
      as_of: request.as_of,
      states: ['open', 'contacted', 'converted', 'dismissed'],
      show_snoozed: true,
      limit: 100,
    },
    options,
  )
  const history = db.sqlite
    .prepare(
      `SELECT h.sip_meta_id, h.snapshot_at, h.amount, h.current_sip_status AS status FROM sip_history h
       JOIN sips s ON s.sip_meta_id = h.sip_meta_id WHERE s.user_id = ? ORDER BY h.sip_meta_id, h.snapshot_at`,
    )
    .all(userId) as ClientDetail['history']
  const agentExternalId = (contact?.agent_external_id as string | null) ?? sips.find((s) => s.agent_external_id)?.agent_external_id ?? null
  return {
    as_of: page.as_of,
    refreshing: page.refreshing,
    user_id: userId,
    name: (contact?.name as string) ?? null,
    email: (contact?.email as string) ?? null,
    phone_number: (contact?.phone_number as string) ?? null,
    crn: (contact?.crn as string) ?? null,
    agent_name: (contact?.agent_name as string) ?? null,
    agent_external_id: agentExternalId,
    total_current_value: (contact?.total_current_value as number) ?? null,
    sips: sips.map((s) => ({
      ...s,
      schemes: s.schemes ? (JSON.parse(s.schemes) as string[]) : [],
      is_active: bool(s.is_active),
      deleted: bool(s.deleted),
      has_current_mandate: bool(s.has_current_mandate),
    })),
    opportunities: page.rows,
    follow_ups: page.rows.map((o) => getFollowUp(db, o)),
    history,
  }
}

/** Clients whose id, name, phone, email or SIP id matches, for the search box. */
export function searchClients(db: Db, request: { query: string; limit?: number }): ClientMatch[] {
  const like = `%${request.query.replace(/[%_]/g, '')}%`
  return db.sqlite
    .prepare(
      `SELECT s.user_id, c.name, c.phone_number, count(*) AS sips FROM sips s LEFT JOIN clients c ON c.user_id = s.user_id
       WHERE s.user_id LIKE :like OR c.name LIKE :like OR c.phone_number LIKE :like OR c.email LIKE :like OR s.sip_meta_id = :exact
       GROUP BY s.user_id ORDER BY c.name IS NULL, c.name, s.user_id LIMIT :limit`,
    )
    .all({ like, exact: request.query, limit: request.limit ?? 10 }) as ClientMatch[]
}

/** Removes every imported record, import report and follow-up, then shrinks the file. Settings stay. */
export function clearData(db: Db): { cleared: true } {
  db.sqlite.transaction(() => {
    for (const table of ['opportunities', 'follow_up_events', 'follow_ups', 'import_issues', 'imports', 'sip_history', 'sips', 'clients']) {
      db.sqlite.prepare(`DELETE FROM ${table}`).run()
    }
    db.sqlite.prepare("DELETE FROM settings WHERE key LIKE '\\_%' ESCAPE '\\'").run()
  })()
  db.sqlite.exec('VACUUM')
  return { cleared: true }
}
