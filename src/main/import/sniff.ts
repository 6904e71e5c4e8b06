/**
 * Tells an export's format by its content, not its name (SPEC §2.5): a zip is XLSX; `[` or `{`
 * is JSON (an object whose first key is "data" is Metabase's API answer); text whose first line
 * has a delimiter is CSV; anything else is left to the JSON reader, which refuses it naming what it found.
 */
export type Format = 'json' | 'api' | 'csv' | 'xlsx'

/** Enough of the start to see a header line or the API answer's first key. */
export const SNIFF_BYTES = 65_536

/** The first `bytes` of a stream (fewer at its end), and the whole stream again. */
export async function peek(content: AsyncIterable<Buffer>, bytes = SNIFF_BYTES): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  const iterator = content[Symbol.asyncIterator]()
  const seen: Buffer[] = []
  let size = 0
  let done = false
  while (size < bytes) {
    const next = await iterator.next()
    if (next.done) {
      done = true
      break
    }
    seen.push(next.value)
    size += next.value.length
  }
  const head = Buffer.concat(seen)
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head
    if (done) return
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
  }
  return { head, all: all() }
}

const API_ANSWER = /^\{\s*"data"\s*:/

export function formatOf(head: Buffer): Format {
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'xlsx'
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)
  if (utf16) return 'csv'
  const text = head
    .toString('latin1')
    .replace(/^\u00ef\u00bb\u00bf/, '')
    .trimStart()
  if (text.startsWith('[')) return 'json'
  if (text.startsWith('{')) return API_ANSWER.test(text) ? 'api' : 'json'
  // A text whose first line has a delimiter is CSV; anything else goes to the JSON reader, whose refusal names what it found.
  const firstLine = text.slice(0, 4096).split(/[\r\n]/, 1)[0]
  // eslint-disable-next-line no-control-regex
  if (text === '' || /[\x00-\x08\x0e-\x1f]/.test(text.slice(0, 4096)) || !/[,;\t]/.test(firstLine)) return 'json'
  return 'csv'
}
