import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import { MAX_INFLATED_BYTES } from './valueDomain'
import { inflationGuard } from './xlsx'

const discard = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() })

/** `pieces` times the same buffer: gigabytes through a stream without holding them. */
const repeated = (chunk: Buffer, pieces: number): Readable =>
  Readable.from(
    (function* () {
      for (let i = 0; i < pieces; i++) yield chunk
    })(),
  )

describe('the caps on inflated content (SPEC §2.4, issue #26 point 1)', () => {
  it('refuses a stream past 8 GB however large its file, naming the cap', async () => {
    // 100 GB compressed: the 200× ratio alone would allow 20 TB.
    const chunk = Buffer.alloc(64 * 1024 ** 2)
    const guard = inflationGuard(100 * 1024 ** 3, 'book.json.gz')
    await expect(pipeline(repeated(chunk, MAX_INFLATED_BYTES / chunk.length + 1), guard, discard())).rejects.toThrow(
      'book.json.gz inflates to more than 8,192 MB; refused as a possible zip bomb',
    )
  })

  it('lets exactly 8 GB through', async () => {
    const chunk = Buffer.alloc(64 * 1024 ** 2)
    await expect(
      pipeline(repeated(chunk, MAX_INFLATED_BYTES / chunk.length), inflationGuard(100 * 1024 ** 3, 'book.json.gz'), discard()),
    ).resolves.toBeUndefined()
  })
})
