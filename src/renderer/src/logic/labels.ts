import { agentKey } from '@shared/agentKey'

/** A client's page: a user_id with its agent (SPEC §3.1), `?agent=` empty when its SIPs carry none. */
export const clientPath = (client: { user_id: string; agent_external_id: string | null }, page = ''): string =>
  `/clients/${encodeURIComponent(client.user_id)}${page}?agent=${encodeURIComponent(agentKey(client.agent_external_id))}`

/** The agent a client's address names: '' for SIPs without one, undefined when it names only the user_id. */
export const addressAgent = (search: string): string | undefined => new URLSearchParams(search).get('agent') ?? undefined

/**
 * A category label on at most two lines, broken between words ("High-value" / "inactive"); only a
 * word longer than a line is shortened at its end (the start tells agents apart). The tooltip keeps
 * the whole label.
 */
export function tickLines(label: string, width = 14): string[] {
  const lines: string[] = []
  for (const word of label.split(/\s+/).filter(Boolean)) {
    const last = lines.length - 1
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] = `${lines[last]} ${word}`
    else lines.push(word)
  }
  const kept = lines.slice(0, 2)
  if (lines.length > 2) kept[1] = `${kept[1]} ${lines.slice(2).join(' ')}`
  return kept.map((line) => (line.length > width + 6 ? `${line.slice(0, width + 5)}…` : line))
}
