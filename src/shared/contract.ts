import { z } from 'zod'
import type { Channel } from './channels'
import { AppError } from './errors'
import type { AppInfo, BackupResult, ImportJob, ImportReport, ImportSummary, RestoreResult } from './types'
import {
  FOLLOW_UP_STATES,
  OPPORTUNITY_TYPES,
  type AgentList,
  type ClientMatch,
  type ClientDetail,
  type FollowUp,
  type OpportunityPage,
  type Settings,
  type Stats,
} from './detection'

/**
 * The IPC contract: for each channel, the zod schema every request is validated against in main,
 * and the type of its answer. Both Electron IPC and the web host serve exactly this.
 */

const jobId = z.string().min(1).max(64)
const uploadId = z.string().min(1).max(64)

export const importSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
  z.object({ kind: z.literal('upload'), uploadId }),
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
const text = z.string().trim().min(1).max(200)

export const opportunityQuery = z
  .object({
    type: z.enum([...OPPORTUNITY_TYPES, 'all']).optional(),
    agent: text.optional(),
    ...asOf,
    min_score: z.number().min(0).max(10).optional(),
    max_score: z.number().min(0).max(10).optional(),
    min_potential: z.number().min(0).optional(),
    /** Only these follow-up states; without it, converted and dismissed are left out. */
    states: z.array(z.enum(FOLLOW_UP_STATES)).min(1).optional(),
    show_snoozed: z.boolean().optional(),
    overdue: z.boolean().optional(),
    search: z.string().trim().max(100).optional(),
    sort: z
      .enum([
        'score',
        'potential_value',
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
    limit: z.number().int().min(1).max(5000).optional(),
    offset: z.number().int().min(0).optional(),
  })
  .strict()
export type OpportunityQuery = z.infer<typeof opportunityQuery>

const thresholds = z
  .object({
    min_months_running: z.number().int().min(0).max(600),
    suggested_step_up_pct: z.number().min(0).max(1000),
    min_failed_amount: z.number().min(0),
    min_invested: z.number().min(0),
    min_inactive_days: z.number().int().min(0).max(36500),
    reactivation_pct: z.number().min(0).max(1000),
  })
  .partial()
  .strict()

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

/** `channel<Answer>()(requestSchema)`: the answer type is only a type, the schema is checked at run time. */
const channel =
  <R>() =>
  <S extends z.ZodType>(request: S) => ({ request, response: undefined as unknown as R })

export const contract = {
  'app:info': channel<AppInfo>()(empty),
  /** Export files the desktop app was launched with (or handed by a second launch), each given out once. */
  'app:takeOpenedFiles': channel<{ paths: string[] }>()(empty),
  'import:start': channel<ImportJob>()(z.object({ sources: z.array(importSource).min(1).max(100) }).strict()),
  'import:status': channel<ImportJob>()(z.object({ jobId }).strict()),
  'import:cancel': channel<ImportJob>()(z.object({ jobId }).strict()),
  'import:list': channel<ImportSummary[]>()(empty),
  'import:report': channel<ImportReport>()(z.object({ importId: z.number().int().positive() }).strict()),
  /** Electron only: the native open dialog; the web host answers `unsupported`. */
  'dialog:openExport': channel<{ paths: string[] }>()(empty),
  'opportunities:list': channel<OpportunityPage>()(opportunityQuery),
  'stats:get': channel<Stats>()(z.object({ agent: text.optional(), ...asOf }).strict()),
  'agents:list': channel<AgentList>()(z.object(asOf).strict()),
  'client:get': channel<ClientDetail>()(z.object({ user_id: text, ...asOf }).strict()),
  'followup:update': channel<FollowUp>()(followUpChange),
  'settings:get': channel<Settings>()(empty),
  'settings:update': channel<Settings>()(
    z
      .object({
        thresholds: thresholds.optional(),
        as_of_mode: z.enum(['data', 'today', 'date']).optional(),
        as_of_date: isoDate.nullable().optional(),
      })
      .strict(),
  ),
  'clients:search': channel<ClientMatch[]>()(
    z.object({ query: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(50).optional() }).strict(),
  ),
  /** Deletes every imported record, report and follow-up; settings stay. */
  'data:clear': channel<{ cleared: true }>()(z.object({ confirm: z.literal(true) }).strict()),
  /** An online copy of the database: a save dialog on the desktop, a download from the web host. */
  'data:backup': channel<BackupResult>()(empty),
  /** Replaces the whole book with a checked backup, picked in a dialog (desktop) or uploaded (web host). */
  'data:restore': channel<RestoreResult>()(
    z
      .object({
        source: z.discriminatedUnion('kind', [z.object({ kind: z.literal('dialog') }), z.object({ kind: z.literal('upload'), uploadId })]),
      })
      .strict(),
  ),
  /** Electron only: the current page as an A4 PDF at a path the user picks; the web host answers `unsupported`. */
  'report:savePdf': channel<{ path: string | null }>()(z.object({ suggestedName: z.string().trim().min(1).max(200) }).strict()),
} satisfies Record<Channel, { request: z.ZodType; response: unknown }>

export type Contract = typeof contract
export type RequestOf<C extends Channel> = z.infer<Contract[C]['request']>
export type ResponseOf<C extends Channel> = Contract[C]['response']

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
