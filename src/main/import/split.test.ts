import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { JsonFormatError, OversizedRecord, splitRecords } from './split'

/** Feeds `text` to the splitter in chunks of `size` bytes and collects every record. */
async function split(text: string | Buffer, size = 1 << 20, batchSize = 1000): Promise<{ records: unknown[]; positions: number[] }> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
  }
  const records: unknown[] = []
  const positions: number[] = []
  for await (const batch of splitRecords(chunks(), batchSize)) {
    batch.records.forEach((r, k) => {
      records.push(r)
      positions.push(batch.firstPosition + k)
    })
  }
  return { records, positions }
}

async function failure(text: string | Buffer, size?: number): Promise<JsonFormatError> {
  const error = await split(text, size).then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(JsonFormatError)
  return error as JsonFormatError
}

const sample = [
  { a: 1, s: 'x,y]}' },
  { b: 'quote " and \\ backslash', nested: { deep: [1, [2, { c: '{' }]] } },
  { e: '₹ 1,20,000 — नमस्ते 🎉' },
]

describe('splitRecords', () => {
  it('reads a JSON array at any chunk size, with strings full of structural characters', async () => {
    const text = JSON.stringify(sample)
    for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
      const { records, positions } = await split(text, size)
      expect(records).toEqual(sample)
      expect(positions).toEqual([1, 2, 3])
    }
  })

  it('reads JSON Lines, CRLF line ends, blank lines and a byte-order mark', async () => {
    const lines = `\uFEFF${sample.map((r) => JSON.stringify(r)).join('\r\n\r\n')}\r\n`
    for (const size of [1, 5, 1 << 20]) expect((await split(lines, size)).records).toEqual(sample)
  })

  it('reads pretty-printed arrays with CRLF and a BOM split across chunks', async () => {
    const text = `\uFEFF${JSON.stringify(sample, null, 2).replaceAll('\n', '\r\n')}`
    expect((await split(text, 1)).records).toEqual(sample)
  })

  it('yields batches of the requested size with consecutive positions', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => ({ i }))
    const { records, positions } = await split(JSON.stringify(many), 4096, 1000)
    expect(records).toEqual(many)
    expect(positions).toEqual(many.map((_, i) => i + 1))
  })

  it('passes non-object elements through for the importer to reject', async () => {
    expect((await split('[1, "two", null, [3], {"ok": true}]')).records).toEqual([1, 'two', null, [3], { ok: true }])
  })

  it('keeps __proto__ as a plain own key', async () => {
    const { records } = await split('[{"__proto__": {"polluted": true}, "sip_meta_id": "1"}]')
    const record = records[0] as Record<string, unknown>
    expect(Object.hasOwn(record, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('accepts an empty array', async () => {
    expect((await split('  [ ]  \n')).records).toEqual([])
  })

  it.each([
    ['', /empty/],
    ['   \n ', /empty/],
    ['"just a string"', /expected a JSON array or JSON Lines/],
    ['42', /expected a JSON array or JSON Lines/],
    ['[{"a":1},', /ends unexpectedly/],
    ['[{"a":1}', /ends unexpectedly/],
    ['[{"a":"unterminated', /ends unexpectedly/],
    ['{"a":1}\n{"b":', /ends unexpectedly/],
    ['[{"a":1}] trailing', /after the end of the JSON array/],
    ['[{"a":1},,{"b":2}]', /missing record/],
    ['[{"a":1},]', /missing record/],
    ['[{"a":1} {"b":2}]', /invalid JSON in record 1/],
    ['[{"a":1},{"b":tru}]', /invalid JSON in record 2/],
    ['{"a":1} {"b":2}\n', /invalid JSON in record 1/],
    ['[{"a":1}}', /unexpected '}'/],
  ])('reports %j as broken', async (text, message) => {
    expect((await failure(text)).message).toMatch(message)
  })

  it('says at which byte the file broke', async () => {
    const text = '[{"a":1},\n{"b":2},\n{"c":3x}]'
    const error = await failure(text)
    expect(error.message).toMatch(/record 3/)
    expect(error.byte).toBeGreaterThanOrEqual(text.indexOf('{"c"'))
    expect(error.byte).toBeLessThanOrEqual(text.indexOf('x'))
  })

  it('reports invalid UTF-8 instead of replacing it', async () => {
    const bytes = Buffer.concat([Buffer.from('[{"a":"ok"},{"b":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}]')])
    const error = await failure(bytes)
    expect(error.message).toMatch(/invalid UTF-8 in record 2/)
  })

  it('names the byte that is not UTF-8, not the start of its record, past a U+FFFD and multi-byte text written in the file', async () => {
    const before = Buffer.from('[{"a":"ok"},{"b":"नमस्ते \uFFFD ₹')
    const bytes = Buffer.concat([before, Buffer.from([0xc3, 0x28]), Buffer.from('"}]')])
    const error = await failure(bytes)
    expect(error.message).toMatch(/invalid UTF-8 in record 2/)
    expect(error.byte).toBe(before.length)
  })

  it('handles nesting far deeper than any recursion limit', async () => {
    const depth = 100_000
    const text = `[{"deep":${'['.repeat(depth)}${']'.repeat(depth)}}]`
    const { records } = await split(text, 65536)
    expect(records).toHaveLength(1)
  })

  it('splits any array of JSON values exactly as JSON.parse reads it, at any chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue(), { maxLength: 20 }), fc.integer({ min: 1, max: 50 }), async (values, size) => {
        const text = JSON.stringify(values)
        const { records } = await split(text, size, 3)
        expect(records).toEqual(JSON.parse(text))
      }),
      { numRuns: 150 },
    )
  })
})

