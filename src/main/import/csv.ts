/**
 * CSV exports (SPEC §2.5, §8.5): RFC 4180 through csv-parse, read as a stream. The text is UTF-8
 * (with or without BOM), UTF-16 LE/BE with a BOM (Excel's "Unicode text"), else Windows-1252; the
 * delimiter (comma, semicolon or tab) is the one the header line uses. A row's position is the
 * line where it starts.
 */
import { Readable } from 'node:stream'
import { CsvError, parse, type Info, type Options } from 'csv-parse'
import { counted, FileFormatError, MAX_RECORD_BYTES, type Table, type TableBatch } from './source'

const BATCH_ROWS = 1000

interface Encoding {
  name: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'
  bomBytes: number
}

/** SPEC §8.5: the BOM says, else the first bytes are UTF-8 or they are Windows-1252. */
export function encodingOf(head: Buffer): Encoding {
  if (head[0] === 0xff && head[1] === 0xfe) return { name: 'utf-16le', bomBytes: 2 }
  if (head[0] === 0xfe && head[1] === 0xff) return { name: 'utf-16be', bomBytes: 2 }
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { name: 'utf-8', bomBytes: 3 }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true })
    return { name: 'utf-8', bomBytes: 0 }
  } catch {
    return { name: 'windows-1252', bomBytes: 0 }
  }
}

/** The delimiter the header line uses most, outside quotes (comma when it uses none). */
export function delimiterOf(text: string): string {
  const counts = new Map([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ])
  let quoted = false
  for (const c of text) {
    if (c === '"') quoted = !quoted
    else if (!quoted && (c === '\n' || c === '\r')) break
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1)
  }
  return [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0]
}

async function* decoded(content: AsyncIterable<Buffer>, encoding: Encoding, line: () => number): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding.name, { fatal: encoding.name === 'utf-8', ignoreBOM: false })
  try {
    for await (const chunk of content) yield decoder.decode(chunk, { stream: true })
    yield decoder.decode()
  } catch (error) {
    if (error instanceof TypeError) throw new FileFormatError(`CSV after line ${counted(line())}: the text is not valid UTF-8`)
    throw error
  }
}

const REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'unterminated quoted field',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted field goes on after its closing quote',
  CSV_QUOTE_UNEXPECTED: 'a quote inside a field that is not quoted',
  CSV_MAX_RECORD_SIZE: `a record over ${MAX_RECORD_BYTES / 1_048_576} MB`,
}

/**
 * Reads a CSV export whose first bytes are `head` and whose whole content is `content` (`head`
 * included). Resolves once the header row is read.
 */
export async function readCsv(head: Buffer, content: AsyncIterable<Buffer>): Promise<Table> {
  const encoding = encodingOf(head)
  const delimiter = delimiterOf(new TextDecoder(encoding.name).decode(head.subarray(0, 65536)))
  // Where each record starts, tracked as the parser finishes it (the reader may lag behind).
  let lastEnd = 0
  let lastEmpty = 0
  let bytesConsumed = 0
  const counting = async function* (): AsyncGenerator<Buffer> {
    for await (const chunk of content) {
      bytesConsumed += chunk.length
      yield chunk
    }
  }
  const startOf = (info: { lines: number; empty_lines: number }): number => lastEnd + 1 + (info.empty_lines - lastEmpty)
  const options: Options<{ row: string[]; line: number }, string[]> = {
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
    on_record: (record: string[], info) => {
      const line = startOf(info)
      lastEnd = info.lines
      lastEmpty = info.empty_lines
      return { row: record, line }
    },
  }
  const parser = Readable.from(decoded(counting(), encoding, () => lastEnd)).pipe(parse(options as unknown as Options))
  const records = (parser as AsyncIterable<{ row: string[]; line: number }>)[Symbol.asyncIterator]()
  /** The next record and the line it starts on; null at the end. */
  const next = async (): Promise<{ row: string[]; line: number } | null> => {
    try {
      const result = await records.next()
      return result.done ? null : result.value
    } catch (error) {
      if (!(error instanceof CsvError)) throw error
      throw new FileFormatError(`CSV line ${counted(startOf(error as unknown as Info))}: ${REASONS[error.code] ?? error.message}`)
    }
  }
  const first = await next()
  if (!first) throw new FileFormatError('CSV: the file has no header row')
  const header = first.row.map((name) => name.trim())
  const width = header.length
  async function* batches(): AsyncGenerator<TableBatch, void, undefined> {
    try {
      let batch: TableBatch = { rows: [], positions: [], refused: [], bytesConsumed: 0 }
      for (let record = await next(); record; record = await next()) {
        if (record.row.length === width) {
          batch.rows.push(record.row)
          batch.positions.push(record.line)
        } else {
          batch.refused.push({
            position: record.line,
            reason: `CSV line ${counted(record.line)}: ${record.row.length} fields where the header has ${width}`,
          })
        }
        if (batch.rows.length + batch.refused.length >= BATCH_ROWS) {
          batch.bytesConsumed = bytesConsumed
          yield batch
          batch = { rows: [], positions: [], refused: [], bytesConsumed: 0 }
        }
      }
      batch.bytesConsumed = bytesConsumed
      yield batch
    } finally {
      parser.destroy()
    }
  }
  return { format: 'CSV', header, batches: batches() }
}
