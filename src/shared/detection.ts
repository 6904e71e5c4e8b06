/** What the detectors find (SPEC §3) and how follow-ups track it (§4). Field names are the spec's. */

export const OPPORTUNITY_TYPES = ['no_sip_increase', 'failed_sips', 'high_value_inactive'] as const
export type OpportunityType = (typeof OPPORTUNITY_TYPES)[number]

export const TYPE_LABELS: Record<OpportunityType, string> = {
  no_sip_increase: 'No SIP increase',
  failed_sips: 'Failed SIPs',
  high_value_inactive: 'High-value inactive',
}

export const FOLLOW_UP_STATES = ['open', 'contacted', 'converted', 'dismissed'] as const
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number]

export interface Thresholds {
  min_months_running: number
  suggested_step_up_pct: number
  min_failed_amount: number
  min_invested: number
  min_inactive_days: number
  reactivation_pct: number
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  min_months_running: 12,
  suggested_step_up_pct: 10,
  min_failed_amount: 5000,
  min_invested: 100000,
  min_inactive_days: 60,
  reactivation_pct: 50,
}

export type AsOfMode = 'data' | 'today' | 'date'

export interface Settings {
  thresholds: Thresholds
  as_of_mode: AsOfMode
  /** The date used when `as_of_mode` is `date`. */
  as_of_date: string | null
}

export interface Opportunity {
  type: OpportunityType
  user_id: string
  client_name: string | null
  agent_id: string | null
  agent_external_id: string | null
  agent_name: string | null
  sip_meta_ids: string[]
  current_sip_amount: number
  potential_value: number
  total_invested: number
  failed_amount: number
  last_activity_date: string | null
  days_since_activity: number | null
  score: number
  description: string
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
  count: number
  potential: number
}

export interface Stats extends Freshness {
  as_of: string
  total_opportunities: number
  clients_with_opportunities: number
  total_potential: number
  by_type: Record<OpportunityType, TypeTotals>
  overdue_follow_ups: number
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
  potential: number
}

export interface AgentList extends Freshness {
  as_of: string
  agents: AgentSummary[]
}

export interface ClientSip {
  sip_meta_id: string
  schemes: string[]
  amount: number
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
  history: { sip_meta_id: string; snapshot_at: string; amount: number; status: string | null }[]
}

export interface ClientMatch {
  user_id: string
  name: string | null
  phone_number: string | null
  sips: number
}
