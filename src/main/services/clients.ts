import type { Db, ReadableDb } from '../db/open'
import type { SipEventKind } from '../../shared/changes'
import { allRows, oneRow, runSql, sql } from '../db/sql'
import type { ClientDetail, ClientMatch, ClientSip } from '../../shared/detection'
import { listCalls, listMessages, voidableCall } from './calls'
import { type ReadOptions } from './derived'
import { getFollowUp } from './followUps'
import { clientAgents } from './clientAgent'
import { agentNameOf, likePattern, listOpportunities } from './opportunities'
import { AppError } from '../../shared/errors'
import { agentKey, agentOfKey, severalAgentsError } from '../../shared/agentKey'
import type { Language } from '../../shared/messages'

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1)

type SipRow = Omit<ClientSip, 'schemes' | 'sip_days' | 'is_active' | 'deleted' | 'has_current_mandate'> & {
  schemes: string | null
  sip_days: string | null
  is_active: number | null
  deleted: number | null
  has_current_mandate: number | null
}

type ContactRow = Pick<ClientDetail, 'name' | 'email' | 'phone_number' | 'crn' | 'agent_external_id' | 'total_current_value'>

/**
 * The agent of a client named by user_id: the one given, else the only one the user_id has SIPs
 * under; several are refused with the list (SPEC §3.1).
 */
function resolveClientAgent(db: ReadableDb, userId: string, agent: string | null | undefined): string | null {
  if (agent !== undefined && agent !== null) return agent
  const agents = clientAgents(db, userId)
  if (agents.length > 1) throw severalAgentsError(userId, agents, 'name the agent')
  return agents.length === 1 ? agentKey(agents[0].agent_external_id) : null
}

/**
 * SPEC §5 Client: contact details, every SIP, opportunities with follow-ups, SIP history and the
 * call log of one client — a user_id with its agent (§3.1), refused without the agent when the
 * user_id has SIPs under several.
 */
export function getClient(
  db: ReadableDb,
  request: { user_id: string; agent_external_id?: string | null; as_of?: string },
  options: ReadOptions = {},
): ClientDetail {
  const userId = request.user_id
  const agent = resolveClientAgent(db, userId, request.agent_external_id)
  const ofAgent = agent === null ? sql.raw('1') : sql`coalesce(agent_external_id, '') = ${agent}`
  const sips = allRows<SipRow>(
    db.sqlite,
    sql`SELECT sip_meta_id, schemes, amount, sip_days, monthly_amount, end_date, current_sip_status AS status, is_active, deleted,
          start_date, latest_success_order_date, success_amount, failed_amount, success_count, increment_percentage, increment_period,
          has_current_mandate, agent_external_id, goal_name, paused_from, paused_till
        FROM sips WHERE user_id = ${userId} AND ${ofAgent}
        ORDER BY coalesce(deleted, 0), is_active DESC, monthly_amount DESC, sip_meta_id`,
  )
  const contact = oneRow<ContactRow>(
    db.sqlite,
    sql`SELECT name, email, phone_number, crn, agent_external_id, total_current_value FROM clients WHERE user_id = ${userId}`,
  )
  // The client list's portfolio value is the user_id's under the agent it names: another agent's page leaves it out.
  const ownContact = contact && (agent === null || agentKey(contact.agent_external_id) === agent) ? contact : undefined
  if (sips.length === 0 && !ownContact) throw new AppError('not_found', `no client ${userId}${agent ? ` under agent ${agent}` : ''}`)
  const agentExternalId = agent === null ? (contact?.agent_external_id ?? null) : agentOfKey(agent)
  const page = listOpportunities(
    db,
    {
      user_id: userId,
      agent_external_id: agentKey(agentExternalId),
      as_of: request.as_of,
      states: ['open', 'contacted', 'converted', 'dismissed'],
      show_snoozed: true,
      limit: 100,
    },
    options,
  )
  // SPEC §7.1: each snapshot with the events the import that stored it recorded for the SIP.
  const history = allRows<Omit<ClientDetail['history'][number], 'events'> & { events: string | null }>(
    db.sqlite,
    sql`SELECT h.sip_meta_id, h.snapshot_at, h.amount, h.current_sip_status AS status,
          (SELECT group_concat(e.event) FROM imports i JOIN sip_events e ON e.set_id = i.set_id AND e.sip_meta_id = h.sip_meta_id
           WHERE i.id = h.import_id) AS events
        FROM sip_history h
        JOIN sips s ON s.sip_meta_id = h.sip_meta_id WHERE s.user_id = ${userId} AND ${ofAgent} ORDER BY h.sip_meta_id, h.snapshot_at`,
  ).map((h) => ({ ...h, events: h.events === null ? [] : (h.events.split(',') as SipEventKind[]) }))
  const agentName =
    agentExternalId === null ? null : (clientAgents(db, userId).find((a) => a.agent_external_id === agentExternalId)?.agent_name ?? null)
  return {
    as_of: page.as_of,
    refreshing: page.refreshing,
    user_id: userId,
    name: contact?.name ?? null,
    email: contact?.email ?? null,
    phone_number: contact?.phone_number ?? null,
    crn: contact?.crn ?? null,
    agent_name: agentName,
    agent_external_id: agentExternalId,
    total_current_value: ownContact?.total_current_value ?? null,
    language: clientLanguage(db, userId, agentExternalId),
    sips: sips.map((s) => ({
      ...s,
      schemes: s.schemes ? (JSON.parse(s.schemes) as string[]) : [],
      sip_days: s.sip_days ? (JSON.parse(s.sip_days) as number[]) : [],
      is_active: bool(s.is_active),
      deleted: bool(s.deleted),
      has_current_mandate: bool(s.has_current_mandate),
    })),
    opportunities: page.rows,
    follow_ups: page.rows.map((o) => getFollowUp(db, o)),
    history,
    calls: listCalls(db, userId, agentKey(agentExternalId)),
    void_call_id: voidableCall(db, userId, agentKey(agentExternalId)),
    messages: listMessages(db, userId, agentKey(agentExternalId)),
    other_agents: clientAgents(db, userId).filter((a) => a.agent_external_id !== agentExternalId),
  }
}