describe('splitRecords says on which line a pretty-printed file broke', () => {
  const records = Array.from({ length: 20 }, (_, i) => ({ sip_meta_id: String(1000 + i), user_id: `u${i}`, amount: 500, note: 'ok' }))
  const lines = JSON.stringify(records, null, 2).split('\n')
  const lineOf = (text: string, byte: number): number => text.slice(0, byte).split('\n').length
  /** The file with record 10's `user_id` line (line 58, deep in the file) damaged. */
  const target = lines.findIndex((line) => line.includes('"u9"')) + 1
  const broken = (damage: (text: string) => string): string => lines.map((text, i) => (i + 1 === target ? damage(text) : text)).join('\n')

  it.each([1, 7, 1 << 20])(
    'finds an unterminated string on its own line, not at the end of the file (chunks of %i bytes)',
    async (size) => {
      expect(target).toBe(58)
      const text = broken((line) => line.replace('"u9",', '"u9,'))
      const error = await failure(text, size)
      expect(error.message).toMatch(/unterminated string in record 10/)
      expect(lineOf(text, error.byte)).toBe(target)
    },
  )

  it.each([
    ['a bare word', (line: string) => line.replace('"u9"', 'u9')],
    ['a misspelt literal', (line: string) => line.replace('"u9"', 'nul')],
    ['a stray character', (line: string) => line.replace('"u9",', '"u9"x,')],
  ])('finds %s on its own line, not the line before', async (_name, damage) => {
    const text = broken(damage)
    const error = await failure(text)
    expect(error.message).toMatch(/invalid JSON in record 10/)
    expect(lineOf(text, error.byte)).toBe(target)
  })
})

