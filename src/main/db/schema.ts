import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex, type SQLiteTable } from 'drizzle-orm/sqlite-core'

/**
 * Dates are ISO text (`YYYY-MM-DD`, datetimes `YYYY-MM-DDTHH:MM:SS`), money is REAL, ids are
 * normalised text. `snapshot_at` is '' when a record carries no snapshot time: it then sorts
 * oldest, so any dated snapshot replaces it.
 */

/** Columns every upserted record table carries, used to make re-imports idempotent. */
const upsertBookkeeping = {
  snapshotAt: text('snapshot_at').notNull().default(''),
  /** Hash of all normalised values: an equal snapshot with the same hash changes nothing. */
  rowHash: text('row_hash').notNull(),
  /** The import that last wrote the row, and the hash the row had before that import. */
  importId: integer('import_id').notNull(),
  priorHash: text('prior_hash'),
}

/** A SIP's exported values (every column but its key and the bookkeeping), shared by `sips` and `undo_sips`. */
const sipValues = () => ({
  uid: text('uid'),
  userId: text('user_id').notNull(),
  goalId: text('goal_id'),
  agentId: text('agent_id'),
  agentExternalId: text('agent_external_id'),
  memberId: text('member_id'),
  insertedAt: text('inserted_at'),
  eventDate: text('event_date'),
  createdAt: text('created_at'),
  sipMetaDate: text('sip_meta_date'),
  sipMetaMonth: text('sip_meta_month'),
  /** JSON array of the days of the month the SIP is debited on, ascending (SPEC §2.3). */
  sipDays: text('sip_days'),
  numDays: real('num_days'),
  amount: real('amount').notNull(),
  /** JSON array of distinct scheme names, in export order. */
  schemes: text('schemes'),
  goalName: text('goal_name'),
  startDate: text('start_date'),
  endDate: text('end_date'),
  pausedFrom: text('paused_from'),
  pausedTill: text('paused_till'),
  pausedReason: text('paused_reason'),
  incrementPercentage: real('increment_percentage'),
  incrementAmount: real('increment_amount'),
  incrementPeriod: text('increment_period'),
  isActive: integer('is_active', { mode: 'boolean' }),
  sipSalesStatus: text('sip_sales_status'),
  hadMandateAtCreation: integer('had_mandate_at_creation', { mode: 'boolean' }),
  hasCurrentMandate: integer('has_current_mandate', { mode: 'boolean' }),
  mandateTrackingStatus: text('mandate_tracking_status'),
  mandateConfirmedDate: text('mandate_confirmed_date'),
  stepperEnabled: integer('stepper_enabled', { mode: 'boolean' }),
  firstOrderNavAllocatedAt: text('first_order_nav_allocated_at'),
  firstSuccessOrderDate: text('first_success_order_date'),
  latestSuccessOrderDate: text('latest_success_order_date'),
  firstSuccessOrderMonth: text('first_success_order_month'),
  latestSuccessOrderMonth: text('latest_success_order_month'),
  successAmount: real('success_amount'),
  pendingAmount: real('pending_amount'),
  failedAmount: real('failed_amount'),
  inProgressAmount: real('in_progress_amount'),
  pausedAmount: real('paused_amount'),
  successCount: real('success_count'),
  currentSipStatus: text('current_sip_status'),
  deleted: integer('deleted', { mode: 'boolean' }),
})

export const sips = sqliteTable(
  'sips',
  {
    sipMetaId: text('sip_meta_id').primaryKey(),
    ...sipValues(),
    /** SPEC §2.3, the one place it is computed: `amount` is one debit, debited on each day of `sip_days`. */
    monthlyAmount: real('monthly_amount').generatedAlwaysAs(sql`amount * max(1, coalesce(json_array_length(sip_days), 0))`, {
      mode: 'virtual',
    }),
    ...upsertBookkeeping,
  },
  (t) => [
    // Only indexes a query walks: detectors and totals scan the whole table, and every index
    // costs each imported row an insert.
    index('sips_user').on(t.userId, t.agentExternalId),
    index('sips_agent').on(t.agentExternalId),
    index('sips_inserted_at').on(t.insertedAt),
  ],
)

