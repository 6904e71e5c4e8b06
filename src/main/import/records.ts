import { getTableConfig } from 'drizzle-orm/sqlite-core'
import { clients, sips } from '../db/schema'
import * as n from './normalise'
import { Cut, Invalid, type Normaliser } from './normalise'
import type { Domain } from './valueDomain'
import { oversizedReason } from './source'
import type { ImportIssue } from '../../shared/types'

/** How one field of an export maps onto a column. */
interface Field {
  source: string
  column: string
  normalise: Normaliser<string | number | boolean>
}

/** A kind of record an export can hold: which table it lands in and how each field is read. */
export interface RecordKind {
  name: 'sip' | 'client'
  table: string
  keyColumn: string
  fields: readonly Field[]
  /** Columns of `fields`, then the upsert bookkeeping columns, in the order rows are built. */
  columns: readonly string[]
  /** Index in a built row of the value that gives the snapshot time, in order of preference. */
  snapshotIndexes: readonly number[]
  /** A reason to reject the record outright, given its normalised values; null to keep it. */
  rejectReason(values: readonly unknown[]): { field: string; reason: string } | null
}

const f = (source: string, normalise: Field['normalise'], column = source): Field => ({ source, column, normalise })

const SIP_FIELDS: readonly Field[] = [
  f('sip_meta_id', n.id),
  f('uid', n.id),
  f('user_id', n.id),
  f('goal_id', n.id),
  f('agent_id', n.id),
  f('agent_external_id', n.id),
  f('member_id', n.id),
  f('inserted_at', n.datetime),
  f('event_date', n.datetime),
  f('created_at', n.datetime),
  f('sip_meta_date', n.date),
  f('sip_meta_month', n.date),
  f('sip_days', n.sipDays),
  f('num_days', n.number),
  f('amount', n.number),
  f('scheme_name', n.schemeList, 'schemes'),
  f('goal_name', n.text),
  f('start_date', n.date),
  f('end_date', n.date),
  f('paused_from', n.date),
  f('paused_till', n.date),
  f('paused_reason', n.text),
  f('increment_percentage', n.number),
  f('increment_amount', n.number),
  f('increment_period', n.text),
  f('is_active', n.bool),
  f('sip_sales_status', n.text),
  f('had_mandate_at_creation', n.bool),
  f('has_current_mandate', n.bool),
  f('mandate_tracking_status', n.text),
  f('mandate_confirmed_date', n.date),
  f('stepper_enabled', n.bool),
  f('first_order_nav_allocated_at', n.date),
  f('first_success_order_date', n.date),
  f('latest_success_order_date', n.date),
  f('first_success_order_month', n.date),
  f('latest_success_order_month', n.date),
  f('success_amount', n.number),
  f('pending_amount', n.number),
  f('failed_amount', n.number),
  f('in_progress_amount', n.number),
  f('paused_amount', n.number),
  f('success_count', n.number),
  f('currentSipStatus', n.text, 'current_sip_status'),
  f('deleted', n.bool),
]

const CLIENT_FIELDS: readonly Field[] = [
  f('user_id', n.id),
  f('name', n.text),
  f('email', n.text),
  f('phone_number', n.text),
  f('crn', n.text),
  f('total_current_value', n.number),
  f('total_invested_value', n.number),
  f('mf_current_value', n.number),
  f('agent_external_id', n.id),
  f('agent_name', n.text),
  f('agent_email', n.text),
  f('agent_phone_number', n.text),
  f('member_id', n.id),
  f('latest_as_on_date', n.datetime),
  f('first_active_at', n.datetime),
]

export const BOOKKEEPING_COLUMNS = ['snapshot_at', 'row_hash', 'import_id', 'prior_hash'] as const

function defineKind(
  name: RecordKind['name'],
  table: typeof sips | typeof clients,
  fields: readonly Field[],
  snapshotSources: readonly string[],
  required: readonly { source: string; reason: string }[],
): RecordKind {
  const config = getTableConfig(table)
  const tableColumns = new Set(config.columns.map((c) => c.name))
  const columns = [...fields.map((field) => field.column), ...BOOKKEEPING_COLUMNS]
  const missing = columns.filter((c) => !tableColumns.has(c))
  if (missing.length > 0) throw new Error(`${config.name} has no column ${missing.join(', ')}`)
  const indexOf = (source: string): number => fields.findIndex((field) => field.source === source)
  const requiredAt = required.map((r) => ({ ...r, index: indexOf(r.source) }))
  return {
    name,
    table: config.name,
    keyColumn: fields[0].column,
    fields,
    columns,
    snapshotIndexes: snapshotSources.map(indexOf),
    rejectReason(values) {
      for (const r of requiredAt) if (values[r.index] === null) return { field: r.source, reason: r.reason }
      return null
    },
  }
}

