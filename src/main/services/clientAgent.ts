import type { ReadableDb } from '../db/open'
import { allRows, sql } from '../db/sql'
import type { ClientAgent } from '../../shared/detection'
import { agentKey, agentOfKey, severalAgentsError } from '../../shared/agentKey'
import { AppError } from '../../shared/errors'
import { agentNameOf } from './opportunities'

/**
 * SPEC §3.1: the agents a user_id has SIPs under — each (user_id, agent) is a client of its own —
 * with their names and live SIPs, the agent with most SIPs first.
 */
export const clientAgents = (db: ReadableDb, userId: string): ClientAgent[] =>
  allRows<ClientAgent & { agent: string }>(
    db.sqlite,
    sql`SELECT s.agent, ${sql.raw(agentNameOf('s.agent'))} AS agent_name, s.sips FROM
          (SELECT coalesce(agent_external_id, '') AS agent, sum(coalesce(deleted, 0) = 0) AS sips FROM sips WHERE user_id = ${userId} GROUP BY 1) s
        ORDER BY s.sips DESC, s.agent`,
  ).map(({ agent, agent_name, sips }) => ({ agent_external_id: agentOfKey(agent), agent_name, sips }))

/**
 * The agent key ('' for none) of a client named by user_id (and maybe an agent), for a change to
 * it. SPEC §4 "Refusals": a client or agent with no live SIP in the book is `not_found`; a user_id
 * with live SIPs under several agents needs the agent.
 */
export function clientAgent(db: ReadableDb, userId: string, agent: string | null | undefined): string {
  const live = clientAgents(db, userId).filter((a) => a.sips > 0)
  if (live.length === 0) throw new AppError('not_found', `no client ${userId} with a live SIP in the book`)
  if (agent !== undefined && agent !== null) {
    if (!live.some((a) => agentKey(a.agent_external_id) === agent))
      throw new AppError('not_found', `client ${userId} has no live SIP under agent ${agent}`)
    return agent
  }
  if (live.length > 1) throw severalAgentsError(userId, live, 'name the agent')
  return agentKey(live[0].agent_external_id)
}
