/** SPEC §7: what an import changed, and undoing one. Types shared by main and renderer. */
import type { z } from 'zod'
import type * as answers from './answers'
import type { OpportunityType } from './detection'
import { agentKey } from './agentKey'
import { formatCount } from './format'

export const SIP_EVENTS = [
  'new_sip',
  'stepped_up',
  'reduced',
  'stopped',
  'started_failing',
  'recovered',
  'paused',
  'resumed',
  'more_failed',
] as const
export type SipEventKind = (typeof SIP_EVENTS)[number]

/** SPEC §8.2: what reopens a contacted follow-up: SIP events on its own SIPs, or its auto-cancel count. */
export const REOPEN_EVENTS = ['started_failing', 'more_failed', 'stopped', 'paused', 'missed_grew', 'final_warning', 'ceased'] as const
export type ReopenEvent = (typeof REOPEN_EVENTS)[number]

/** What reopened a follow-up (SPEC §8.2): an event on one of its SIPs, or its auto-cancel count. */
type ReopenTrigger = { event: ReopenEvent; sip_meta_id: string | null; before: EventValues | null; after: EventValues | null }

const REOPEN_WORDS: Record<ReopenEvent, (t: ReopenTrigger) => string> = {
  started_failing: (t) => `SIP ${t.sip_meta_id} started failing`,
  more_failed: (t) => `SIP ${t.sip_meta_id} failed again`,
  stopped: (t) => `SIP ${t.sip_meta_id} stopped`,
  paused: (t) => `SIP ${t.sip_meta_id} was paused`,
  missed_grew: (t) => `missed instalments went from ${t.before?.missed_instalments ?? 0} to ${t.after?.missed_instalments}`,
  final_warning: () => 'one more failure and the AMC cancels a SIP',
  ceased: (t) => `${t.after?.missed_instalments} instalments missed: the SIP is probably cancelled by the AMC`,
}

/** A reopening's trigger in words, for the activity log, What changed and the CLI. */
export const reopenWords = (trigger: ReopenTrigger): string => REOPEN_WORDS[trigger.event](trigger)

export const EVENT_LABELS: Record<SipEventKind, string> = {
  new_sip: 'New SIP',
  stepped_up: 'Stepped up',
  reduced: 'Reduced',
  stopped: 'Stopped',
  started_failing: 'Started failing',
  recovered: 'Recovered',
  paused: 'Paused',
  resumed: 'Resumed',
  more_failed: 'More failed',
}

/** What the What changed screen can narrow its opportunity changes to: what the calls did first. */
export const OPPORTUNITY_CHANGE_FILTERS = ['credited', 'reopened', 'new', 'resolved'] as const
export type OpportunityChangeFilter = (typeof OPPORTUNITY_CHANGE_FILTERS)[number]

/** How many SIPs had an event, in words: `12 new SIPs`, `1 new SIP`, `29 stepped up`. */
export function eventCount(event: SipEventKind, count: number): string {
  const words = event === 'new_sip' ? `new SIP${count === 1 ? '' : 's'}` : EVENT_LABELS[event].toLowerCase()
  return `${formatCount(count)} ${words}`
}

/** SPEC §7.1: "3 clients you called got worse" — the reopened follow-ups counted by client. */
export function reopenedHeadline(reopened: readonly { user_id: string; agent_external_id: string | null }[]): string {
  const clients = new Set(reopened.map((r) => `${r.user_id}\u0000${agentKey(r.agent_external_id)}`)).size
  return `${formatCount(clients)} client${clients === 1 ? '' : 's'} you called got worse`
}

/** A client whose reopened follow-ups an import brought back: each type once, and what happened, each thing said once. */
export interface WorseClient {
  user_id: string
  agent_external_id: string | null
  agent_name: string | null
  client_name: string | null
  types: OpportunityType[]
  what: string
}

/** Who a reopened follow-up belongs to. */
const clientOf = ({ user_id, agent_external_id, agent_name, client_name }: ReopenedFollowUp) => ({
  user_id,
  agent_external_id,
  agent_name,
  client_name,
})

/**
 * The reopened follow-ups of an import by client, in their order: "3 instalments missed: the SIP is
 * probably cancelled" already says how many were missed, so the count's growth is not said again.
 */
export function worseByClient(reopened: readonly ReopenedFollowUp[]): WorseClient[] {
  const clients = new Map<string, { client: WorseClient; triggers: ReopenTrigger[] }>()
  for (const r of reopened) {
    const key = `${r.user_id}\u0000${agentKey(r.agent_external_id)}`
    const entry = clients.get(key) ?? {
      client: { ...clientOf(r), types: [], what: '' },
      triggers: [],
    }
    if (!entry.client.types.includes(r.type)) entry.client.types.push(r.type)
    entry.triggers.push(...r.events)
    clients.set(key, entry)
  }
  return [...clients.values()].map(({ client, triggers }) => {
    const ceased = triggers.some((t) => t.event === 'ceased')
    const words = triggers.filter((t) => !(ceased && t.event === 'missed_grew')).map(reopenWords)
    return { ...client, what: [...new Set(words)].join('; ') }
  })
}

/** What an undo did, in words: each figure that is not zero, `200 new SIPs removed; 1 credited follow-up back to contacted`. */
export function undoSummary(result: UndoResult): string {
  const plural = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`
  const parts = [
    result.sips_removed > 0 ? `${plural(result.sips_removed, 'new SIP', 'new SIPs')} removed` : '',
    result.sips_restored > 0 ? plural(result.sips_restored, 'SIP back as it was', 'SIPs back as they were') : '',
    result.credits_reversed > 0 ? `${plural(result.credits_reversed, 'credited follow-up', 'credited follow-ups')} back to contacted` : '',
    result.reopenings_reversed > 0
      ? plural(result.reopenings_reversed, 'reopened follow-up back to its state', 'reopened follow-ups back to their state') +
        ' before the import'
      : '',
  ].filter(Boolean)
  return parts.length > 0 ? parts.join('; ') : 'no SIP or follow-up changed (it brought only client details)'
}

export type SipEvent = z.infer<typeof answers.sipEvent>
export type OpportunityChange = z.infer<typeof answers.opportunityChange>
export type ChangeTotals = z.infer<typeof answers.changeTotals>
export type ChangeSet = z.infer<typeof answers.changeSet>
export type UndoResult = z.infer<typeof answers.undoResult>
type ReopenedFollowUp = z.infer<typeof answers.reopenedFollowUp>
export type ImportSetSummary = z.infer<typeof answers.importSetSummary>
export type EventValues = z.infer<typeof answers.eventValues>
