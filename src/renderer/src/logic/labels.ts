/** An agent as the screens name them; long ones are shortened at the end by CSS, with this full text on hover. */
export const agentLabel = (o: { agent_name: string | null; agent_external_id: string | null }): string =>
  o.agent_name ?? o.agent_external_id ?? 'No agent'
