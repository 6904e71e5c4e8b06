import { AppError } from './errors'

/**
 * A client with no agent: `null` in the contract, `''` wherever the agent is part of a key — the
 * book's follow-ups, calls and opportunities (SQL matches '' but never null) and the UI's select
 * values and row keys. These two are the only crossings between the two.
 */
export const agentKey = (agent: string | null | undefined): string => agent ?? ''

/** The contract's agent for a key: '' is no agent. */
export const agentOfKey = (key: string | null): string | null => key || null

/** An agent in a refusal or a terminal line: its id, with its name when the book has one. */
export const agentWithName = (a: { agent_external_id: string | null; agent_name: string | null }): string =>
  `${a.agent_external_id ?? '(no agent)'}${a.agent_name ? ` (${a.agent_name})` : ''}`

/**
 * SPEC §3.1: a user_id with SIPs under several agents is several clients; a request naming only the
 * user_id is refused with the list. `how` says how to name one where the refusal is read.
 */
export const severalAgentsError = (
  userId: string,
  agents: readonly { agent_external_id: string | null; agent_name: string | null }[],
  how: string,
): AppError =>
  new AppError(
    'invalid_request',
    `client ${userId} has SIPs under ${agents.length} agents: ${agents.map(agentWithName).join(', ')}; ${how}`,
  )
