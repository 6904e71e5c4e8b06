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

/**
 * Text from the book (a client's name, a note, a file name) with its control characters (C0, DEL,
 * C1, ESC among them) shown as `\xNN`, so it cannot drive the terminal: retitle the window, move
 * the cursor, write the clipboard (OSC 52). Newlines are kept unless `newlines` is false.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g
export function escapeControls(text: string, { newlines = true } = {}): string {
  return text.replace(CONTROLS, (c) => (newlines && c === '\n' ? c : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`))
}

/** Plain text on stdout, as a line: every report's and command's words go out through here. */
export const say = (text = ''): void => void process.stdout.write(`${escapeControls(text)}\n`)

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
  const cells = rows.map((row) =>
    columns.map((c) => escapeControls(tableValue ? tableValue(c, row) : String(c.value(row) ?? '—'), { newlines: false })),
  )
  // A loop, not Math.max(...cells): a spread of a large book's rows overflows the call stack.
  const widths = columns.map((c) => c.header.length)
  for (const row of cells) row.forEach((cell, i) => (widths[i] = Math.max(widths[i], [...cell].length)))
  const line = (values: string[]): string =>
    values
      .map((v, i) => (columns[i].numeric ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n'
}
