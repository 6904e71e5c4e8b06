/**
 * CSV exports (SPEC §2.5, §8.5): RFC 4180 through csv-parse, read as a stream. The text is UTF-8
 * (with or without BOM), UTF-16 LE/BE with a BOM (Excel's "Unicode text"), else Windows-1252; the
 * delimiter (comma, semicolon or tab) is the one the header line uses. A row's position is the
 * line where it starts.
 */
import { pipeline, Readable } from 'node:stream'
import { CsvError, parse, type Info, type Options } from 'csv-parse'
import { counted, FileFormatError, MAX_RECORD_BYTES, oversizedReason, type Table, type TableBatch } from './source'

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

/** Stands in for a record over the size limit: a quoted field of this mark, its size and its line breaks. */
const OVERSIZED = '\u0000oversized:'

/**
 * SPEC §8.9: a record over 1 MB is rejected without being held. Passes the text on record by
 * record, holding at most the current record up to the limit; a record past it is dropped as it
 * streams and stands in the text as one quoted field `OVERSIZED<bytes>` followed by the record's
 * own line breaks, so the parser counts lines as before. The header row must fit.
 */
async function* oversizedSkipped(text: AsyncIterable<string>): AsyncGenerator<string> {
  let quoted = false
  let held = '' // the current record so far, while within the limit
  let heldBytes = 0
  let skipping = false
  let skippedBytes = 0
  let skippedBreaks = ''
  let header = true
  const over = (bytes: number): boolean => bytes > MAX_RECORD_BYTES
  /** Takes `part` (a record's text, or a piece of one) into the current record; only long records and chunks' last records come here. */
  const take = (part: string): void => {
    if (skipping) {
      skippedBytes += Buffer.byteLength(part)
      skippedBreaks += part.replace(/[^\r\n]/g, '')
      return
    }
    heldBytes += Buffer.byteLength(part)
    if (!over(heldBytes)) {
      held += part
      return
    }
    if (header) throw new FileFormatError(`CSV line 1: the header row is larger than ${MAX_RECORD_BYTES / 1_048_576} MB`)
    skipping = true
    skippedBytes = Buffer.byteLength(held) + Buffer.byteLength(part)
    skippedBreaks = (held + part).replace(/[^\r\n]/g, '')
    held = ''
  }
  /** The current record as the parser gets it, closing its quote unless the file ends inside one. */
  const record = (close: boolean): string => {
    // A CRLF record end's CR stays after the stand-in, outside its quotes.
    const cr = skipping && skippedBreaks.endsWith('\r') ? '\r' : ''
    const text = skipping
      ? `"${OVERSIZED}${skippedBytes - cr.length}${skippedBreaks.slice(0, skippedBreaks.length - cr.length)}${close ? '"' : ''}${cr}`
      : held
    held = ''
    heldBytes = 0
    skipping = false
    skippedBreaks = ''
    return text
  }
  for await (const chunk of text) {
    const pieces: string[] = []
    let emitted = 0 // the chunk's text before this is passed on or taken
    let start = 0 // where the current record starts in the chunk
    for (let at = 0; at < chunk.length;) {
      const quote = chunk.indexOf('"', at)
      if (quoted) {
        if (quote < 0) break
        quoted = false
        at = quote + 1
        continue
      }
      const end = chunk.indexOf('\n', at)
      if (end >= 0 && (quote < 0 || end < quote)) {
        // Most records are short and whole in one chunk: they pass on with the chunk's text.
        if (held !== '' || skipping || (end - start) * 3 > MAX_RECORD_BYTES) {
          pieces.push(chunk.slice(emitted, start))
          take(chunk.slice(start, end))
          pieces.push(`${record(true)}\n`)
          emitted = end + 1
        }
        header = false
        start = at = end + 1
      } else if (quote >= 0) {
        quoted = true
        at = quote + 1
      } else break
    }
    pieces.push(chunk.slice(emitted, start))
    take(chunk.slice(start))
    yield pieces.join('')
  }
  yield record(!quoted)
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
  const parser = parse(options as unknown as Options)
  // pipeline, not pipe: a refusal of the text (not UTF-8, a header over the limit) reaches the parser's reader.
  pipeline(Readable.from(oversizedSkipped(decoded(counting(), encoding, () => lastEnd))), parser, () => {})
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
        const oversized =
          record.row.length === 1 && record.row[0].startsWith(OVERSIZED) ? parseInt(record.row[0].slice(OVERSIZED.length)) : null
        if (oversized !== null) {
          batch.refused.push({ position: record.line, reason: `CSV line ${counted(record.line)}: ${oversizedReason(oversized)}` })
        } else if (record.row.length === width) {
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
