import { stringify } from 'csv-stringify/sync'
import type { ImportIssue } from './types'
import type { Opportunity } from './detection'

/** Text a spreadsheet would run as a formula (OWASP "CSV injection"): it starts with one of these. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/

/** A text cell a spreadsheet shows as typed: a leading `'` keeps `=HYPERLINK(…)` or `+91…` from being read as a formula. */
export const neutraliseCell = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text)

/**
 * CSV that spreadsheets open as UTF-8 (byte-order mark first), one header row. Text cells are
 * neutralised (numbers stay numbers, so a negative amount is still a number); booleans are
 * written `true`/`false`.
 */
export const toCsv = (header: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  `\uFEFF${stringify([header as unknown[], ...(rows as unknown[][])], {
    record_delimiter: 'windows',
    cast: { string: neutraliseCell, boolean: (value) => (value ? 'true' : 'false') },
  })}`

export const issuesCsv = (issues: readonly ImportIssue[]): string =>
  toCsv(
    ['position', 'level', 'sip_meta_id', 'field', 'reason'],
    issues.map((i) => [i.position, i.level, i.sip_meta_id ?? '', i.field ?? '', i.reason]),
  )

const OPPORTUNITY_FIELDS = [
  'type',
  'user_id',
  'client_name',
  'phone_number',
  'agent_id',
  'agent_external_id',
  'agent_name',
  'sip_meta_ids',
  'current_sip_amount',
  'potential_value',
  'annual_value',
  'total_invested',
  'failed_amount',
  'last_activity_date',
  'days_since_activity',
  'score',
  'status',
  'next_action_date',
  'monthly_increase',
  'expected_increments',
  'running_months',
  'failure_rate',
  'currently_failing',
  'mandate_missing',
  'missed_instalments',
  'final_warning',
  'ceased',
  'next_debit_date',
  'end_date',
  'days_left',
  'description',
] as const satisfies readonly (keyof Opportunity)[]

/** Opportunities as CSV: the §3.5 fields, amounts as plain numbers, SIP ids separated by ';'. */
export const opportunitiesCsv = (rows: readonly Opportunity[]): string =>
  toCsv(
    OPPORTUNITY_FIELDS,
    rows.map((o) => OPPORTUNITY_FIELDS.map((field) => (field === 'sip_meta_ids' ? o.sip_meta_ids.join(';') : (o[field] ?? '')))),
  )
