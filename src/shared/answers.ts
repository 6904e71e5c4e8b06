import { z } from 'zod'
import { CALL_OUTCOMES, FOLLOW_UP_STATES, OPPORTUNITY_TYPES } from './detection'
import { REOPEN_EVENTS, SIP_EVENTS } from './changes'
import { LANGUAGES } from './messages'
import { formatCount } from './format'
import { QUEUE_GROUP, QUEUE_GROUPS } from './queueGroups'

/**
 * What every channel answers, as zod schemas: the one source of the answer types (`types.ts`,
 * `detection.ts` and `changes.ts` infer theirs from these), checked against each answer in
 * `dispatch` under tests and in development. Objects are strict: a field the contract does not
 * name is a wrong answer too.
 */

const obj = z.strictObject
const int = z.number().int()
const count = int.min(0)
const text = z.string()
const nullableText = text.nullable()
const money = z.number()
const opportunityType = z.enum(OPPORTUNITY_TYPES)
const language = z.enum(LANGUAGES)
const followUpState = z.enum(FOLLOW_UP_STATES)
const callOutcome = z.enum(CALL_OUTCOMES)
const sipEventKind = z.enum(SIP_EVENTS)
/** A value for each opportunity type. */
const perType = <T extends z.ZodType>(value: T) => z.record(opportunityType, value)
/** A count for each SIP event kind. */
const perEvent = z.record(sipEventKind, count)

// —— imports (types.ts) ——

export const importIssue = obj({
  level: z.enum(['rejected', 'warning']),
  /** 1-based position of the record in the file. */
  position: int,
  sip_meta_id: nullableText,
  field: nullableText,
  reason: text,
})

/** What happened to a file's records. */
const recordCounts = obj({ read: count, inserted: count, updated: count, unchanged: count, rejected: count, warnings: count })

export const importCounts = recordCounts.extend({ sip_records: count, client_records: count })

export const importReport = importCounts.extend({
  import_id: int,
  /** The import (SPEC §7: the files opened together) the file was part of. */
  set_id: int,
  file: text,
  size_bytes: count,
  sha256: text,
  started_at: text,
  finished_at: text,
  /** The first issues, in file order (at most `MAX_STORED_ISSUES`). */
  issues: z.array(importIssue),
  /** Total issues found, which can exceed `issues.length`. */
  issue_count: count,
  /** When the saved column mapping the file was read by had been saved (SPEC §2.5); null when none applied. */
  mapping_saved_at: text.nullable().optional(),
})

export const importProgress = obj({
  file: text,
  file_index: count,
  file_count: count,
  records: count,
  bytes_read: count,
  total_bytes: count,
  /** Every file is in; the detectors are running over the new book. */
  analysing: z.boolean().optional(),
})

/** A cell of a preview row as the file holds it (long text cut). */
const previewCell = z.union([text, z.number(), z.boolean()]).nullable()

export const RECORD_KINDS = ['sip', 'client'] as const

/** One field the column mapping dialog offers. */
export const mappingField = obj({
  field: text,
  required: z.boolean(),
  /** The column that names the field by itself; null when none does. */
  by_name: nullableText,
  /** The column whose name comes closest, when none names it; null when none is close. */
  guess: nullableText,
})

/** SPEC §2.5: what the column mapping dialog asks about a file whose columns do not say what to read. */
export const mappingQuestion = obj({
  file: text,
  /** 'CSV', 'XLSX', 'JSON' or 'API answer'. */
  format: text,
  columns: z.array(text),
  /** The required fields no column names. */
  missing: z.array(text),
  /** The first records (at most 5) as rows in column order. */
  preview: z.array(z.array(previewCell)),
  /** The kind of record the columns look most like. */
  kind: z.enum(RECORD_KINDS),
  /** The fields of each kind the dialog asks about: every required one, and the optional ones no column names. */
  fields: obj({ sip: z.array(mappingField), client: z.array(mappingField) }),
  /** For each kind, the columns no field reads by name: those a field can be mapped to. */
  free_columns: obj({ sip: z.array(text), client: z.array(text) }),
})

/** Field → column of a file. */
export const columnMapping = z.record(text, text)

/** SPEC §2.5: a column mapping saved for one set of column names. */
export const savedMapping = obj({ columns_key: text, columns: z.array(text), mapping: columnMapping, saved_at: text })