/** One row per SIP per snapshot time: how a SIP changed across exports. */
const historyValues = () => ({
  sipMetaId: text('sip_meta_id').notNull(),
  snapshotAt: text('snapshot_at').notNull(),
  amount: real('amount').notNull(),
  currentSipStatus: text('current_sip_status'),
  successAmount: real('success_amount'),
  failedAmount: real('failed_amount'),
  successCount: real('success_count'),
  isActive: integer('is_active', { mode: 'boolean' }),
  importId: integer('import_id').notNull(),
})

export const sipHistory = sqliteTable('sip_history', historyValues(), (t) => [primaryKey({ columns: [t.sipMetaId, t.snapshotAt] })])

const clientValues = () => ({
  name: text('name'),
  email: text('email'),
  phoneNumber: text('phone_number'),
  crn: text('crn'),
  totalCurrentValue: real('total_current_value'),
  totalInvestedValue: real('total_invested_value'),
  mfCurrentValue: real('mf_current_value'),
  agentExternalId: text('agent_external_id'),
  agentName: text('agent_name'),
  agentEmail: text('agent_email'),
  agentPhoneNumber: text('agent_phone_number'),
  memberId: text('member_id'),
  latestAsOnDate: text('latest_as_on_date'),
  firstActiveAt: text('first_active_at'),
})

export const clients = sqliteTable('clients', { userId: text('user_id').primaryKey(), ...clientValues(), ...upsertBookkeeping }, (t) => [
  // Serves an agent's name (`agentNameOf`) from the index alone.
  index('clients_agent').on(t.agentExternalId, t.agentName),
])

export const imports = sqliteTable(
  'imports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    fileName: text('file_name').notNull(),
    filePath: text('file_path'),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    recordsRead: integer('records_read').notNull().default(0),
    inserted: integer('inserted').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    warnings: integer('warnings').notNull().default(0),
    sipRecords: integer('sip_records').notNull().default(0),
    clientRecords: integer('client_records').notNull().default(0),
    /** The import (SPEC §7: the files opened together) this file was part of. */
    setId: integer('set_id'),
    /** When the column mapping this file was read by had been saved, if a saved one applied (SPEC §2.5). */
    mappingSavedAt: text('mapping_saved_at'),
  },
  (t) => [index('imports_set').on(t.setId)],
)

/**
 * SPEC §2.5: column mappings the advisor gave, one per set of column names (sorted normalised
 * names, `columns_key`), applied by themselves when a file with the same columns comes again.
 */
export const columnMappings = sqliteTable('column_mappings', {
  columnsKey: text('columns_key').primaryKey(),
  /** The file's column names as they were, JSON. */
  columns: text('columns').notNull(),
  /** Field → column, JSON. */
  mapping: text('mapping').notNull(),
  savedAt: text('saved_at').notNull(),
})

/**
 * SPEC §7: one import, the files opened together, committed in one transaction; its changes
 * (events, new/resolved opportunities, credits) and the data that undoes it are kept by its id.
 */
export const importSets = sqliteTable('import_sets', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  startedAt: text('started_at').notNull(),
  finishedAt: text('finished_at'),
  /** When it was undone; an undone import stays listed. */
  undoneAt: text('undone_at'),
  /** The as-of dates the opportunities were found for, before and after it (null before a first import). */
  previousAsOf: text('previous_as_of'),
  asOf: text('as_of'),
  sipRecords: integer('sip_records').notNull().default(0),
  /** JSON: SIP events by kind. */
  eventCounts: text('event_counts').notNull().default('{}'),
  newCount: integer('new_count').notNull().default(0),
  resolvedCount: integer('resolved_count').notNull().default(0),
  creditedCount: integer('credited_count').notNull().default(0),
  wonAnnual: real('won_annual').notNull().default(0),
  /** Whether `undo_*` still hold what it replaced (kept for the last few imports only). */
  undoKept: integer('undo_kept', { mode: 'boolean' }).notNull().default(false),
})

