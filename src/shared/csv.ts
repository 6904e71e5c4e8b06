import { stringify } from 'csv-stringify/sync'
import type { ImportIssue } from './types'

/** CSV that spreadsheets open as UTF-8 (byte-order mark first), one header row. */
export const toCsv = (header: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  `\uFEFF${stringify([header as unknown[], ...(rows as unknown[][])], { record_delimiter: 'windows' })}`

export const issuesCsv = (issues: readonly ImportIssue[]): string =>
  toCsv(
    ['position', 'level', 'sip_meta_id', 'field', 'reason'],
    issues.map((i) => [i.position, i.level, i.sipMetaId ?? '', i.field ?? '', i.reason]),
  )