export const importJob = obj({
  job_id: text,
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  progress: importProgress.nullable(),
  /** Reports of the files imported so far, in order. */
  reports: z.array(importReport),
  /** Why the job stopped, when it failed: names the file and where it broke. */
  error: nullableText,
  /** The job stopped because a file's columns do not say what to read: the app asks for a mapping. */
  needs_mapping: mappingQuestion.nullable(),
})

/** A finished backup: saved at `path` (desktop) or offered at the `download` address (web host); both null when cancelled. */
export const backupResult = obj({ path: nullableText, download: nullableText, bytes: count })

/**
 * A restore: `kept_as` is where the replaced database was copied; `restored` is false when the user
 * cancelled. `outside_limits`: what was brought within the value domain (SPEC §8.8) — values
 * cleared, texts cut, rows left out.
 */
export const restoreResult = obj({
  restored: z.boolean(),
  kept_as: nullableText,
  /** SPEC §5: the backup restored, as the user named it, and when it was made (an instant); null when not restored. */
  restored_from: nullableText,
  backup_made_at: nullableText,
  sip_count: count,
  client_count: count,
  outside_limits: obj({ cleared: count, cut: count, dropped: count }),
})

/** What the host the renderer talks to can do beyond the contract's common ground. */
export const capabilities = obj({
  /** Native open dialogs (exports, backups); else the page's own file input. */
  open_dialogs: z.boolean(),
  /** Save the current page as a PDF at a path the user picks; else the print dialog. */
  save_pdf: z.boolean(),
  /** Hand a mailto: or WhatsApp link to the system; else a plain link. */
  open_external: z.boolean(),
  /** Export files the app was launched with. */
  launch_files: z.boolean(),
})

export const appInfo = obj({
  version: text,
  host: z.enum(['electron', 'web', 'cli']),
  capabilities,
  db_path: text,
  sip_count: count,
  client_count: count,
  import_count: count,
  /** The book is a read-only file: it can be browsed, not changed. */
  read_only: z.boolean(),
})

// —— what the detectors find and follow-ups (detection.ts) ——

/** SPEC §6: the one rule for a whole-number setting and the words of its refusal, in the CLI, the API and the app alike. */
const whole = (min: number, max: number) => {
  const range = `must be a whole number from ${formatCount(min)} to ${formatCount(max)}`
  return z.number().int(range).min(min, range).max(max, range)
}

/** SPEC §3.1: thresholds are whole numbers within these ranges; anything else is refused, never stored. */
export const thresholds = obj({
  min_months_running: whole(0, 600),
  suggested_step_up_pct: whole(1, 1000),
  min_failed_amount: whole(0, 1e12),
  min_invested: whole(0, 1e12),
  min_inactive_days: whole(0, 36500),
  reactivation_pct: whole(1, 1000),
  auto_cancel_after: whole(2, 12),
  ending_within_days: whole(1, 365),
})

/** SPEC §4, §5 (rev 3): the day's plan size, and the default next dates after a call (days from today). */
export const queueSettings = obj({
  daily_calls: whole(1, 500),
  next_after_no_answer: whole(1, 30),
  next_after_reached: whole(1, 90),
})

/** The advisor's own details, printed on client-facing reports and used in messages. */
const optionalText = (max: number) => z.string().trim().max(max).nullable()

/** The advisor's own details, printed on client-facing reports and used in messages; a request may set some of them. */
export const advisor = obj({
  name: optionalText(100),
  arn: optionalText(40),
  euin: optionalText(40),
  phone: optionalText(40),
  email: optionalText(200),
})

export const settings = obj({
  thresholds,
  queue: queueSettings,
  as_of_mode: z.enum(['data', 'today', 'date']),
  /** The date used when `as_of_mode` is `date`. */
  as_of_date: nullableText,
  advisor,
  /** Message template per language and type (SPEC §5); the defaults in `messages.ts` where none is saved. */
  templates: z.record(language, perType(text)),
  /** When the last backup was made (an instant), null when never. */
  last_backup_at: nullableText,
  /** SPEC §5: the backup the book was last restored from (as the user named it) and when it was made; null when never restored. */
  restored_from: obj({ file: text, backup_made_at: text }).nullable(),
})

