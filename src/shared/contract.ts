import { z } from 'zod'
import type { Channel } from './channels'
import { AppError } from './errors'
import * as answers from './answers'
import { OPPORTUNITY_CHANGE_FILTERS, SIP_EVENTS } from './changes'
import { CALL_OUTCOMES, FOLLOW_UP_STATES, OPPORTUNITY_TYPES } from './detection'
import { isWhatsappLink, LANGUAGES, templateProblem } from './messages'

/**
 * The IPC contract: for each channel, the zod schema every request is validated against in main,
 * and the schema of its answer (checked in `dispatch` under tests and in development). Both
 * Electron IPC and the web host serve exactly this.
 */

const job_id = z.string().min(1).max(64)
const upload_id = z.string().min(1).max(64)

export const importSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
  z.object({ kind: z.literal('upload'), upload_id }),
  z.object({ kind: z.literal('sample') }),
])
export type ImportSource = z.infer<typeof importSource>

const empty = z.object({}).strict()

/** A real calendar date, `YYYY-MM-DD`. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a real date')

const asOf = { as_of: isoDate.optional() }

/** Most rows one list request may ask for: bounds the work (and the answer) of any one request. */
export const PAGE_LIMIT = 1000
const text = z.string().trim().min(1).max(200)

export const opportunityQuery = z
  .object({
    type: z.enum([...OPPORTUNITY_TYPES, 'all']).optional(),
    agent: text.optional(),
    ...asOf,
    min_score: z.number().min(0).max(10).optional(),
    max_score: z.number().min(0).max(10).optional(),
    /** Only opportunities with at least this ₹ a year at stake. */
    min_annual_value: z.number().min(0).optional(),
    /** Only these follow-up states; without it, converted and dismissed are left out. */
    states: z.array(z.enum(FOLLOW_UP_STATES)).min(1).optional(),
    show_snoozed: z.boolean().optional(),
    overdue: z.boolean().optional(),
    search: z.string().trim().max(100).optional(),
    sort: z
      .enum([
        'score',
        'annual_value',
        'potential_value',
        'next_action_date',
        'current_sip_amount',
        'total_invested',
        'failed_amount',
        'days_since_activity',
        'last_activity_date',
        'client',
        'agent',
        'type',
        'status',
      ])
      .optional(),
    direction: z.enum(['asc', 'desc']).optional(),
    limit: z.number().int().min(1).max(PAGE_LIMIT).optional(),
    offset: z.number().int().min(0).optional(),
    /** Keyset paging: the rows after this cursor (the `next` of the page before, for the same filter and sort); instead of `offset`. */
    after: answers.opportunityCursor.optional(),
  })
  .strict()
  .refine((query) => !(query.after && query.offset), { message: 'give after or offset, not both', path: ['after'] })
export type OpportunityQuery = z.infer<typeof opportunityQuery>
export type OpportunityCursor = z.infer<typeof answers.opportunityCursor>

/** SPEC §3.1: the thresholds' ranges, and the advisor's details: the same schemas check requests and answers. */
export const thresholdsSchema = answers.thresholds
export const advisorProfile = answers.advisor

export const followUpChange = z
  .object({
    type: z.enum(OPPORTUNITY_TYPES),
    user_id: text,
    agent_external_id: text.nullable(),
    state: z.enum(FOLLOW_UP_STATES).optional(),
    next_action_date: isoDate.nullable().optional(),
    note: z.string().max(10_000).nullable().optional(),
  })
  .strict()

const client = { user_id: text, agent_external_id: text.nullable().optional() }

export const callLog = z
  .object({
    ...client,
    outcome: z.enum(CALL_OUTCOMES),
    note: z.string().max(10_000).nullable().optional(),
    next_action_date: isoDate.nullable().optional(),
  })
  .strict()
  .refine((call) => call.outcome !== 'call_back' || Boolean(call.next_action_date), {
    message: 'a call back needs a next action date',
    path: ['next_action_date'],
  })

const agentOnly = z.object({ agent: text.optional(), ...asOf }).strict()

/** A page of clients for the agent filter: Today's queue, Scheduled. */
const clientsPage = z
  .object({
    agent: text.optional(),
    ...asOf,
    limit: z.number().int().min(1).max(PAGE_LIMIT).optional(),
    offset: z.number().int().min(0).optional(),
  })
  .strict()

