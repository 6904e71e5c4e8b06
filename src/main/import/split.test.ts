import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { JsonFormatError, splitRecords } from './split'

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