/** SPEC §7.1: per SIP an import wrote, what changed; `before`/`after` are JSON objects of the fields concerned. */
export const sipEvents = sqliteTable(
  'sip_events',
  {
    setId: integer('set_id').notNull(),
    sipMetaId: text('sip_meta_id').notNull(),
    event: text('event').notNull(),
    userId: text('user_id').notNull(),
    agentExternalId: text('agent_external_id').notNull(),
    before: text('before'),
    after: text('after'),
  },
  (t) => [primaryKey({ columns: [t.setId, t.sipMetaId, t.event] }), index('sip_events_event').on(t.setId, t.event)],
)

/** SPEC §7.1: opportunities an import made new or resolved, and the follow-ups it credited (or reopened). */
export const opportunityChanges = sqliteTable(
  'opportunity_changes',
  {
    setId: integer('set_id').notNull(),
    type: text('type').notNull(),
    userId: text('user_id').notNull(),
    agentExternalId: text('agent_external_id').notNull(),
    change: text('change', { enum: ['new', 'resolved'] }).notNull(),
    annualValue: real('annual_value').notNull(),
    /** `credited`: contacted → converted by this import; `reopened`: converted → open. */
    followUp: text('follow_up', { enum: ['credited', 'reopened'] }),
    /** The SIP events behind a credit, in words. */
    reason: text('reason'),
  },
  (t) => [primaryKey({ columns: [t.setId, t.type, t.userId, t.agentExternalId] })],
)

/**
 * SPEC §5a/§8.12: the book as an import left it, per agent ('' for SIPs without one), stored in the
 * import's transaction so a later threshold change does not rewrite history; gone with it on undo.
 * The whole book is the sum over its agents (clients are per agent). `computed_later` marks figures
 * a migration worked out for imports made before they were stored.
 */
export const importFigures = sqliteTable(
  'import_figures',
  {
    setId: integer('set_id').notNull(),
    agentExternalId: text('agent_external_id').notNull(),
    liveSips: integer('live_sips').notNull(),
    /** Σ monthly_amount of active live SIPs. */
    monthlyActive: real('monthly_active').notNull(),
    /** Live SIPs failing now: status Failed and active. */
    failing: integer('failing').notNull(),
    /** Clients with an auto-cancel final warning; null when it could not be worked out later. */
    finalWarnings: integer('final_warnings'),
    /** ₹ a year at stake over every opportunity, each SIP once per client; null when it could not be worked out later. */
    atStake: real('at_stake'),
    /** Follow-ups the import credited, and ₹ a year won by them (SPEC §7.1). */
    credited: integer('credited').notNull(),
    wonAnnual: real('won_annual').notNull(),
    computedLater: integer('computed_later', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.setId, t.agentExternalId] })],
)

/**
 * SPEC §4 "Reopening", §7.1, §8.2: the `contacted` (or `converted`) follow-ups an import reopened because
 * things got worse on their SIPs, the triggers (JSON `[{event, sip_meta_id, before, after}]`), and the
 * state and date they had before, which an undo of the import puts back.
 */
export const reopenings = sqliteTable(
  'reopenings',
  {
    setId: integer('set_id').notNull(),
    type: text('type').notNull(),
    userId: text('user_id').notNull(),
    agentExternalId: text('agent_external_id').notNull(),
    events: text('events').notNull(),
    stateBefore: text('state_before').notNull(),
    nextActionDateBefore: text('next_action_date_before'),
  },
  (t) => [primaryKey({ columns: [t.setId, t.type, t.userId, t.agentExternalId] })],
)

/** SPEC §7.2: the rows an import replaced, as they were before it, kept to undo it. */
export const undoSips = sqliteTable(
  'undo_sips',
  { setId: integer('set_id').notNull(), sipMetaId: text('sip_meta_id').notNull(), ...sipValues(), ...upsertBookkeeping },
  (t) => [primaryKey({ columns: [t.setId, t.sipMetaId] })],
)

export const undoSipHistory = sqliteTable('undo_sip_history', { setId: integer('set_id').notNull(), ...historyValues() }, (t) => [
  primaryKey({ columns: [t.setId, t.sipMetaId, t.snapshotAt] }),
])