/** SPEC §5: the only links the app hands to the system: an email draft, or a WhatsApp chat on wa.me. */
export const externalUrl = z
  .string()
  .max(8000)
  .refine((url) => {
    try {
      const parsed = new URL(url)
      return parsed.protocol === 'mailto:' || isWhatsappLink(url)
    } catch {
      return false
    }
  }, 'only mailto: links and https://wa.me/ links to a valid mobile number can be opened')

/** SPEC §5: a message template: not empty, and only known placeholders (an unknown one is refused naming the known ones). */
export const templateText = z
  .string()
  .trim()
  .min(1, 'a template cannot be empty')
  .max(2000)
  .superRefine((template, context) => {
    const problem = templateProblem(template)
    if (problem) context.addIssue({ code: 'custom', message: problem })
  })

/**
 * What a channel does besides answering, the facts hosts and the renderer act on; every channel
 * states them all (a channel without them does not typecheck).
 */
export interface ChannelFacts {
  /** Changes the book: refused on a read-only book. */
  readonly writes: boolean
  /** Costs grow with the book: the web host runs these one at a time. */
  readonly queued: boolean
  /**
   * Answered on the host's own thread, never in the database worker: dialogs, PDF, links, launch
   * files, and the jobs (import, undo, restore) that run in workers of their own.
   */
  readonly hostOnly: boolean
  /**
   * The renderer's queries whose answers a success makes out of date, by channel (every query key
   * starts with its channel); `everything` when the whole book may have changed.
   */
  readonly invalidates: readonly Channel[] | 'everything'
}

/** A channel: the schema of its request, of its answer, and its facts. */
const channel = <Q extends z.ZodType, A extends z.ZodType, const F extends ChannelFacts>(request: Q, response: A, facts: F) => ({
  request,
  response,
  ...facts,
})

/** Facts of the common kinds. */
const reads = { writes: false, queued: false, hostOnly: false, invalidates: [] } as const satisfies ChannelFacts
const readsTheBook = { ...reads, queued: true } as const satisfies ChannelFacts
const onHost = { ...reads, hostOnly: true } as const satisfies ChannelFacts
/** A job in a worker of its own that may change the whole book (import, undo, restore). */
const bookJob = { ...onHost, writes: true, invalidates: 'everything' } as const satisfies ChannelFacts
const changesEverything = { ...reads, writes: true, invalidates: 'everything' } as const satisfies ChannelFacts
/** What a follow-up or a call changes: the queue, the client, the lists and every count over follow-ups. */
const followUpViews = [
  'today:list',
  'today:plan',
  'today:scheduled',
  'client:get',
  'opportunities:list',
  'stats:get',
  'agents:list',
  'calls:nextDates',
] as const satisfies Channel[]

const paths = z.strictObject({ paths: z.array(z.string()) })

