/** What the detectors find (SPEC §3) and how follow-ups track it (§4). Field names are the spec's. */
import type { SipEventKind } from './changes'

export const OPPORTUNITY_TYPES = ['no_sip_increase', 'failed_sips', 'high_value_inactive', 'auto_cancel_risk', 'sip_ending'] as const
export type OpportunityType = (typeof OPPORTUNITY_TYPES)[number]

export const TYPE_LABELS: Record<OpportunityType, string> = {
  no_sip_increase: 'No SIP increase',
  failed_sips: 'Failed SIPs',
  high_value_inactive: 'High-value inactive',
  auto_cancel_risk: 'Auto-cancel risk',
  sip_ending: 'SIP ending',
}

/** Each type's colour everywhere (badges, cards, charts): a Mantine colour name and its hex shade for charts. */
export const TYPE_COLORS: Record<OpportunityType, { mantine: string; hex: string }> = {
  no_sip_increase: { mantine: 'indigo', hex: '#4c6ef5' },
  failed_sips: { mantine: 'red', hex: '#fa5252' },
  high_value_inactive: { mantine: 'yellow', hex: '#fab005' },
  auto_cancel_risk: { mantine: 'grape', hex: '#be4bdb' },
  sip_ending: { mantine: 'teal', hex: '#12b886' },
}

/** A client as the screens name them: the name from the client export, else a short id. */
export const clientLabel = (name: string | null | undefined, userId: string): string => name ?? `Client ${userId.slice(0, 8)}`

export const FOLLOW_UP_STATES = ['open', 'contacted', 'converted', 'dismissed'] as const
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number]

export interface Thresholds {
  min_months_running: number
  suggested_step_up_pct: number
  min_failed_amount: number
  min_invested: number
  min_inactive_days: number
  reactivation_pct: number
  auto_cancel_after: number
  ending_within_days: number
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  min_months_running: 12,
  suggested_step_up_pct: 10,
  min_failed_amount: 5000,
  min_invested: 100000,
  min_inactive_days: 60,
  reactivation_pct: 50,
  auto_cancel_after: 3,
  ending_within_days: 60,
}

export type AsOfMode = 'data' | 'today' | 'date'

/** The advisor's own details, printed on client-facing reports and used in messages. */
export interface AdvisorProfile {
  name: string | null
  arn: string | null
  euin: string | null
  phone: string | null
  email: string | null
}

export const EMPTY_ADVISOR: AdvisorProfile = { name: null, arn: null, euin: null, phone: null, email: null }

export interface Settings {
  thresholds: Thresholds
  as_of_mode: AsOfMode
  /** The date used when `as_of_mode` is `date`. */
  as_of_date: string | null
  advisor: AdvisorProfile
  /** Message template per type (SPEC §5); the defaults in `messages.ts` where none is saved. */
  templates: Record<OpportunityType, string>
  /** When the last backup was made (an instant), null when never. */
  last_backup_at: string | null
}

export interface Opportunity {
  type: OpportunityType
  user_id: string
  client_name: string | null
  agent_id: string | null
  agent_external_id: string | null
  agent_name: string | null
  /** The client's phone number, from the client export. */
  phone_number: string | null
  sip_meta_ids: string[]
  current_sip_amount: number
  potential_value: number
  /** SPEC §3.1: ₹ a year at stake. */
  annual_value: number
  total_invested: number
  failed_amount: number
  last_activity_date: string | null
  days_since_activity: number | null
  score: number
  description: string
  /** What to say in a meeting (the client report). */
  talking_points: string[]
  status: FollowUpState
  next_action_date: string | null
  // no_sip_increase
  monthly_increase?: number
  expected_increments?: number
  running_months?: number
  // failed_sips
  failure_rate?: number
  currently_failing?: boolean
  mandate_missing?: boolean
  // auto_cancel_risk
  missed_instalments?: number
  final_warning?: boolean
  ceased?: boolean
  next_debit_date?: string | null
  // sip_ending
  end_date?: string
  days_left?: number
}

/**
 * Every answer computed from the opportunities says whether they are being recalculated (after a
 * threshold or as-of change on the desktop or web host): the figures are then the previous ones.
 */
export interface Freshness {
  refreshing: boolean
}

export interface OpportunityPage extends Freshness {
  as_of: string
  total: number
  rows: Opportunity[]
}

export interface TypeTotals {
  /** Every qualifying opportunity, whatever its follow-up state. */
  count: number
  /** What the type's default list shows: active (open or contacted) and not snoozed. */
  listed: number
  /** Σ annual_value over every qualifying one: overlaps other types' sums (one SIP can be in several). */
  annual_value: number
  /** Σ potential_value (SPEC §3.2–3.4b); for failed SIPs a one-off sum over the SIPs' lives. */
  potential: number
}