export const SIP_KIND = defineKind(
  'sip',
  sips,
  SIP_FIELDS,
  ['inserted_at', 'event_date'],
  [
    { source: 'sip_meta_id', reason: 'sip_meta_id is missing' },
    { source: 'user_id', reason: 'user_id is missing' },
    { source: 'amount', reason: 'amount is missing or not a number' },
  ],
)

export const CLIENT_KIND = defineKind(
  'client',
  clients,
  CLIENT_FIELDS,
  ['latest_as_on_date'],
  [{ source: 'user_id', reason: 'user_id is missing' }],
)

const DOMAINS = new Map<Field['normalise'], Domain>([
  [n.number, 'amount'],
  [n.date, 'date'],
  [n.datetime, 'date'],
  [n.text, 'text'],
])

/**
 * The value domain of each column imported data lands in (the same name in `sips`, `clients`,
 * `sip_history` and their undo copies), by what its normaliser bounds: restore applies these.
 * Ids, yes/no values and lists are checked by their type and form only.
 */
export const IMPORTED_DOMAINS: ReadonlyMap<string, Domain> = new Map(
  [...SIP_FIELDS, ...CLIENT_FIELDS].flatMap((field) => {
    const domain = DOMAINS.get(field.normalise)
    return domain ? [[field.column, domain] as const] : []
  }),
)

/** A normalised value, ready to bind: booleans are 0/1. */
export type RowValue = string | number | null

export interface BuiltRow {
  kind: RecordKind
  /** Normalised values of `kind.fields`, booleans as 0/1, ready to bind. */
  values: RowValue[]
  snapshotAt: string
}

/** The import's own time (SPEC §8.4), local: snapshots from `futureFrom` on are after tomorrow. */
export interface ImportClock {
  /** `YYYY-MM-DDTHH:MM:SS`, the snapshot time of a row whose own one is in the future. */
  now: string
  /** `YYYY-MM-DD`: the import's local date + 2 days. */
  futureFrom: string
}

const localDateTime = (d: Date): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}T${d.toTimeString().slice(0, 8)}`

export function importClock(now = new Date()): ImportClock {
  const later = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 2)
  return { now: localDateTime(now), futureFrom: localDateTime(later).slice(0, 10) }
}

/** Reports a record that cannot be read at all. */
export function rejectRecord(position: number, reason: string, issues: ImportIssue[]): null {
  issues.push({ level: 'rejected', position, sip_meta_id: null, field: null, reason })
  return null
}

/** SPEC §8.9: a record over the size limit, skipped unread by its reader, rejected with its size. */
export const rejectOversized = (position: number, bytes: number, issues: ImportIssue[]): null =>
  rejectRecord(position, oversizedReason(bytes), issues)

/**
 * Turns one record's normalised fields (from its shape's reader) into a row. Returns null when it
 * is rejected; pushes its issues either way.
 */
export function buildRow(
  kind: RecordKind,
  normalised: readonly (RowValue | boolean | Invalid | Cut)[],
  position: number,
  issues: ImportIssue[],
  clock: ImportClock,
): BuiltRow | null {
  const { fields } = kind
  const values = normalised as RowValue[]
  let warnings: { field: string; reason: string }[] | null = null
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as RowValue | boolean | Invalid | Cut
    if (typeof value === 'object' && value !== null) {
      ;(warnings ??= []).push({ field: fields[i].source, reason: value.reason })
      values[i] = value instanceof Cut ? value.value : null
    } else if (typeof value === 'boolean') {
      values[i] = value ? 1 : 0
    }
  }
  const sipMetaId = kind === SIP_KIND && typeof values[0] === 'string' ? values[0] : null
  const rejected = kind.rejectReason(values)
  if (rejected) {
    const invalid = warnings?.find((w) => w.field === rejected.field)
    issues.push({ level: 'rejected', position, sip_meta_id: sipMetaId, field: rejected.field, reason: invalid?.reason ?? rejected.reason })
    return null
  }
  let snapshotAt = ''
  for (const index of kind.snapshotIndexes) {
    const value = values[index]
    if (typeof value === 'string' && snapshotAt === '') snapshotAt = value
    // SPEC §8.4: a snapshot after tomorrow is kept without its time, so it never sets the as-of.
    if (typeof value === 'string' && value >= clock.futureFrom) {
      ;(warnings ??= []).push({
        field: fields[index].source,
        reason: `${value} is after tomorrow; the import's time is used as the snapshot time`,
      })
      values[index] = null
      if (snapshotAt === value) snapshotAt = clock.now
    }
  }
  if (warnings) for (const w of warnings) issues.push({ level: 'warning', position, sip_meta_id: sipMetaId, ...w })
  return { kind, values, snapshotAt }
}