export const opportunity = obj({
  type: opportunityType,
  user_id: text,
  client_name: nullableText,
  agent_id: nullableText,
  agent_external_id: nullableText,
  agent_name: nullableText,
  /** The client's phone number, from the client export. */
  phone_number: nullableText,
  sip_meta_ids: z.array(text),
  current_sip_amount: money,
  potential_value: money,
  /** SPEC §3.1: ₹ a year at stake. */
  annual_value: money,
  total_invested: money,
  failed_amount: money,
  last_activity_date: nullableText,
  days_since_activity: z.number().nullable(),
  score: z.number(),
  description: text,
  /** What to say in a meeting (the client report). */
  talking_points: z.array(text),
  status: followUpState,
  next_action_date: nullableText,
  // no_sip_increase
  monthly_increase: money.optional(),
  expected_increments: z.number().optional(),
  running_months: z.number().optional(),
  // failed_sips
  failure_rate: z.number().optional(),
  currently_failing: z.boolean().optional(),
  mandate_missing: z.boolean().optional(),
  // auto_cancel_risk
  missed_instalments: z.number().optional(),
  final_warning: z.boolean().optional(),
  ceased: z.boolean().optional(),
  next_debit_date: nullableText.optional(),
  /** Each SIP's instalments missed in a row (its SIPs can differ: one past the limit, one short of it). */
  sips_missed: z.record(text, z.number()).optional(),
  // sip_ending
  end_date: text.optional(),
  days_left: z.number().optional(),
})

/**
 * Every answer computed from the opportunities says whether they are being recalculated (after a
 * threshold or as-of change on the desktop or web host): the figures are then the previous ones.
 */
const freshness = { refreshing: z.boolean() }

/** Where a page of a list ended: the values of its sort's keys in the page's last row. */
export const opportunityCursor = z
  .array(z.union([text, z.number(), z.null()]))
  .min(1)
  .max(8)

export const opportunityPage = obj({
  ...freshness,
  as_of: text,
  total: count,
  rows: z.array(opportunity),
  /** The cursor to ask for the rows after this page with (`after`); null when this page is the last. */
  next: opportunityCursor.nullable(),
})

export const typeTotals = obj({
  /** Every qualifying opportunity, whatever its follow-up state. */
  count,
  /** What the type's default list shows: active (open or contacted) and not snoozed. */
  listed: count,
  /** Σ annual_value over every qualifying one: overlaps other types' sums (one SIP can be in several). */
  annual_value: money,
  /** Σ potential_value (SPEC §3.2–3.4b); for failed SIPs a one-off sum over the SIPs' lives. */
  potential: money,
})

export const stats = obj({
  ...freshness,
  /** Why the figures are the last computed and not being recalculated (the disk is too full to), or null. */
  stale_because: nullableText,
  as_of: text,
  /** The data's own date (the latest snapshot among live SIPs), whatever the as-of mode; null for an empty book. */
  data_date: nullableText,
  total_opportunities: count,
  /** Opportunities the default list shows: active and not snoozed. */
  listed_opportunities: count,
  clients_with_opportunities: count,
  /** SPEC §3.1/§3.6: ₹ a year at stake, Σ of clients' at-stake over their due opportunities, each SIP once. */
  annual_at_stake: money,
  /** Failed instalments over the failing SIPs' lives: one-off, never added to yearly figures. */
  failed_over_lives: money,
  by_type: perType(typeTotals),
  overdue_follow_ups: count,
  /** Clients in the Today queue, and calls logged today. */
  due_clients: count,
  calls_today: count,
  book: obj({
    live_sips: count,
    clients: count,
    agents: count,
    monthly_sip_amount: money,
    total_invested: money,
    status_mix: z.array(obj({ status: text, count })),
  }),
})

export const agentSummary = obj({
  agent_external_id: nullableText,
  agent_id: nullableText,
  agent_name: nullableText,
  live_sips: count,
  clients: count,
  total_invested: money,
  monthly_sip_amount: money,
  opportunities: perType(count),
  /** ₹ a year at stake over the agent's clients (each SIP once). */
  annual_at_stake: money,
})

export const agentList = obj({ ...freshness, as_of: text, agents: z.array(agentSummary) })

export const clientSip = obj({
  sip_meta_id: text,
  schemes: z.array(text),
  /** One debit. */
  amount: money,
  /** The days of the month it is debited on (SPEC §2.3); empty when the export gave none. */
  sip_days: z.array(int),
  /** amount × max(1, number of debit days). */
  monthly_amount: money,
  end_date: nullableText,
  status: nullableText,
  is_active: z.boolean().nullable(),
  deleted: z.boolean().nullable(),
  start_date: nullableText,
  latest_success_order_date: nullableText,
  success_amount: money.nullable(),
  failed_amount: money.nullable(),
  success_count: z.number().nullable(),
  increment_percentage: z.number().nullable(),
  increment_period: nullableText,
  has_current_mandate: z.boolean().nullable(),
  agent_external_id: nullableText,
  /** The goal the SIP saves for: what a client reads when the SIP carries no scheme name. */
  goal_name: nullableText,
  paused_from: nullableText,
  paused_till: nullableText,
})

