/**
 * Streaming record splitter: turns the bytes of a JSON array or a JSON Lines file into batches of
 * parsed records without ever holding the whole file. A small state machine (depth, in-string)
 * finds where each top-level element starts and ends; each batch of elements is decoded once
 * (strict UTF-8) and handed to one `JSON.parse`, which also validates everything between them.
 * Structural bytes are ASCII and never occur inside a multi-byte UTF-8 sequence, so scanning
 * bytes is exact and every position reported is a true byte offset.
 */

import { isAscii } from 'node:buffer'
import { MAX_RECORD_BYTES } from './valueDomain'

export class JsonFormatError extends Error {
  constructor(
    message: string,
    /** Byte offset in the file where the problem was found. */
    readonly byte: number,
  ) {
    super(message)
  }
}

/** A record too large to read (SPEC §8.9): skipped by the reader, reported in its place with its size. */
export class OversizedRecord {
  constructor(readonly bytes: number) {}
}

export interface RecordBatch {
  /** Parsed top-level elements, in file order; an element over `maxRecordBytes` is an `OversizedRecord`. */
  records: unknown[]
  /** 1-based position in the file of `records[0]`. */
  firstPosition: number
  /** Bytes of the file consumed so far. */
  bytesConsumed: number
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const NEWLINE = 0x0a
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09

const describeByte = (c: number): string =>
  c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`

const decoder = new TextDecoder('utf-8', { fatal: true })
const lenient = new TextDecoder('utf-8')

/** Strict UTF-8 decoding; ASCII bytes (most exports) are copied as they are, several times faster than the decoder. */
const decodeStrict = (bytes: Buffer): string => (isAscii(bytes) ? bytes.toString('latin1') : decoder.decode(bytes))

/** Where the first byte that is not valid UTF-8 sits in `bytes` (the bytes before it decode, so their length is exact). */
function firstInvalidByte(bytes: Buffer): number {
  const text = lenient.decode(bytes)
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) {
    const at = Buffer.byteLength(text.slice(0, i))
    // A U+FFFD written in the file itself (EF BF BD) is text, not an error.
    if (!(bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd)) return at
  }
  return 0
}

/**
 * About the most bytes of records handed to one `JSON.parse` (a batch is parsed in pieces): V8 keeps
 * a string over 128 KB in a space of its own, mapped and unmapped for each one, so a batch parsed in
 * one piece cost a page fault per 4 KB of it.
 */
const PARSE_PIECE_BYTES = 96 * 1024

const POSITION = /at position (\d+)/

/**
 * Where in `text` `JSON.parse` gives up. V8 names a position for most errors but not for an
 * unexpected token (`{"a":x}`); then the answer is the end of the shortest prefix that fails
 * for a reason other than ending early.
 */
function failureOffset(text: string, error: Error): number {
  const at = POSITION.exec(error.message)
  if (at) return Number(at[1])
  const failsWithin = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length))
      return false
    } catch (e) {
      const message = (e as Error).message
      const position = POSITION.exec(message)
      return position ? Number(position[1]) < length : !message.startsWith('Unexpected end of JSON input')
    }
  }
  let low = 1
  let high = text.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (failsWithin(middle)) high = middle
    else low = middle + 1
  }
  return low - 1
}

/** Drops a leading UTF-8 byte-order mark, however the first bytes are chunked. */
async function* withoutBom(chunks: AsyncIterable<Buffer>, onBom: () => void): AsyncGenerator<Buffer> {
  let head: Buffer | null = Buffer.alloc(0)
  for await (const chunk of chunks) {
    if (head === null) {
      yield chunk
      continue
    }
    head = Buffer.concat([head, chunk])
    if (head.length < 3) continue
    const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf
    if (bom) onBom()
    yield bom ? head.subarray(3) : head
    head = null
  }
  if (head && head.length > 0) yield head
}

/**
 * The records of a JSON array or JSON Lines stream, in batches of `batchSize`. An element longer
 * than `maxRecordBytes` is scanned (for where it ends) but not kept: it comes as an
 * `OversizedRecord` in its place, so memory stays bounded by the limit whatever the file holds.
 */
export async function* splitRecords(
  chunks: AsyncIterable<Buffer>,
  batchSize = 1000,
  maxRecordBytes = MAX_RECORD_BYTES,
): AsyncGenerator<RecordBatch, void, undefined> {
  let buf: Buffer = Buffer.alloc(0)
  /** File offset of buf[0]. */
  let base = 0
  let scan = 0
  let mode: 'unknown' | 'array' | 'lines' = 'unknown'
  let ended = false
  let depth = 0
  let inString = false
  let elementStart = -1
  /** Array mode: a ',' was seen, so another element must follow. */
  let expectElement = false
  let batchFrom = -1
  let batchTo = -1
  let batchCount = 0
  /** Lines mode: offsets of the newline that ends each element but the last of the batch. */
  let separators: number[] = []
  /** 1-based position of the batch's first record. */
  let position = 1
  /** Records of this batch already parsed (those before an oversized one, and its marker). */
  let ready: unknown[] = []
  /** File offset where the element being skipped (over the limit) started; -1 when none is. */
  let oversizedFrom = -1

  const parseBatch = (): unknown[] => {
    let bytes = buf.subarray(batchFrom, batchTo)
    if (separators.length > 0) {
      bytes = Buffer.from(bytes)
      for (const s of separators) bytes[s - batchFrom] = COMMA
    }
    let text: string
    try {
      text = decodeStrict(bytes)
    } catch {
      throw locateBadElement('invalid UTF-8')
    }
    try {
      const records = JSON.parse(`[${text}]`) as unknown[]
      if (records.length !== batchCount) throw new SyntaxError('elements are not separated properly')
      return records
    } catch {
      throw locateBadElement('invalid JSON')
    }
  }

  /** Parses the batch's elements one by one to say which one broke and where. */
  const locateBadElement = (what: string): JsonFormatError => {
    const first = position + ready.length
    const bounds = [batchFrom, ...separators.map((s) => s + 1)]
    const text = buf.subarray(batchFrom, batchTo)
    if (mode === 'array') {
      bounds.length = 0
      let d = 0
      let s = false
      bounds.push(batchFrom)
      for (let i = 0; i < text.length; i++) {
        const c = text[i]
        if (s) {
          if (c === BACKSLASH) i++
          else if (c === QUOTE) s = false
        } else if (c === QUOTE) s = true
        else if (c === 0x7b || c === 0x5b) d++
        else if (c === 0x7d || c === 0x5d) d--
        else if (c === COMMA && d === 0) bounds.push(batchFrom + i + 1)
      }
    }
    for (let k = 0; k < bounds.length; k++) {
      const start = bounds[k]
      const end = k + 1 < bounds.length ? bounds[k + 1] - 1 : batchTo
      const slice = buf.subarray(start, end)
      let element: string
      try {
        element = decoder.decode(slice)
      } catch {
        return new JsonFormatError(`invalid UTF-8 in record ${first + k}`, base + start + firstInvalidByte(slice))
      }
      try {
        JSON.parse(element)
      } catch (error) {
        const offset = Buffer.byteLength(element.slice(0, failureOffset(element, error as Error)))
        // The caller gives the line and byte, so V8's position and echo of the input are dropped.
        const detail = (error as Error).message
          .replace(/(, ".*"(\.\.\.)? is not valid JSON| in JSON at position \d+.*)$/s, '')
          .replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
          .slice(0, 160)
        return new JsonFormatError(`${what} in record ${first + k}: ${detail}`, base + start + offset)
      }
    }
    return new JsonFormatError(`${what} in records ${first}–${first + batchCount - 1}`, base + batchFrom)
  }

  /** Parses the elements gathered so far into `ready`, so the next ones need not follow them in `buf`. */
  const parsePending = (): void => {
    if (batchCount === 0) return
    for (const record of parseBatch()) ready.push(record)
    batchFrom = batchTo = -1
    batchCount = 0
    separators = []
  }

  /** The element under way has passed the limit: it is skipped from here on. */
  const startSkipping = (): void => {
    parsePending()
    oversizedFrom = base + elementStart
  }

  const closeElement = (end: number): void => {
    if (oversizedFrom < 0 && end - elementStart > maxRecordBytes) startSkipping()
    if (oversizedFrom >= 0) {
      ready.push(new OversizedRecord(base + end - oversizedFrom))
      oversizedFrom = -1
      elementStart = -1
      return
    }
    let last = end
    while (last > elementStart && isSpace(buf[last - 1])) last--
    if (batchFrom < 0) batchFrom = elementStart
    else if (mode === 'lines') separators.push(batchTo)
    batchTo = last
    batchCount++
    elementStart = -1
    if (batchTo - batchFrom >= PARSE_PIECE_BYTES) parsePending()
  }

  const pendingCount = (): number => ready.length + batchCount

  /** Cleared once a file's lines are not one record each: the scan below then reads the rest. */
  let recordPerLine = true
  /** File offset before which no line qualifies (one that did not, or that has not ended yet): keeps the search for line ends linear. */
  let noWholeLineBefore = 0

  /**
   * Most exports hold one record per line. From a record's first byte at `from`, the complete lines
   * that look like one record each (`{…}` in JSON Lines, `{…},` in an array), up to the batch's
   * size, are read with one `JSON.parse` of those bytes as they are, and kept when it finds as many
   * records as lines: the records are then exactly the file's, found without scanning their bytes.
   * Anything else (an error, several records on a line) leaves every state as it was and turns
   * this off for the file: the scan below reads it and says what is wrong. Returns the offset after
   * the lines read, or -1.
   */
  const readWholeLines = (from: number): number => {
    if (base + from < noWholeLineBefore) return -1
    let count = 0
    let lastEnd = -1
    let at = from
    while (count < batchSize - pendingCount() && at - from < PARSE_PIECE_BYTES && buf[at] === 0x7b) {
      const newline = buf.indexOf(NEWLINE, at)
      let end = newline === -1 ? -1 : newline
      while (end > at && isSpace(buf[end - 1])) end--
      // In an array, a record whose comma is not on its own line is left to the scan.
      if (mode === 'array' && buf[end - 1] === COMMA) end--
      else if (mode === 'array') end = -1
      if (end === -1 || end - at > maxRecordBytes || buf[end - 1] !== 0x7d) {
        noWholeLineBefore = base + (newline === -1 ? buf.length : newline)
        break
      }
      count++
      lastEnd = end
      at = newline + 1
    }
    if (count === 0) return -1
    let records: unknown[] | null = null
    try {
      let text = decodeStrict(buf.subarray(from, lastEnd))
      if (mode === 'lines') text = text.replaceAll('\n', ',')
      records = JSON.parse(`[${text}]`) as unknown[]
    } catch {
      // The scan finds where and why.
    }
    if (records?.length !== count) {
      recordPerLine = false
      return -1
    }
    parsePending()
    for (const record of records) ready.push(record)
    expectElement = mode === 'array'
    return mode === 'array' ? lastEnd + 1 : lastEnd
  }

  const flush = (): RecordBatch | null => {
    if (pendingCount() === 0) return null
    const bytesConsumed = base + (batchCount > 0 ? batchTo : scanned)
    let records: unknown[]
    if (ready.length === 0) {
      records = parseBatch()
      batchFrom = batchTo = -1
      batchCount = 0
      separators = []
    } else {
      parsePending()
      records = ready
      ready = []
    }
    const batch = { records, firstPosition: position, bytesConsumed }
    position += records.length
    return batch
  }

  /** Offset in `buf` up to which it has been scanned (for the bytes a batch accounts for). */
  let scanned = 0
  for await (const chunk of withoutBom(chunks, () => (base = 3))) {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk])
    const len = buf.length
    let i = scan
    /** Index in `buf` of the next line feed at or after the scan (`len` when there is none). */
    let newlineAt = -1
    while (i < len) {
      if (inString) {
        const q = buf.indexOf(QUOTE, i)
        if (newlineAt < i) {
          const found = buf.indexOf(NEWLINE, i)
          newlineAt = found === -1 ? len : found
        }
        // A line feed cannot be inside a JSON string: the string was left open on that line.
        if (newlineAt < (q === -1 ? len : q)) {
          throw new JsonFormatError(`unterminated string in record ${position + pendingCount()}: the line ends inside it`, base + newlineAt)
        }
        if (q === -1) {
          i = len
          break
        }
        let k = q - 1
        while (buf[k] === BACKSLASH) k--
        i = q + 1
        if ((q - 1 - k) % 2 === 0) inString = false
        continue
      }
      const c = buf[i]
      if (isSpace(c)) {
        if (c === NEWLINE && mode === 'lines' && depth === 0 && elementStart >= 0) {
          closeElement(i)
          if (pendingCount() >= batchSize) {
            scanned = i
            const batch = flush()
            if (batch) yield batch
          }
        }
        i++
        continue
      }
      if (ended) throw new JsonFormatError(`unexpected ${describeByte(c)} after the end of the JSON array`, base + i)
      if (mode === 'unknown') {
        if (c === 0x5b) {
          mode = 'array'
          depth = 1
          i++
          continue
        }
        if (c !== 0x7b) {
          throw new JsonFormatError(`expected a JSON array or JSON Lines of objects, found ${describeByte(c)}`, base + i)
        }
        mode = 'lines'
      }
      const top = mode === 'array' ? 1 : 0
      if (recordPerLine && c === 0x7b && depth === top && elementStart < 0 && oversizedFrom < 0) {
        const next = readWholeLines(i)
        if (next >= 0) {
          i = next
          if (pendingCount() >= batchSize) {
            scanned = i
            const batch = flush()
            if (batch) yield batch
          }
          continue
        }
      }
      if (depth === top && elementStart < 0) {
        if (mode === 'array' && (c === COMMA || c === 0x5d)) {
          if (c === 0x5d && !expectElement) {
            depth = 0
            ended = true
            i++
            continue
          }
          throw new JsonFormatError(`missing record before ${describeByte(c)}`, base + i)
        }
        elementStart = i
        expectElement = false
      }
      if (c === QUOTE) inString = true
      else if (c === 0x7b || c === 0x5b) depth++
      else if (c === 0x7d || c === 0x5d) {
        if (depth > top) {
          depth--
        } else if (mode === 'array' && c === 0x5d) {
          closeElement(i)
          depth = 0
          ended = true
        } else {
          throw new JsonFormatError(`unexpected ${describeByte(c)}`, base + i)
        }
      } else if (c === COMMA && depth === top && mode === 'array') {
        closeElement(i)
        expectElement = true
        if (pendingCount() >= batchSize) {
          i++
          scanned = i
          const batch = flush()
          if (batch) yield batch
          continue
        }
      }
      i++
    }
    if (oversizedFrom < 0 && elementStart >= 0 && i - elementStart > maxRecordBytes) startSkipping()
    scanned = i
    const batch = flush()
    // Keep only the unfinished element (if any, and within the limit) for the next chunk.
    const keepFrom = elementStart >= 0 && oversizedFrom < 0 ? elementStart : i
    buf = buf.subarray(keepFrom)
    base += keepFrom
    scan = i - keepFrom
    if (elementStart >= 0) elementStart = 0
    if (batch) yield batch
  }

  if (mode === 'lines' && elementStart >= 0 && depth === 0 && !inString) closeElement(buf.length)
  scanned = buf.length
  const batch = flush()
  if (batch) yield batch
  const end = base + buf.length
  if (mode === 'unknown') throw new JsonFormatError('the file is empty', end)
  if (inString || depth > 0 || (mode === 'array' && !ended)) {
    throw new JsonFormatError(
      `the file ends unexpectedly: record ${position + pendingCount()} is incomplete or the array is not closed`,
      end,
    )
  }
}
