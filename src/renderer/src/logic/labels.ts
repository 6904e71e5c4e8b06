import type { Opportunity } from '@shared/detection'

/** A client as the screens name them: the name, else a short id. */
export const clientLabel = (name: string | null, userId: string): string => name ?? `Client ${userId.slice(0, 8)}`

/**
 * The detector's sentence without a leading client label (the list shows the name beside it):
 * "Asha Rao has paid ₹1,000…" → "Has paid ₹1,000…". A sentence that starts otherwise is kept.
 */
export function whyLine(o: Pick<Opportunity, 'description' | 'client_name' | 'user_id'>): string {
  const label = clientLabel(o.client_name, o.user_id)
  if (!o.description.startsWith(`${label} `)) return o.description
  const rest = o.description.slice(label.length + 1)
  return rest.charAt(0).toUpperCase() + rest.slice(1)
}

/** Long agent names and ids are shortened at the end (the start tells them apart); the full text goes on hover. */
export const agentLabel = (o: { agent_name: string | null; agent_external_id: string | null }): string =>
  o.agent_name ?? o.agent_external_id ?? 'No agent'