export const contract = {
  'app:info': channel(empty, answers.appInfo, reads),
  /** Export files the desktop app was launched with (or handed by a second launch), each given out once. */
  'app:takeOpenedFiles': channel(empty, paths, onHost),
  'import:start': channel(z.object({ sources: z.array(importSource).min(1).max(100) }).strict(), answers.importJob, bookJob),
  'import:status': channel(z.object({ job_id }).strict(), answers.importJob, onHost),
  'import:cancel': channel(z.object({ job_id }).strict(), answers.importJob, onHost),
  /** SPEC §7: the imports (files opened together), newest first, undone ones marked. */
  'import:list': channel(empty, z.array(answers.importSetSummary), readsTheBook),
  'import:report': channel(z.object({ import_id: z.number().int().positive() }).strict(), answers.importReport, readsTheBook),
  /** SPEC §7.1: one import's changes (default: the latest not undone; `last_export`: the latest not undone that brought SIPs). */
  'changes:get': channel(
    z
      .object({
        import_id: z.number().int().positive().optional(),
        last_export: z.boolean().optional(),
        event: z.enum(SIP_EVENTS).optional(),
        /** Only these opportunity changes: new or resolved ones, or those whose follow-up the import credited or reopened. */
        opportunity: z.enum(OPPORTUNITY_CHANGE_FILTERS).optional(),
        agent: text.optional(),
        limit: z.number().int().min(1).max(PAGE_LIMIT).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
    answers.changeSet,
    reads,
  ),
  /** SPEC §5a: calls and credits week by week, the book across imports, per agent; default the last 12 weeks. */
  'results:get': channel(
    z
      .object({ agent: text.optional(), from: isoDate.optional(), to: isoDate.optional() })
      .strict()
      .refine((r) => !(r.from && r.to && r.from > r.to), { message: 'from must not be after to', path: ['from'] }),
    answers.results,
    reads,
  ),
  /** SPEC §2.5: the column mappings saved for sets of column names, newest first. */
  'mappings:list': channel(empty, z.array(answers.savedMapping), reads),
  /** SPEC §2.5: saves the mapping chosen for a file with these columns; refused when it cannot read such a file. */
  'mappings:save': channel(
    z
      .object({
        columns: z.array(z.string().max(2000)).min(1).max(16_384),
        mapping: z.record(z.string().min(1).max(100), z.string().max(2000)),
      })
      .strict(),
    answers.savedMapping,
    { ...reads, writes: true, invalidates: ['mappings:list'] },
  ),
  'mappings:delete': channel(z.object({ columns_key: z.string().min(1).max(1_000_000) }).strict(), z.strictObject({ deleted: z.boolean() }), {
    ...reads,
    writes: true,
    invalidates: ['mappings:list'],
  }),
  /** SPEC §7.2: undoes the most recent import not undone. */
  'import:undo': channel(z.object({ confirm: z.literal(true) }).strict(), answers.undoResult, bookJob),
  /** Electron only: the native open dialog; the web host answers `unsupported`. */
  'dialog:openExport': channel(empty, paths, onHost),
  'opportunities:list': channel(opportunityQuery, answers.opportunityPage, readsTheBook),
  'stats:get': channel(z.object({ agent: text.optional(), ...asOf }).strict(), answers.stats, readsTheBook),
  'agents:list': channel(z.object(asOf).strict(), answers.agentList, readsTheBook),
  'client:get': channel(z.object({ ...client, ...asOf }).strict(), answers.clientDetail, readsTheBook),
  /** SPEC §3.1: the agents a user_id has SIPs under, each a client of its own (an address without the agent asks which). */
  'client:agents': channel(z.object({ user_id: text }).strict(), z.array(answers.clientAgent), readsTheBook),
  'followup:update': channel(followUpChange, answers.followUp, { ...reads, writes: true, invalidates: followUpViews }),
  /** SPEC §5: the call queue, one row per client with a due opportunity, in the queue's order. */
  'today:list': channel(clientsPage, answers.todayPage, readsTheBook),
  /** SPEC §4: appends a call to a client's log and applies its outcome to their active opportunities. */
  'calls:log': channel(callLog, answers.callResult, { ...reads, writes: true, invalidates: [...followUpViews, 'results:get'] }),
  /** SPEC §4: voids the client's latest call (within 24 hours, no import since); the states and dates it set go back. */
  'calls:voidLast': channel(z.object(client).strict(), answers.callResult, {
    ...reads,
    writes: true,
    invalidates: [...followUpViews, 'results:get'],
  }),
  /** SPEC §4 "Default next dates": the next action date a call with each outcome gets when none is given. */
  'calls:nextDates': channel(z.object(client).strict(), answers.nextDates, readsTheBook),
  /** SPEC §4: a message copied or opened as email or WhatsApp goes into the client's log. */
  'messages:log': channel(
    z
      .object({
        ...client,
        channel: z.enum(answers.MESSAGE_CHANNELS),
        type: z.enum(OPPORTUNITY_TYPES),
        text: z.string().min(1).max(20_000),
      })
      .strict(),
    answers.clientMessage,
    { ...reads, writes: true, invalidates: ['today:list', 'today:plan', 'today:scheduled', 'client:get', 'results:get'] },
  ),
  /** SPEC §5: the day's plan for the agent filter, fixed (and stored) at the first look of the day; a read-only book shows it unstored. */
  'today:plan': channel(agentOnly, answers.todayPlan, readsTheBook),
  /** SPEC §5: adds queue clients to the day's plan until `daily_calls` are not done. */
  'today:refill': channel(agentOnly, answers.todayPlan, { ...readsTheBook, writes: true, invalidates: ['today:plan'] }),
  /** SPEC §5: the clients with a next action date in the next 30 days, by date; a page of them, and how many each date has. */
  'today:scheduled': channel(clientsPage, answers.scheduledPage, readsTheBook),
  'settings:get': channel(empty, answers.settings, reads),
  'settings:update': channel(
    z
      .object({
        thresholds: thresholdsSchema.partial().optional(),
        queue: answers.queueSettings.partial().optional(),
        as_of_mode: z.enum(['data', 'today', 'date']).optional(),
        as_of_date: isoDate.nullable().optional(),
        advisor: advisorProfile.partial().optional(),
        templates: z.partialRecord(z.enum(LANGUAGES), z.partialRecord(z.enum(OPPORTUNITY_TYPES), templateText)).optional(),
      })
      .strict(),
    answers.settings,
    changesEverything,
  ),
  /** SPEC §5: the messages offered to a client, filled in its language (or `language`). */
  'messages:get': channel(z.object({ ...client, language: z.enum(LANGUAGES).optional() }).strict(), answers.clientMessages, readsTheBook),
  /** SPEC §5: a template (saved or being edited) filled for a real client of the book that has that reason. */
  'messages:preview': channel(
    z.object({ type: z.enum(OPPORTUNITY_TYPES), language: z.enum(LANGUAGES), template: z.string().max(2000) }).strict(),
    answers.messagePreview,
    readsTheBook,
  ),
  /** SPEC §5: the language a client's messages are written in. */
  'client:setLanguage': channel(
    z.object({ ...client, language: z.enum(LANGUAGES) }).strict(),
    z.strictObject({ language: z.enum(LANGUAGES) }),
    { ...reads, writes: true, invalidates: ['client:get', 'messages:get'] },
  ),
  'clients:search': channel(
    z.object({ query: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(50).optional() }).strict(),
    z.array(answers.clientMatch),
    readsTheBook,
  ),
  /** Deletes every imported record, report and follow-up; settings stay. */
  'data:clear': channel(z.object({ confirm: z.literal(true) }).strict(), z.strictObject({ cleared: z.literal(true) }), changesEverything),
  /** An online copy of the database: a save dialog on the desktop, a download from the web host. */
  'data:backup': channel(empty, answers.backupResult, { ...onHost, invalidates: ['settings:get'] }),
  /** Replaces the whole book with a checked backup, picked in a dialog (desktop) or uploaded (web host). */
  'data:restore': channel(
    z
      .object({
        source: z.discriminatedUnion('kind', [z.object({ kind: z.literal('dialog') }), z.object({ kind: z.literal('upload'), upload_id })]),
      })
      .strict(),
    answers.restoreResult,
    bookJob,
  ),
  /** Electron only: the current page as an A4 PDF at a path the user picks; the web host answers `unsupported`. */
  'report:savePdf': channel(
    z.object({ suggested_name: z.string().trim().min(1).max(200) }).strict(),
    z.strictObject({ path: z.string().nullable() }),
    onHost,
  ),
  /** Electron only: opens a message in the system's mail app or WhatsApp; the web host answers `unsupported` (the browser follows the link). */
  'app:openExternal': channel(z.object({ url: externalUrl }).strict(), z.strictObject({ opened: z.literal(true) }), onHost),
} satisfies Record<Channel, { request: z.ZodType; response: z.ZodType } & ChannelFacts>

export type Contract = typeof contract

/** The channels whose facts pass `test`, in the contract's order. */
export const channelsWhere = (test: (facts: ChannelFacts) => boolean): Channel[] =>
  (Object.keys(contract) as Channel[]).filter((name) => test(contract[name]))

export type RequestOf<C extends Channel> = z.infer<Contract[C]['request']>
/** What a caller may send on `C` before the contract's defaults fill it in. */
export type RequestInput<C extends Channel> = z.input<Contract[C]['request']>
export type ResponseOf<C extends Channel> = z.infer<Contract[C]['response']>

/** One function per channel: what each host calls after validating a request. */
export type Handlers = { [C in Channel]: (request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>> }

/** Validates `raw` against the channel's schema; throws an `invalid_request` `AppError` naming the first problem. */
export function parseRequest<C extends Channel>(name: C, raw: unknown): RequestOf<C> {
  const result = contract[name].request.safeParse(raw ?? {})
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    throw new AppError('invalid_request', `invalid ${name} request${where}: ${issue.message}`)
  }
  return result.data as RequestOf<C>
}