export interface Stats extends Freshness {
  as_of: string
  /** The data's own date (the latest snapshot among live SIPs), whatever the as-of mode; null for an empty book. */
  data_date: string | null
  total_opportunities: number
  /** Opportunities the default list shows: active and not snoozed. */
  listed_opportunities: number
  clients_with_opportunities: number
  /** SPEC §3.1/§3.6: ₹ a year at stake, Σ of clients' at-stake over their due opportunities, each SIP once. */
  annual_at_stake: number
  /** Failed instalments over the failing SIPs' lives: one-off, never added to yearly figures. */
  failed_over_lives: number
  by_type: Record<OpportunityType, TypeTotals>
  overdue_follow_ups: number
  /** Clients in the Today queue, and calls logged today. */
  due_clients: number
  calls_today: number
  book: {
    live_sips: number
    clients: number
    agents: number
    monthly_sip_amount: number
    total_invested: number
    status_mix: { status: string; count: number }[]
  }
}

export interface AgentSummary {
  agent_external_id: string | null
  agent_id: string | null
  agent_name: string | null
  live_sips: number
  clients: number
  total_invested: number
  monthly_sip_amount: number
  opportunities: Record<OpportunityType, number>
  /** ₹ a year at stake over the agent's clients (each SIP once). */
  annual_at_stake: number
}

export interface AgentList extends Freshness {
  as_of: string
  agents: AgentSummary[]
}

export interface ClientSip {
  sip_meta_id: string
  schemes: string[]
  /** One debit. */
  amount: number
  /** The days of the month it is debited on (SPEC §2.3); empty when the export gave none. */
  sip_days: number[]
  /** amount × max(1, number of debit days). */
  monthly_amount: number
  end_date: string | null
  status: string | null
  is_active: boolean | null
  deleted: boolean | null
  start_date: string | null
  latest_success_order_date: string | null
  success_amount: number | null
  failed_amount: number | null
  success_count: number | null
  increment_percentage: number | null
  increment_period: string | null
  has_current_mandate: boolean | null
  agent_external_id: string | null
}

export interface FollowUpEvent {
  at: string
  kind: 'state' | 'next_action_date' | 'note'
  from_value: string | null
  to_value: string | null
  /** The call that made this change, when one did. */
  call_id: number | null
  /** The import (SPEC §7) that made this change, when one did: a credit, a reopening, or their undo. */
  import_id: number | null
  /** Why the import made it, in words. */
  detail: string | null
}

export const CALL_OUTCOMES = ['reached', 'no_answer', 'call_back', 'converted', 'not_interested'] as const
export type CallOutcome = (typeof CALL_OUTCOMES)[number]

export const OUTCOME_LABELS: Record<CallOutcome, string> = {
  reached: 'Reached',
  no_answer: 'No answer',
  call_back: 'Call back',
  converted: 'Converted',
  not_interested: 'Not interested',
}

/** SPEC §4: one logged call to a client. */
export interface Call {
  id: number
  user_id: string
  agent_external_id: string | null
  at: string
  outcome: CallOutcome
  note: string | null
  next_action_date: string | null
}

/** What a logged call did: the call, and the opportunities whose follow-up it changed. */
export interface CallResult {
  call: Call
  applied: { type: OpportunityType; state: FollowUpState; next_action_date: string | null }[]
}

/** SPEC §5: one reason on a Today row, a due opportunity. */
export interface TodayReason {
  type: OpportunityType
  annual_value: number
  description: string
}

/** SPEC §5/§6: one client in the Today queue. */
export interface TodayRow {
  user_id: string
  agent_external_id: string | null
  client_name: string | null
  phone: string | null
  email: string | null
  /** 1 overdue, 2 due today, 3 auto-cancel final warning, 4 everyone else. */
  group: 1 | 2 | 3 | 4
  /** ₹ a year over the client's due opportunities, each SIP once: not the sum of the reasons. */
  at_stake: number
  next_action_date: string | null
  overdue: boolean
  final_warning_date: string | null
  missed_instalments: number | null
  reasons: TodayReason[]
  /** The due opportunities' full records, for messages (amounts, schemes, dates). */
  opportunities: Opportunity[]
  last_call: { at: string; outcome: CallOutcome; note: string | null; next_action_date: string | null } | null
  as_of: string
}

export interface TodayPage extends Freshness {
  as_of: string
  total: number
  /** Clients per group (1 overdue, 2 due today, 3 final warning, 4 everyone else); they add up to `total`. */
  groups: Record<TodayRow['group'], number>
  rows: TodayRow[]
  calls_today: number
}

export interface FollowUp {
  type: OpportunityType
  user_id: string
  agent_external_id: string | null
  state: FollowUpState
  next_action_date: string | null
  note: string | null
  updated_at: string | null
  events: FollowUpEvent[]
}

export interface ClientDetail extends Freshness {
  as_of: string
  user_id: string
  name: string | null
  email: string | null
  phone_number: string | null
  crn: string | null
  agent_name: string | null
  agent_external_id: string | null
  total_current_value: number | null
  sips: ClientSip[]
  opportunities: Opportunity[]
  follow_ups: FollowUp[]
  /** Each SIP snapshot, with the events (SPEC §7.1) the import that stored it recorded. */
  history: { sip_meta_id: string; snapshot_at: string; amount: number; status: string | null; events: SipEventKind[] }[]
  /** The call log, newest first. */
  calls: Call[]
}

export interface ClientMatch {
  user_id: string
  name: string | null
  phone_number: string | null
  sips: number
}