export const followUpEvent = obj({
  at: text,
  kind: z.enum(['state', 'next_action_date', 'note']),
  from_value: nullableText,
  to_value: nullableText,
  /** The call that made this change, when one did. */
  call_id: int.nullable(),
  /** The import (SPEC §7) that made this change, when one did: a credit, a reopening, or their undo. */
  import_id: int.nullable(),
  /** Why the import made it, in words. */
  detail: nullableText,
})

/** SPEC §4: one logged call to a client. */
export const call = obj({
  id: int,
  user_id: text,
  agent_external_id: nullableText,
  at: text,
  outcome: callOutcome,
  note: nullableText,
  next_action_date: nullableText,
  /** SPEC §4: when the call was voided; a void call stays in the log and counts nowhere. */
  voided_at: nullableText,
})

export const MESSAGE_CHANNELS = ['copy', 'email', 'whatsapp'] as const

/** SPEC §4 "Messages in the log": a message copied or opened for a client, as sent. */
export const clientMessage = obj({
  id: int,
  user_id: text,
  agent_external_id: nullableText,
  at: text,
  channel: z.enum(MESSAGE_CHANNELS),
  type: opportunityType,
  text: z.string(),
})

/** What a logged call did: the call, and the opportunities whose follow-up it changed. */
export const callResult = obj({
  call,
  applied: z.array(obj({ type: opportunityType, state: followUpState, next_action_date: nullableText })),
})

/** SPEC §4 "Default next dates": per outcome, the date a call gets when none is given (null: none). */
export const nextDates = z.record(callOutcome, nullableText)

/**
 * SPEC §5: one reason on a Today row, a due opportunity: all the screen, the Log call dialog and the
 * message dialog (which asks main for the text by type) need of it.
 */
export const todayReason = obj({ type: opportunityType, annual_value: money, description: text })

/** SPEC §5/§6: one client in the Today queue. */
export const todayRow = obj({
  user_id: text,
  agent_external_id: nullableText,
  client_name: nullableText,
  phone: nullableText,
  email: nullableText,
  /** Its queue group (`QUEUE_GROUP`): overdue, due today, final warning, everyone else. */
  group: z.literal(QUEUE_GROUPS),
  /** ₹ a year over the client's due opportunities, each SIP once: not the sum of the reasons. */
  at_stake: money,
  next_action_date: nullableText,
  final_warning_date: nullableText,
  missed_instalments: z.number().nullable(),
  /** The due opportunities (for a client not due now, the active ones), most urgent first (§8.1). */
  reasons: z.array(todayReason),
  last_call: obj({ at: text, outcome: callOutcome, note: nullableText, next_action_date: nullableText }).nullable(),
  /** SPEC §8.11: the latest non-void call or message. */
  last_contact: obj({
    at: text,
    kind: z.enum(['call', 'message']),
    outcome: callOutcome.nullable(),
    channel: z.enum(MESSAGE_CHANNELS).nullable(),
    note: nullableText,
  }).nullable(),
})

/** A client row outside the queue's order (the day's plan, Scheduled): `group` is null when it is not due now. */
const clientRow = todayRow.extend({ group: todayRow.shape.group.nullable() })

/** SPEC §5 "The day's plan": a planned client, done or not, resolved in place. */
export const planRow = clientRow.extend({
  done: z.boolean(),
  /** The outcome of its latest non-void call today, when done. */
  outcome: callOutcome.nullable(),
  /** No opportunity of the client qualifies any more (an import resolved it): it leaves the total. */
  resolved: z.boolean(),
  added: z.enum(['planned', 'joined', 'refill']),
})

export const todayPlan = obj({
  ...freshness,
  as_of: text,
  /** The local calendar day the plan is for. */
  day: text,
  daily_calls: count,
  /** Planned clients not resolved, and how many of them are done: "9 of 25 done". */
  total: count,
  done: count,
  rows: z.array(planRow),
  /** Queue clients not in the plan: "Later: N more clients". */
  later: count,
  calls_today: count,
})

