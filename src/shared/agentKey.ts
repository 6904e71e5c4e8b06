/**
 * A client with no agent: `null` in the contract, `''` wherever the agent is part of a key — the
 * book's follow-ups, calls and opportunities (SQL matches '' but never null) and the UI's select
 * values and row keys. These two are the only crossings between the two.
 */
export const agentKey = (agent: string | null | undefined): string => agent ?? ''

/** The contract's agent for a key: '' is no agent. */
export const agentOfKey = (key: string | null): string | null => key || null
