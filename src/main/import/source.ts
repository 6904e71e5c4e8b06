/**
 * What every format's reader hands the parser (SPEC §2.5): batches of records in file order. JSON
 * records are objects told apart by their own keys; the rows of a table (CSV, XLSX, the API
 * answer) are arrays in the order of its header, read by one shape for the whole file.
 */
import { MAX_RECORD_BYTES } from './valueDomain'

/** A file that cannot be read as its format; the message already says where (`CSV line 1,204: …`). */
export class FileFormatError extends Error {}

export interface TableBatch {
  rows: unknown[][]
  /** Position in the report of each row: the CSV line where it starts, the sheet's row, the answer's row. */
  positions: number[]
  /** Rows refused while reading (ragged, too large), already reported with their position. */
  refused: { position: number; reason: string }[]
  bytesConsumed: number
}

export interface Table {
  /** 'CSV', 'XLSX' or 'API answer': how errors and reports name the format. */
  format: string
  header: string[]
  batches: AsyncGenerator<TableBatch, void, undefined>
  /** A warning about the whole file (the API answer capped at 2,000 rows), reported at position 0. */
  notice?: string
}

/** SPEC §8.9: one record at most 1 MB of text. */
export { MAX_RECORD_BYTES } from './valueDomain'

/** SPEC §8.9: why a record over the size limit, skipped unread by its reader, is rejected. */
export const oversizedReason = (bytes: number): string =>
  `record is larger than ${(MAX_RECORD_BYTES / 1_048_576).toFixed(1)} MB (${bytes.toLocaleString('en-IN')} bytes); skipped unread`

/** A count as the reports write it, grouped the Indian way (1,20,400). */
export const counted = (n: number): string => n.toLocaleString('en-IN')