/** SPEC §5 "Scheduled": clients with a next action date in the next 30 days, by date. */
export const scheduledPage = obj({
  as_of: text,
  total: count,
  /** Every date with a call scheduled, in order, and its number of clients; they add up to `total`. */
  dates: z.array(obj({ date: text, clients: count })),
  rows: z.array(clientRow),
})

export const todayPage = obj({
  ...freshness,
  as_of: text,
  total: count,
  /** Clients per group; they add up to `total`. */
  groups: obj({
    [QUEUE_GROUP.overdue]: count,
    [QUEUE_GROUP.due_today]: count,
    [QUEUE_GROUP.final_warning]: count,
    [QUEUE_GROUP.everyone_else]: count,
  }),
  rows: z.array(todayRow),
  calls_today: count,
})

export const followUp = obj({
  type: opportunityType,
  user_id: text,
  agent_external_id: nullableText,
  state: followUpState,
  next_action_date: nullableText,
  note: nullableText,
  updated_at: nullableText,
  events: z.array(followUpEvent),
})

/** One agent a user_id has SIPs under: with it, one client (SPEC §3.1). */
export const clientAgent = obj({ agent_external_id: nullableText, agent_name: nullableText, sips: count })

export const clientDetail = obj({
  ...freshness,
  as_of: text,
  user_id: text,
  name: nullableText,
  email: nullableText,
  phone_number: nullableText,
  crn: nullableText,
  agent_name: nullableText,
  agent_external_id: nullableText,
  total_current_value: money.nullable(),
  /** The language the client's messages are written in (English unless set on the client page). */
  language,
  sips: z.array(clientSip),
  opportunities: z.array(opportunity),
  follow_ups: z.array(followUp),
  /** Each SIP snapshot, with the events (SPEC §7.1) the import that stored it recorded. */
  history: z.array(obj({ sip_meta_id: text, snapshot_at: text, amount: money, status: nullableText, events: z.array(sipEventKind) })),
  /** The call log, newest first. */
  calls: z.array(call),
  /** The call Undo voids now: the latest not void, while it still can be (SPEC §8.11); null when none can. */
  void_call_id: int.nullable(),
  /** Messages copied or opened for the client, newest first. */
  messages: z.array(clientMessage),
  /** The other agents this user_id has SIPs under: each is another client (SPEC §3.1). */
  other_agents: z.array(clientAgent),
})

/** SPEC §5: the message offered about one of the client's reasons, or why there is none. */
export const offeredMessage = obj({ type: opportunityType, text: nullableText, reason: nullableText })

/** SPEC §5: the messages a client can be sent, in the order the dialog offers them (most urgent first). */
export const clientMessages = obj({
  user_id: text,
  agent_external_id: nullableText,
  /** The client's own language (set on the client page), and the one these messages are in. */
  client_language: language,
  language,
  /** No advisor name is set: messages wait until it is (they never say "your advisor"). */
  advisor_missing: z.boolean(),
  /** Whole days from the data's own date to today; null for an empty book. */
  data_age_days: z.number().int().nullable(),
  messages: z.array(offeredMessage),
})

/** SPEC §5: a template filled for a real client of the book, as Settings previews it. */
export const messagePreview = obj({ client: nullableText, text: nullableText, reason: nullableText })

export const clientMatch = obj({
  user_id: text,
  agent_external_id: nullableText,
  agent_name: nullableText,
  name: nullableText,
  phone_number: nullableText,
  sips: count,
})

// —— across exports (changes.ts) ——

/** The fields an event is about, before and after the import (SPEC §7.1). */
export const eventValues = z.record(text, z.union([text, z.number(), z.boolean(), z.null()]))

export const sipEvent = obj({
  sip_meta_id: text,
  user_id: text,
  agent_external_id: nullableText,
  /** Known only from client exports. */
  agent_name: nullableText,
  client_name: nullableText,
  event: sipEventKind,
  before: eventValues.nullable(),
  after: eventValues.nullable(),
})

export const opportunityChange = obj({
  type: opportunityType,
  user_id: text,
  agent_external_id: nullableText,
  /** Known only from client exports. */
  agent_name: nullableText,
  client_name: nullableText,
  change: z.enum(['new', 'resolved']),
  /** ₹ a year at stake: after the import for a new one, before it for a resolved one. */
  annual_value: money,
  /** Its follow-up went from contacted to converted with this import. */
  credited: z.boolean(),
  /** It was converted and qualifies again: its follow-up was reopened. */
  reopened: z.boolean(),
  /** The events behind a credit, in words. */
  reason: nullableText,
})

