/** SPEC §7: what an import changed, and undoing one. Types shared by main and renderer. */
import type { OpportunityType } from './detection'

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

/** The fields an event is about, before and after the import (SPEC §7.1). */
export type EventValues = Record<string, string | number | boolean | null>

export interface SipEvent {
  sip_meta_id: string
  user_id: string
  agent_external_id: string | null
  client_name: string | null
  event: SipEventKind
  before: EventValues | null
  after: EventValues | null
}

export interface OpportunityChange {
  type: OpportunityType
  user_id: string
  agent_external_id: string | null
  client_name: string | null
  change: 'new' | 'resolved'
  /** ₹ a year at stake: after the import for a new one, before it for a resolved one. */
  annual_value: number
  /** Its follow-up went from contacted to converted with this import. */
  credited: boolean
  /** It was converted and qualifies again: its follow-up was reopened. */
  reopened: boolean
  /** The events behind a credit, in words. */
  reason: string | null
}

export interface ChangeTotals {
  new: number
  resolved: number
  credited: number
  /** ₹ a year won: per credited client, its credited opportunities' SIPs once each, at their values before the import. */
  won_annual: number
}

/** One import's changes; the two lists are pages (`limit`/`offset`, filtered by event and agent) of `*_total` rows. */
export interface ChangeSet {
  import_id: number
  undone: boolean
  previous_as_of: string | null
  as_of: string | null
  started_at: string
  files: string[]
  totals: ChangeTotals
  /** Every SIP event of the import by kind (unfiltered). */
  event_counts: Record<SipEventKind, number>
  sip_events: SipEvent[]
  sip_event_total: number
  opportunities: OpportunityChange[]
  opportunity_total: number
}

export interface UndoResult {
  import_id: number
  files: string[]
  /** SIPs put back as they were before the import (those it inserted are gone). */
  sips_restored: number
  /** Follow-ups the import credited (or reopened) put back. */
  follow_ups_reversed: number
  as_of: string
}

/** One file of an import, as the history lists it. */
export interface ImportFileSummary {
  import_id: number
  file: string
  size_bytes: number
  read: number
  inserted: number
  updated: number
  unchanged: number
  rejected: number
  warnings: number
}

/** One import (the files opened together) in the history, newest first. */
export interface ImportSetSummary {
  import_id: number
  started_at: string
  finished_at: string
  undone: boolean
  /** The one an undo would take back now (the latest not undone, with its undo data kept). */
  undoable: boolean
  files: ImportFileSummary[]
  totals: ChangeTotals
  event_counts: Record<SipEventKind, number>
}
