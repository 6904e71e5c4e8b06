/** What the detectors find (SPEC §3) and how follow-ups track it (§4). Field names are the spec's. */
import type { z } from 'zod'
import type * as answers from './answers'

export const OPPORTUNITY_TYPES = ['no_sip_increase', 'failed_sips', 'high_value_inactive', 'auto_cancel_risk', 'sip_ending'] as const
export type OpportunityType = (typeof OPPORTUNITY_TYPES)[number]

/** SPEC §8.1: a client's reasons in Today, most urgent first (§3.5's type order is for filters, charts and lists). */
export const URGENCY_ORDER: readonly OpportunityType[] = [
  'auto_cancel_risk',
  'sip_ending',
  'failed_sips',
  'high_value_inactive',
  'no_sip_increase',
]

/** SPEC §8.1: reasons most urgent first, those worth ₹0 a year last. */
export const byUrgency = <R extends { type: OpportunityType; annual_value: number }>(reasons: readonly R[]): R[] =>
  [...reasons].sort(
    (a, b) => Number(a.annual_value <= 0) - Number(b.annual_value <= 0) || URGENCY_ORDER.indexOf(a.type) - URGENCY_ORDER.indexOf(b.type),
  )

export const TYPE_LABELS: Record<OpportunityType, string> = {
  no_sip_increase: 'No SIP increase',
  failed_sips: 'Failed SIPs',
  high_value_inactive: 'High-value inactive',
  auto_cancel_risk: 'Auto-cancel risk',
  sip_ending: 'SIP ending',
}

/** A type's label inside a sentence: its first word in lower case unless it is an acronym ("failed SIPs", "SIP ending"). */
export const typeInSentence = (type: OpportunityType): string => {
  const label = TYPE_LABELS[type]
  return /^\p{Lu}\p{Ll}/u.test(label) ? label[0].toLowerCase() + label.slice(1) : label
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

/** An agent as the screens and the CLI name them: its name when a client export gave one (screens shorten long ones by CSS, the full text on hover). */
export const agentLabel = (o: { agent_name: string | null; agent_external_id: string | null }): string =>
  o.agent_name ?? o.agent_external_id ?? 'No agent'

export const FOLLOW_UP_STATES = ['open', 'contacted', 'converted', 'dismissed'] as const
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number]
/** Each follow-up state as the screens and messages name it. */
export const STATE_LABELS: Record<FollowUpState, string> = {
  open: 'Open',
  contacted: 'Contacted',
  converted: 'Converted',
  dismissed: 'Dismissed',
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

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = { daily_calls: 25, next_after_no_answer: 1, next_after_reached: 14 }

export type AsOfMode = Settings['as_of_mode']

export const EMPTY_ADVISOR: AdvisorProfile = { name: null, arn: null, euin: null, phone: null, email: null }

export const CALL_OUTCOMES = ['reached', 'no_answer', 'call_back', 'converted', 'not_interested'] as const
export type CallOutcome = (typeof CALL_OUTCOMES)[number]

export const OUTCOME_LABELS: Record<CallOutcome, string> = {
  reached: 'Reached',
  no_answer: 'No answer',
  call_back: 'Call back',
  converted: 'Converted',
  not_interested: 'Not interested',
}

export type Thresholds = z.infer<typeof answers.thresholds>
export type QueueSettings = z.infer<typeof answers.queueSettings>
export type AdvisorProfile = z.infer<typeof answers.advisor>
export type Settings = z.infer<typeof answers.settings>
export type Opportunity = z.infer<typeof answers.opportunity>
export type OpportunityPage = z.infer<typeof answers.opportunityPage>
export type Stats = z.infer<typeof answers.stats>
export type AgentSummary = z.infer<typeof answers.agentSummary>
export type AgentList = z.infer<typeof answers.agentList>
export type ClientSip = z.infer<typeof answers.clientSip>
export type FollowUpEvent = z.infer<typeof answers.followUpEvent>
export type Call = z.infer<typeof answers.call>
export type ClientMessage = z.infer<typeof answers.clientMessage>
export type PlanRow = z.infer<typeof answers.planRow>
export type TodayPlan = z.infer<typeof answers.todayPlan>
export type ScheduledPage = z.infer<typeof answers.scheduledPage>
export type CallResult = z.infer<typeof answers.callResult>
export type TodayRow = z.infer<typeof answers.todayRow>
export type TodayPage = z.infer<typeof answers.todayPage>
export type FollowUp = z.infer<typeof answers.followUp>
export type ClientDetail = z.infer<typeof answers.clientDetail>
export type ClientMatch = z.infer<typeof answers.clientMatch>
export type ClientAgent = z.infer<typeof answers.clientAgent>
export type Freshness = Pick<Stats, 'refreshing'>