export const reopenedFollowUp = obj({
  type: opportunityType,
  user_id: text,
  agent_external_id: nullableText,
  /** Known only from client exports. */
  agent_name: nullableText,
  client_name: nullableText,
  events: z.array(
    obj({
      event: z.enum(REOPEN_EVENTS),
      sip_meta_id: nullableText,
      before: eventValues.nullable(),
      after: eventValues.nullable(),
    }),
  ),
})

export const changeTotals = obj({
  new: count,
  resolved: count,
  credited: count,
  /** Follow-ups the import reopened because things got worse (SPEC §4, §8.2). */
  reopened: count,
  /** ₹ a year won: per credited client, its credited opportunities' SIPs once each, at their values before the import. */
  won_annual: money,
})

/** One import's changes; the two lists are pages (`limit`/`offset`, filtered by event and agent) of `*_total` rows. */
export const changeSet = obj({
  import_id: int,
  undone: z.boolean(),
  /** False for an import in which every record was unchanged: it has no changes (SPEC §8.6). */
  changed: z.boolean(),
  previous_as_of: nullableText,
  as_of: nullableText,
  started_at: text,
  files: z.array(text),
  totals: changeTotals,
  /** Every SIP event of the import by kind (unfiltered). */
  event_counts: perEvent,
  sip_events: z.array(sipEvent),
  sip_event_total: count,
  opportunities: z.array(opportunityChange),
  opportunity_total: count,
  /** SPEC §7.1, §8.2: the follow-ups the import reopened, with what reopened them. */
  reopened: z.array(reopenedFollowUp),
})

export const undoResult = obj({
  import_id: int,
  files: z.array(text),
  /** SIPs put back as they were before the import. */
  sips_restored: count,
  /** SIPs the import brought new, now gone. */
  sips_removed: count,
  /** Follow-ups the import credited (converted), back to contacted. */
  credits_reversed: count,
  /** Follow-ups the import reopened, back to their state before it. */
  reopenings_reversed: count,
  as_of: text,
})

/** One file of an import, as the history lists it. */
export const importFileSummary = recordCounts.extend({ import_id: int, file: text, size_bytes: count })

/** One import (the files opened together) in the history, newest first. */
export const importSetSummary = obj({
  import_id: int,
  started_at: text,
  finished_at: text,
  undone: z.boolean(),
  /** False for an import in which every record was unchanged: a history entry only (SPEC §8.6). */
  changed: z.boolean(),
  /** The one an undo would take back now (the latest not undone, with its undo data kept). */
  undoable: z.boolean(),
  files: z.array(importFileSummary),
  totals: changeTotals,
  event_counts: perEvent,
})

// —— results (results.ts, SPEC §5a) ——

/** Calls by outcome, every outcome present. */
const callsByOutcome = obj({ reached: count, no_answer: count, call_back: count, converted: count, not_interested: count })

export const resultsWeek = obj({
  /** The Monday of the week (Monday to Sunday, local dates). */
  week_start: text,
  calls: callsByOutcome,
  clients_called: count,
  messages: count,
  /** Follow-ups credited by the imports made that week, and the ₹ a year they won. */
  credited: count,
  won_annual: money,
})

/** The book as one import left it (stored with the import). */
export const resultsImport = obj({
  import_id: int,
  as_of: nullableText,
  started_at: text,
  live_sips: count,
  monthly_active: money,
  failing: count,
  /** Null when the import predates stored figures and they could not be worked out later. */
  final_warnings: count.nullable(),
  at_stake: money.nullable(),
  /** Worked out after the import (by an upgrade), not stored when it was made. */
  computed_later: z.boolean(),
})

export const resultsAgent = obj({
  agent_external_id: nullableText,
  agent_name: nullableText,
  calls: count,
  clients_called: count,
  credited: count,
  won_annual: money,
})

/** SPEC §8.12: the clients of the period's day plans, how many of them were called, and how many credited. */
export const resultsConversion = obj({ planned: count, called: count, credited: count })

export const results = obj({
  from: text,
  to: text,
  weeks: z.array(resultsWeek),
  imports: z.array(resultsImport),
  agents: z.array(resultsAgent),
  conversion: resultsConversion,
})