export const undoClients = sqliteTable(
  'undo_clients',
  { setId: integer('set_id').notNull(), userId: text('user_id').notNull(), ...clientValues(), ...upsertBookkeeping },
  (t) => [primaryKey({ columns: [t.setId, t.userId] })],
)

export const importIssues = sqliteTable(
  'import_issues',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    importId: integer('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    level: text('level', { enum: ['rejected', 'warning'] }).notNull(),
    position: integer('position').notNull(),
    sipMetaId: text('sip_meta_id'),
    field: text('field'),
    reason: text('reason').notNull(),
  },
  (t) => [index('import_issues_import').on(t.importId, t.position)],
)

export const followUps = sqliteTable(
  'follow_ups',
  {
    type: text('type').notNull(),
    userId: text('user_id').notNull(),
    /** '' when the SIPs carry no agent, so the key stays unique. */
    agentExternalId: text('agent_external_id').notNull().default(''),
    state: text('state', { enum: ['open', 'contacted', 'converted', 'dismissed'] })
      .notNull()
      .default('open'),
    nextActionDate: text('next_action_date'),
    note: text('note'),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.type, t.userId, t.agentExternalId] })],
)

export const followUpEvents = sqliteTable(
  'follow_up_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    type: text('type').notNull(),
    userId: text('user_id').notNull(),
    agentExternalId: text('agent_external_id').notNull().default(''),
    at: text('at')
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%S', 'now'))`),
    kind: text('kind', { enum: ['state', 'next_action_date', 'note'] }).notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value'),
    /** The logged call that made this change, if one did. */
    callId: integer('call_id'),
    /** The import that made this change (a credit, or its undo), if one did. */
    importId: integer('import_id'),
    /** Why, when an import made the change: the SIP events behind a credit. */
    detail: text('detail'),
  },
  (t) => [
    index('follow_up_events_key').on(t.type, t.userId, t.agentExternalId, t.at),
    // The day's plan: the clients whose follow-ups changed since it was fixed.
    index('follow_up_events_at').on(t.at),
  ],
)

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  /** JSON-encoded value. */
  value: text('value').notNull(),
})

/** SPEC §5: the language a client's messages are written in, set on the client page; user data that imports and undo leave alone. */
export const clientLanguages = sqliteTable(
  'client_languages',
  {
    userId: text('user_id').notNull(),
    agentExternalId: text('agent_external_id').notNull().default(''),
    language: text('language', { enum: ['en', 'hi'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.agentExternalId] })],
)

/** SPEC §4: the call log, one row per call to a client (user_id with its agent); appended, never edited. */
export const calls = sqliteTable(
  'calls',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id').notNull(),
    agentExternalId: text('agent_external_id').notNull().default(''),
    at: text('at').notNull(),
    outcome: text('outcome', { enum: ['reached', 'no_answer', 'call_back', 'converted', 'not_interested'] }).notNull(),
    note: text('note'),
    nextActionDate: text('next_action_date'),
    /** SPEC §4 "Voiding a call": when the call was voided; a void call stays in the log and counts nowhere. */
    voidedAt: text('voided_at'),
  },
  (t) => [index('calls_client').on(t.userId, t.agentExternalId, t.at), index('calls_at').on(t.at)],
)

/**
 * SPEC §4 "Messages in the log": a message copied or opened as email or WhatsApp for a client, with
 * the opportunity type it was about and the text as sent. It changes no follow-up.
 */
export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id').notNull(),
    agentExternalId: text('agent_external_id').notNull().default(''),
    at: text('at').notNull(),
    channel: text('channel', { enum: ['copy', 'email', 'whatsapp'] }).notNull(),
    type: text('type').notNull(),
    text: text('text').notNull(),
  },
  (t) => [index('messages_client').on(t.userId, t.agentExternalId, t.at), index('messages_at').on(t.at)],
)

/**
 * SPEC §5 and §8.7, §8.12: the day's plan, one per local calendar day and agent filter (null: all
 * agents), fixed at the first look that day and stored with its clients.
 */
