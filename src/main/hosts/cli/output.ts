import { toCsv } from '../../../shared/csv'
import { UsageError } from './args'

export type Format = 'table' | 'json' | 'csv'

export const FORMATS: readonly Format[] = ['table', 'json', 'csv']

export function parseFormat(value: string | undefined): Format {
  const format = (value ?? 'table') as Format
  if (!FORMATS.includes(format)) throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got "${value}"`)
  return format
}

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
