import { toCsv } from '../../../shared/csv'

export const FORMATS = ['table', 'json', 'csv'] as const

/** The options every report shares. */
export const REPORT_OPTIONS = {
  'as-of': { type: 'string', value: 'YYYY-MM-DD', help: 'judge as of this date (default: the as-of date in settings)' },
  format: { type: 'string', choices: FORMATS, help: 'table for a terminal (default), json, or csv for a spreadsheet' },
} as const

/** Money columns, shown in rupees in a table and as plain numbers in CSV and JSON. */
export const MONEY = new Set([
  'current_sip_amount',
  'potential_value',
  'total_invested',
  'failed_amount',
  'monthly_sip_amount',
  'annual_value',
  'annual_at_stake',
  'monthly_amount',
])

/** Pretty-printed JSON, the `--format json` of every report. */
export const printJson = (value: unknown): void => console.log(JSON.stringify(value, null, 2))

export interface Column<T> {
  header: string
  value(row: T): string | number | boolean | null | undefined
  /** Right-align (numbers) in tables. */
  numeric?: boolean
}

/** Rows as an aligned text table for a terminal, or as CSV (UTF-8 with BOM, plain numbers). */
export function render<T>(
  format: 'table' | 'csv',
  columns: readonly Column<T>[],
  rows: readonly T[],
  tableValue?: (column: Column<T>, row: T) => string,
): string {
  if (format === 'csv')
    return toCsv(
      columns.map((c) => c.header),
      rows.map((row) => columns.map((c) => c.value(row) ?? '')),
    )
  const cells = rows.map((row) => columns.map((c) => (tableValue ? tableValue(c, row) : String(c.value(row) ?? '—'))))
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => [...r[i]].length)))
  const line = (values: string[]): string =>
    values
      .map((v, i) => (columns[i].numeric ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n'
}
