import type { Db } from '../db/open'
import { allRows, LIVE_SIP, sql } from '../db/sql'
import { AppError } from '../../shared/errors'

/**
 * The agent of a client named by user_id (and maybe an agent). SPEC §4 "Refusals": a client or agent
 * with no live SIP in the book is `not_found`; a user_id with live SIPs under several agents needs the agent.
 */
export function clientAgent(db: Db, userId: string, agent: string | null | undefined): string {
  const agents = allRows<{ agent: string }>(
    db.sqlite,
    sql`SELECT DISTINCT coalesce(s.agent_external_id, '') AS agent FROM sips s WHERE s.user_id = ${userId} AND ${sql.raw(LIVE_SIP)}`,
  ).map((a) => a.agent)
  if (agents.length === 0) throw new AppError('not_found', `no client ${userId} with a live SIP in the book`)
  if (agent !== undefined && agent !== null) {
    if (!agents.includes(agent)) throw new AppError('not_found', `client ${userId} has no live SIP under agent ${agent}`)
    return agent
  }
  if (agents.length > 1) {
    throw new AppError('invalid_request', `client ${userId} has SIPs under several agents (${agents.join(', ')}); name the agent`)
  }
  return agents[0]
}
