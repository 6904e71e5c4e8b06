/**
 * Metabase's API answer (SPEC §2.5, §8.9): `{"data": {"cols": [{"name": …}], "rows": [[…]]}}`, each
 * row zipped with `cols[].name`; `cols` may come after `rows`. Metabase caps this answer at 2,000
 * rows, so it is read whole (under a size cap) rather than streamed.
 */
import { counted, FileFormatError, MAX_RECORD_BYTES, type Table, type TableBatch } from './source'

/** Far above what a 2,000-row answer takes; a larger file is not one Metabase wrote. */
const MAX_ANSWER_BYTES = 256 * 1_048_576
/** Metabase's own cap on the rows of this answer. */
const METABASE_ROW_CAP = 2000
const BATCH_ROWS = 1000

export async function readApiAnswer(content: AsyncIterable<Buffer>): Promise<Table> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of content) {
    size += chunk.length
    if (size > MAX_ANSWER_BYTES)
      throw new FileFormatError(
        `API answer: over ${MAX_ANSWER_BYTES / 1_048_576} MB, more than Metabase sends; download the question as JSON or CSV instead`,
      )
    chunks.push(chunk)
  }
  let answer: unknown
  try {
    answer = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)))
  } catch (error) {
    throw new FileFormatError(`API answer: not valid JSON (${(error as Error).message.slice(0, 120)})`)
  }
  const data = (answer as { data?: { cols?: unknown; rows?: unknown } }).data
  const cols: unknown = data?.cols
  const rows: unknown = data?.rows
  if (!Array.isArray(cols) || !Array.isArray(rows)) throw new FileFormatError('API answer: "data" lacks its "cols" and "rows" lists')
  const header = cols.map((col: unknown, i) => {
    const name = (col as { name?: unknown } | null)?.name
    if (typeof name !== 'string') throw new FileFormatError(`API answer: column ${i + 1} of "cols" has no name`)
    return name
  })
  const list: unknown[] = rows
  async function* batches(): AsyncGenerator<TableBatch, void, undefined> {
    for (let from = 0; from < list.length; from += BATCH_ROWS) {
      const batch: TableBatch = { rows: [], positions: [], refused: [], bytesConsumed: size }
      for (let i = from; i < Math.min(list.length, from + BATCH_ROWS); i++) {
        const row: unknown = list[i]
        const position = i + 1
        if (!Array.isArray(row)) batch.refused.push({ position, reason: `API answer row ${counted(position)}: not a list of values` })
        else if (row.length !== header.length) {
          batch.refused.push({
            position,
            reason: `API answer row ${counted(position)}: ${row.length} values where "cols" has ${header.length}`,
          })
        } else if (Buffer.byteLength(JSON.stringify(row)) > MAX_RECORD_BYTES) {
          batch.refused.push({ position, reason: `API answer row ${counted(position)}: over 1 MB` })
        } else {
          batch.rows.push(row as unknown[])
          batch.positions.push(position)
        }
      }
      yield batch
    }
  }
  return {
    format: 'API answer',
    header,
    batches: batches(),
    notice:
      rows.length === METABASE_ROW_CAP
        ? `the answer has exactly ${counted(METABASE_ROW_CAP)} rows, Metabase's cap for it: it may be partial; download the question as JSON or CSV for all rows`
        : undefined,
  }
}
