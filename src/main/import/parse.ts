import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { pipeline, Transform, type Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import type { ImportIssue } from '../../shared/types'
import { splitRecords } from './split'
import { buildRow, CLIENT_KIND, SIP_KIND, type ImportClock, type RecordKind, type RowValue } from './records'
import { MAX_INFLATE_RATIO, MAX_INFLATED_BYTES } from './valueDomain'

const CHUNK_BYTES = 1 << 20

/** The record kinds a parsed batch can hold, by the index its rows carry. */
export const KINDS: readonly RecordKind[] = [SIP_KIND, CLIENT_KIND]

/**
 * One batch of accepted rows in flat arrays (cheap to pass between threads): row `i` is of kind
 * `KINDS[kinds[i]]` and its values are the next `fields.length` entries of `values`.
 */
export interface ParsedBatch {
  kinds: number[]
  values: RowValue[]
  snapshots: string[]
  issues: ImportIssue[]
  /** Records read in this batch, accepted or not. */
  records: number
  /** Bytes of the file read so far. */
  bytesRead: number
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, 'r')
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0)
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b
  } finally {
    await handle.close()
  }
}

/** The code of the error that ends a read past the gzip limits (SPEC §2.4). */
export const TOO_LARGE = 'PD_CONTENT_TOO_LARGE'

const megabytes = (bytes: number): string => `${(bytes / 1_048_576).toLocaleString('en-IN', { maximumFractionDigits: 1 })} MB`

/** Ends the stream with `TOO_LARGE` once more than `limit` bytes have come through it. */
function inflationLimit(compressedBytes: number): Transform {
  const byRatio = compressedBytes * MAX_INFLATE_RATIO
  const limit = Math.min(byRatio, MAX_INFLATED_BYTES)
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length
      if (seen <= limit) return done(null, chunk)
      const why =
        limit === byRatio
          ? `its content is more than ${MAX_INFLATE_RATIO}× its size (${megabytes(compressedBytes)} compressed, over ${megabytes(limit)} unpacked)`
          : `its content is more than ${megabytes(MAX_INFLATED_BYTES)} unpacked`
      done(Object.assign(new Error(`the compressed file was refused: ${why}`), { code: TOO_LARGE }))
    },
  })
}

/**
 * The file's content as a stream of chunks, un-gzipped when it is gzip (told by its magic bytes,
 * so `.json.gz` exports and the bundled sample work), within the limits of SPEC §2.4. `onRaw`
 * sees every raw chunk read.
 */
export async function openContent(file: string, onRaw?: (chunk: Buffer) => void): Promise<Readable> {
  const stages: NodeJS.ReadWriteStream[] = []
  if (onRaw) {
    stages.push(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          onRaw(chunk)
          done(null, chunk)
        },
      }),
    )
  }
  if (await isGzip(file)) stages.push(createGunzip({ chunkSize: CHUNK_BYTES }), inflationLimit((await fs.promises.stat(file)).size))
  const raw = fs.createReadStream(file, { highWaterMark: CHUNK_BYTES })
  // pipeline() forwards an error of any stage to the last one, where the reader sees it.
  return stages.length === 0 ? raw : (pipeline([raw, ...stages], () => {}) as unknown as Readable)
}

/**
 * Reads, splits, parses and normalises a whole export: the CPU-heavy half of an import, which
 * runs in a worker thread while the writer inserts. Returns the SHA-256 of the file's bytes.
 */
export async function* parseFile(file: string, clock: ImportClock): AsyncGenerator<ParsedBatch, string, undefined> {
  const hash = createHash('sha256')
  let bytesRead = 0
  const content = await openContent(file, (chunk) => {
    hash.update(chunk)
    bytesRead += chunk.length
  })
  try {
    for await (const batch of splitRecords(content as AsyncIterable<Buffer>)) {
      const parsed: ParsedBatch = { kinds: [], values: [], snapshots: [], issues: [], records: batch.records.length, bytesRead }
      for (let k = 0; k < batch.records.length; k++) {
        const row = buildRow(batch.records[k], batch.firstPosition + k, parsed.issues, clock)
        if (!row) continue
        parsed.kinds.push(KINDS.indexOf(row.kind))
        for (const value of row.values) parsed.values.push(value)
        parsed.snapshots.push(row.snapshotAt)
      }
      yield parsed
    }
  } finally {
    content.destroy()
  }
  return hash.digest('hex')
}