describe('splitRecords on one record per line, the usual export', () => {
  const objects = fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 12 })
  /** How a record is laid out: on its own line, spread over lines, sharing a line with the next, or with its comma on the next line. */
  const layouts = fc.array(fc.constantFrom('line', 'spread', 'shared', 'comma-below'), { minLength: 12, maxLength: 12 })

  const arrayText = (records: object[], layout: string[]): string => {
    let text = '[\n'
    records.forEach((record, k) => {
      const last = k === records.length - 1
      const how = layout[k]
      const body = how === 'spread' ? JSON.stringify(record, null, 1) : JSON.stringify(record)
      if (last) text += `${body}\n`
      else if (how === 'shared') text += `${body}, `
      else if (how === 'comma-below') text += `${body}\n,`
      else text += `${body},\n`
    })
    return `${text}]\n`
  }

  it('reads every layout of an array exactly as JSON.parse does, at any chunk and batch size, positions in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        objects,
        layouts,
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 5 }),
        async (records, layout, size, batch) => {
          const text = arrayText(records, layout)
          const { records: read, positions } = await split(text, size, batch)
          expect(read).toEqual(JSON.parse(text))
          expect(positions).toEqual(read.map((_, k) => k + 1))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('reads JSON Lines with CRLF ends and a blank line among them', async () => {
    await fc.assert(
      fc.asyncProperty(
        objects.filter((r) => r.length > 0),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        async (records, size, blank) => {
          const lines = records.map((r) => JSON.stringify(r))
          if (blank && lines.length > 2) lines.splice(2, 0, '')
          const { records: read } = await split(lines.join('\r\n'), size, 3)
          expect(read).toEqual(lines.filter((line) => line !== '').map((line) => JSON.parse(line) as unknown))
        },
      ),
      { numRuns: 100 },
    )
  })

  const twenty = Array.from({ length: 20 }, (_, i) => JSON.stringify({ sip_meta_id: String(1000 + i), user_id: `u${i}`, amount: '5,000' }))
  const lineOf = (text: string | Buffer, byte: number): number => Buffer.from(text).subarray(0, byte).toString('latin1').split('\n').length

  it.each([1, 64, 1 << 20])('names record 10 and its line when it is broken (chunks of %i bytes)', async (size) => {
    const text = `[\n${twenty.map((line, i) => (i === 9 ? line.replace('"u9"', 'u9') : line)).join(',\n')}\n]`
    const error = await failure(text, size)
    expect(error.message).toMatch(/invalid JSON in record 10/)
    expect(lineOf(text, error.byte)).toBe(11)
  })

  it('names the byte of record 10 that is not UTF-8', async () => {
    const text = Buffer.from(`[\n${twenty.join(',\n')}\n]`)
    const at = text.indexOf('"u9"') + 2
    text[at] = 0xff
    const error = await failure(text)
    expect(error.message).toMatch(/invalid UTF-8 in record 10/)
    expect(error.byte).toBe(at)
  })

  it('reads a batch longer than one parse takes in several, whatever the layout, with the same records, positions and errors', async () => {
    // About 1.4 KB a record, as an export's: 300 of them are one batch read in several pieces.
    const lines = Array.from({ length: 300 }, (_, k) => JSON.stringify({ sip_meta_id: String(k + 1), note: 'x'.repeat(1400 + (k % 7)) }))
    const pretty = JSON.stringify(
      lines.map((line) => JSON.parse(line) as unknown),
      null,
      1,
    )
    for (const text of [`[\n${lines.join(',\n')}\n]\n`, lines.join('\n'), pretty, `[${lines.join(',')}]`]) {
      const { records, positions } = await split(text)
      expect(records).toEqual(lines.map((line) => JSON.parse(line)))
      expect(positions).toEqual(lines.map((_, k) => k + 1))
    }
    for (const separator of ['\n', ',']) {
      const body = lines.map((line, k) => (k === 249 ? line.replace('"note"', 'note') : line)).join(separator)
      const broken = separator === ',' ? `[${body}]` : body
      const error = await failure(broken)
      expect(error.message).toMatch(/invalid JSON in record 250/)
      expect(error.byte).toBe(broken.indexOf('",note') + 2)
    }
  })

  it('skips a line over the size limit, in its place, and reads the lines around it', async () => {
    const big = JSON.stringify({ sip_meta_id: 'big', note: 'x'.repeat(500) })
    const text = `[\n${[...twenty.slice(0, 5), big, ...twenty.slice(5)].join(',\n')}\n]`
    const read: unknown[] = []
    const chunks = async function* (): AsyncGenerator<Buffer> {
      yield Buffer.from(text)
    }
    for await (const batch of splitRecords(chunks(), 4, 200)) read.push(...batch.records)
    expect(read).toHaveLength(21)
    expect(read[5]).toBeInstanceOf(OversizedRecord)
    expect((read[5] as OversizedRecord).bytes).toBe(Buffer.byteLength(big))
    expect(read.filter((r) => !(r instanceof OversizedRecord))).toEqual(twenty.map((line) => JSON.parse(line)))
  })
})
