/** An agent as the screens name them; long ones are shortened at the end by CSS, with this full text on hover. */
export const agentLabel = (o: { agent_name: string | null; agent_external_id: string | null }): string =>
  o.agent_name ?? o.agent_external_id ?? 'No agent'

/** A client's page: a user_id with its agent (SPEC §3.1), `?agent=` empty when its SIPs carry none. */
export const clientPath = (client: { user_id: string; agent_external_id: string | null }, page = ''): string =>
  `/clients/${encodeURIComponent(client.user_id)}${page}?agent=${encodeURIComponent(client.agent_external_id ?? '')}`

/** The agent a client's address names: '' for SIPs without one, undefined when it names only the user_id. */
export const addressAgent = (search: string): string | undefined => new URLSearchParams(search).get('agent') ?? undefined