/** SPEC §5: the language a client's messages are written in: English unless set on the client page. */
export function clientLanguage(db: ReadableDb, userId: string, agent: string | null): Language {
  const row = oneRow<{ language: Language }>(
    db.sqlite,
    sql`SELECT language FROM client_languages WHERE user_id = ${userId} AND agent_external_id = ${agentKey(agent)}`,
  )
  return row?.language ?? 'en'
}

/** Sets a client's language; the row is user data, which imports and their undo leave alone. */
export function setClientLanguage(
  db: Db,
  request: { user_id: string; agent_external_id?: string | null; language: Language },
): { language: Language } {
  runSql(
    db.sqlite,
    sql`INSERT INTO client_languages (user_id, agent_external_id, language) VALUES (${request.user_id}, ${agentKey(request.agent_external_id)}, ${request.language})
        ON CONFLICT (user_id, agent_external_id) DO UPDATE SET language = excluded.language`,
  )
  return { language: request.language }
}

/** Clients — each (user_id, agent), SPEC §3.1 — whose id, name, phone, email or SIP id matches, for the search box. */
export function searchClients(db: ReadableDb, request: { query: string; limit?: number }): ClientMatch[] {
  const like = likePattern(request.query)
  return allRows<ClientMatch & { agent: string }>(
    db.sqlite,
    sql`SELECT s.user_id, coalesce(s.agent_external_id, '') AS agent, ${sql.raw(agentNameOf('s.agent_external_id'))} AS agent_name, c.name,
          c.phone_number, count(*) AS sips
        FROM sips s LEFT JOIN clients c ON c.user_id = s.user_id
        WHERE s.user_id LIKE ${like} ESCAPE '\\' OR c.name LIKE ${like} ESCAPE '\\' OR c.phone_number LIKE ${like} ESCAPE '\\'
          OR c.email LIKE ${like} ESCAPE '\\' OR s.sip_meta_id = ${request.query}
        GROUP BY s.user_id, 2 ORDER BY c.name IS NULL, c.name, s.user_id, 2 LIMIT ${request.limit ?? 10}`,
  ).map(({ agent, ...match }) => ({ ...match, agent_external_id: agentOfKey(agent) }))
}