export const dayPlans = sqliteTable(
  'day_plans',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The local calendar date, `YYYY-MM-DD`. */
    day: text('day').notNull(),
    /** The agent filter the plan was made for; null for the whole book. */
    agentExternalId: text('agent_external_id'),
    fixedAt: text('fixed_at').notNull(),
  },
  (t) => [index('day_plans_day').on(t.day, t.agentExternalId)],
)

/** The clients of a day's plan in plan order: those it was fixed with, then those that joined or a refill added. */
export const dayPlanClients = sqliteTable(
  'day_plan_clients',
  {
    planId: integer('plan_id')
      .notNull()
      .references(() => dayPlans.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    agentExternalId: text('agent_external_id').notNull(),
    position: integer('position').notNull(),
    /** `planned`: in the plan when it was fixed; `joined`: entered group 1 or 2 during the day; `refill`: added by Refill plan. */
    added: text('added', { enum: ['planned', 'joined', 'refill'] }).notNull(),
    addedAt: text('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.userId, t.agentExternalId] }), index('day_plan_clients_order').on(t.planId, t.position)],
)

/**
 * Figures derived from the whole book (totals, the agents table), computed when the opportunities
 * are rebuilt and read as they are; `version` names the state they were computed from.
 */
export const derived = sqliteTable('derived', {
  key: text('key').primaryKey(),
  version: text('version').notNull(),
  /** JSON-encoded value. */
  value: text('value').notNull(),
})

/**
 * Detector results for one (data, as-of, thresholds) state, rebuilt when that state changes, so
 * lists, stats and pages are indexed reads. `agent_external_id` is '' when the SIPs carry none.
 */
export const opportunities = sqliteTable(
  'opportunities',
  {
    type: text('type').notNull(),
    userId: text('user_id').notNull(),
    agentExternalId: text('agent_external_id').notNull(),
    agentId: text('agent_id'),
    sipMetaIds: text('sip_meta_ids').notNull(),
    currentSipAmount: real('current_sip_amount').notNull(),
    potentialValue: real('potential_value').notNull(),
    totalInvested: real('total_invested').notNull(),
    failedAmount: real('failed_amount').notNull(),
    lastActivityDate: text('last_activity_date'),
    daysSinceActivity: integer('days_since_activity'),
    score: real('score').notNull(),
    monthlyIncrease: real('monthly_increase'),
    expectedIncrements: integer('expected_increments'),
    runningMonths: integer('running_months'),
    failureRate: real('failure_rate'),
    currentlyFailing: integer('currently_failing', { mode: 'boolean' }),
    mandateMissing: integer('mandate_missing', { mode: 'boolean' }),
    /** SPEC §3.1: ₹ a year at stake, the sum of its SIPs' rows in `opportunity_sips`. */
    annualValue: real('annual_value').notNull().default(0),
    missedInstalments: integer('missed_instalments'),
    finalWarning: integer('final_warning', { mode: 'boolean' }),
    ceased: integer('ceased', { mode: 'boolean' }),
    nextDebitDate: text('next_debit_date'),
    /** auto_cancel_risk: JSON object, each SIP's instalments missed since its last success (SPEC §3.4a), for wording per SIP. */
    sipsMissed: text('sips_missed'),
    endDate: text('end_date'),
    daysLeft: integer('days_left'),
  },
  (t) => [
    primaryKey({ columns: [t.type, t.userId, t.agentExternalId] }),
    index('opportunities_order').on(t.score, t.annualValue, t.userId),
    // The first page of one type, in the default order, without sorting the whole type.
    index('opportunities_type_order').on(t.type, t.score, t.annualValue, t.userId),
    index('opportunities_agent').on(t.agentExternalId, t.score),
    index('opportunities_user').on(t.userId),
    // The list sorted by monthly SIP or by ₹ a year, all types or one: the first page without sorting them all.
    index('opportunities_sip').on(t.currentSipAmount),
    index('opportunities_type_sip').on(t.type, t.currentSipAmount),
    index('opportunities_annual').on(t.annualValue),
    index('opportunities_type_annual').on(t.type, t.annualValue),
  ],
)

/** The list's sort and filter indexes of `opportunities` (see `INDEXES_AFTER_COMMIT`). */
export const OPPORTUNITY_LIST_INDEXES = [
  'opportunities_order',
  'opportunities_type_order',
  'opportunities_agent',
  'opportunities_sip',
  'opportunities_type_sip',
  'opportunities_annual',
  'opportunities_type_annual',
] as const

/** The SIPs by client and by agent: the client page, the agent filters (see `INDEXES_AFTER_COMMIT`). */
export const SIP_LOOKUP_INDEXES = ['sips_user', 'sips_agent'] as const

/**
 * Indexes neither Today nor an import's own steps use: an import that fills their table from empty
 * leaves them out and builds them after its commit, while Today already answers (`completeAfterCommit`).
 */
export const INDEXES_AFTER_COMMIT: readonly (readonly [SQLiteTable, readonly string[]])[] = [
  [opportunities, OPPORTUNITY_LIST_INDEXES],
  [sips, SIP_LOOKUP_INDEXES],
]

/**
 * Per agent ('' when the SIPs carry none), its live book as the last rebuild found it (SPEC §3.6):
 * the book totals, the agents table and an import's Results figures (§5a) add these rows up
 * instead of each reading every SIP. Rebuilt with `opportunities`.
 */
export const agentBooks = sqliteTable('agent_books', {
  agentExternalId: text('agent_external_id').primaryKey(),
  agentId: text('agent_id'),
  liveSips: integer('live_sips').notNull(),
  clients: integer('clients').notNull(),
  totalInvested: real('total_invested').notNull(),
  /** Σ monthly_amount of its active SIPs. */
  monthlySipAmount: real('monthly_sip_amount').notNull(),
  /** Its active SIPs whose status is Failed. */
  failing: integer('failing').notNull(),
})

/**
 * The SIPs behind each opportunity with their own ₹ a year at stake (SPEC §3.1), so a client's
 * at-stake figure can count each SIP once across types. Rebuilt with `opportunities`. Its key is a
 * unique index rather than the primary key: the rebuild fills the table without it and sorts it once.
 */
export const opportunitySips = sqliteTable(
  'opportunity_sips',
  {
    userId: text('user_id').notNull(),
    agentExternalId: text('agent_external_id').notNull(),
    sipMetaId: text('sip_meta_id').notNull(),
    type: text('type').notNull(),
    annualValue: real('annual_value').notNull(),
  },
  (t) => [uniqueIndex('opportunity_sips_key').on(t.userId, t.agentExternalId, t.sipMetaId, t.type)],
)

/**
 * Per client with any opportunity: what the Today queue needs when none of the client's follow-ups
 * changes it (SPEC §3.1, §5): ₹ a year at stake over all its opportunities (each SIP once) and the
 * auto-cancel final warning. Clients with follow-ups are worked out when read. Rebuilt with `opportunities`.
 */
export const clientStakes = sqliteTable(
  'client_stakes',
  {
    userId: text('user_id').notNull(),
    agentExternalId: text('agent_external_id').notNull(),
    atStake: real('at_stake').notNull(),
    /** The auto-cancel next debit date when a SIP is one failure from cancellation ('9999-12-31' when unknown), else null. */
    finalWarningDate: text('final_warning_date'),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.agentExternalId] }),
    // In the queue's order within a final-warning date (or none): the first clients of a page are read from its start.
    index('client_stakes_queue').on(t.finalWarningDate, sql`${t.atStake} DESC`, t.userId, t.agentExternalId),
  ],
)

/**
 * What changed the Today queue since a reader last worked out the followed clients (`services/queue.ts`), in order:
 * a row per follow-up written (its client), and at each rebuild one with no client (every client; the rows before
 * it are dropped). A reader then works out again only the clients named since, not all of them.
 */
export const queueChanges = sqliteTable('queue_changes', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  /** Null: every client (a rebuild). */
  userId: text('user_id'),
  agentExternalId: text('agent_external_id'),
})
