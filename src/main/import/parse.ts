import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { pipeline, Transform } from 'node:stream'
import { createGunzip } from 'node:zlib'
import type { ImportIssue } from '../../shared/types'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline as streamPipeline } from 'node:stream/promises'
import { OversizedRecord, splitRecords } from './split'
import {
  buildRow,
  CLIENT_KIND,
  importClock,
  rejectOversized,
  rejectRecord,
  SIP_KIND,
  type ImportClock,
  type RecordKind,
  type RowValue,
} from './records'
import {
  columnsKey,
  JsonShapes,
  missingRequired,
  shapeOf,
  type ColumnMapping,
  type SavedMapping,
  type Shape,
  type ShapeResult,
} from './columns'
import { formatOf, peek, type Format } from './sniff'
import { FileFormatError, type Table } from './source'
import { readCsv } from './csv'
import { readApiAnswer } from './apiAnswer'
import { inflationGuard, readXlsx } from './xlsx'

const CHUNK_BYTES = 1 << 20

/** The record kinds a parsed batch can hold, by the index its rows carry. */
export const KINDS: readonly RecordKind[] = [SIP_KIND, CLIENT_KIND]

/**
 * One batch of accepted rows: row `i` is of kind `KINDS[kinds[i]]`, with its values in `rows[i]`.
 * An array per row is also what passes between threads fastest: one flat array of a batch's values
 * took 4.5× as long to copy to the writer's thread, besides the flattening (measured on 1,000-row batches).
 */
export interface ParsedBatch {
  kinds: number[]
  rows: RowValue[][]
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
  if (await isGzip(file))
    stages.push(createGunzip({ chunkSize: CHUNK_BYTES }), inflationGuard((await fs.promises.stat(file)).size, 'the compressed file'))
  const raw = fs.createReadStream(file, { highWaterMark: CHUNK_BYTES })
  // pipeline() forwards an error of any stage to the last one, where the reader sees it.
  return stages.length === 0 ? raw : (pipeline([raw, ...stages], () => {}) as unknown as Readable)
}

/** A file whose columns do not tell what to read: the app asks for a column mapping (SPEC §2.5). */
export class MappingNeededError extends Error {
  /** The file it is about, once the importer knows it. */
  file: { path: string; name: string } | null = null

  constructor(
    readonly format: string,
    readonly missing: readonly string[],
    readonly columns: readonly string[],
  ) {
    super(
      `${format}: the columns do not name ${missing.length > 0 ? missing.join(', ') : 'the fields of a SIP or a client'}; ` +
        `map them with --map FIELD=COLUMN (the file's columns: ${columns.map((c) => `"${c}"`).join(', ')})`,
    )
  }
}

/** The shape a file's first columns are read by, or the refusal that asks for a mapping. */
function shapeOrRefusal(format: string, columns: readonly string[], result: ShapeResult): Shape {
  if ('problem' in result) {
    if (result.problem === 'duplicate') throw new FileFormatError(`${format}: ${result.reason}`)
    throw new MappingNeededError(format, result.missing, columns)
  }
  const missing = missingRequired(result.shape)
  if (missing.length > 0) throw new MappingNeededError(format, missing, columns)
  return result.shape
}

function emptyBatch(records: number, bytesRead: number): ParsedBatch {
  return { kinds: [], rows: [], snapshots: [], issues: [], records, bytesRead }
}

function addRow(parsed: ParsedBatch, kind: RecordKind, normalised: ReturnType<Shape['read']>, position: number, clock: ImportClock): void {
  const row = buildRow(kind, normalised, position, parsed.issues, clock)
  if (!row) return
  parsed.kinds.push(KINDS.indexOf(row.kind))
  parsed.rows.push(row.values)
  parsed.snapshots.push(row.snapshotAt)
}

/** The column mappings an import may read a file by (SPEC §2.5). */
export interface MappingChoice {
  /** Given for this import (the dialog, `import --map`); used for a file that has every column it names. */
  given: ColumnMapping | null
  /** Saved earlier, applied by themselves to a file with the same set of columns. */
  saved: readonly SavedMapping[]
}

/** What the parser learnt of a file's columns: the header, or the first JSON record's keys. */
export interface FileColumns {
  columns: string[] | null
  /** When the saved mapping the file was read by was saved; null when none applied. */
  savedAt: string | null
  /** Whether the given mapping applied to this file. */
  givenApplied: boolean
}

function chooseMapping(columns: readonly string[], choice: MappingChoice, learnt: FileColumns): ColumnMapping | null {
  learnt.columns = [...columns]
  if (choice.given && Object.values(choice.given).every((column) => columns.includes(column))) {
    learnt.givenApplied = true
    return choice.given
  }
  const key = columnsKey(columns)
  const saved = choice.saved.find((m) => m.columnsKey === key)
  if (!saved) return null
  learnt.savedAt = saved.savedAt
  return saved.mapping
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

async function* parseJson(
  content: AsyncIterable<Buffer>,
  choice: MappingChoice,
  learnt: FileColumns,
  bytesRead: () => number,
  clock: ImportClock,
): AsyncGenerator<ParsedBatch> {
  let shapes: JsonShapes | null = null
  let first = true
  for await (const batch of splitRecords(content)) {
    const parsed = emptyBatch(batch.records.length, bytesRead())
    for (let k = 0; k < batch.records.length; k++) {
      const record = batch.records[k]
      const position = batch.firstPosition + k
      if (record instanceof OversizedRecord) {
        rejectOversized(position, record.bytes, parsed.issues)
        continue
      }
      // §8.10: the first record's keys are the file's columns; a mapping is asked for when they say nothing.
      const columns = first && isObject(record) ? Object.keys(record) : []
      first = false
      if (!isObject(record)) {
        rejectRecord(position, 'record is not a JSON object', parsed.issues)
        continue
      }
      shapes ??= new JsonShapes(chooseMapping(Object.keys(record), choice, learnt))
      const result = shapes.of(record)
      if (columns.length > 0) shapeOrRefusal('JSON', columns, result)
      if ('problem' in result) rejectRecord(position, result.reason, parsed.issues)
      else addRow(parsed, result.shape.kind, result.shape.read(record), position, clock)
    }
    yield parsed
  }
}

/** `bytesRead` turns a batch's `bytesConsumed` into bytes of the file read so far. */
async function* parseTable(
  table: Table,
  choice: MappingChoice,
  learnt: FileColumns,
  bytesRead: (consumed: number) => number,
  clock: ImportClock,
): AsyncGenerator<ParsedBatch> {
  const mapping = chooseMapping(table.header, choice, learnt)
  const shape = shapeOrRefusal(table.format, table.header, shapeOf(table.header, mapping, true))
  const notice: ImportIssue[] = table.notice
    ? [{ level: 'warning', position: 0, sip_meta_id: null, field: null, reason: table.notice }]
    : []
  for await (const batch of table.batches) {
    const parsed = emptyBatch(batch.rows.length + batch.refused.length, bytesRead(batch.bytesConsumed))
    parsed.issues.push(...notice.splice(0))
    for (const refused of batch.refused) rejectRecord(refused.position, refused.reason, parsed.issues)
    for (let k = 0; k < batch.rows.length; k++) addRow(parsed, shape.kind, shape.read(batch.rows[k]), batch.positions[k], clock)
    yield parsed
  }
}

/** A zip that came gzipped is inflated to a private temporary file, which yauzl needs to seek in. */
async function unzippedCopy(content: AsyncIterable<Buffer>): Promise<{ file: string; remove: () => void }> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-xlsx-'))
  const file = path.join(folder, 'book.xlsx')
  await streamPipeline(Readable.from(content), fs.createWriteStream(file, { mode: 0o600 }))
  return { file, remove: () => fs.rmSync(folder, { recursive: true, force: true }) }
}

/**
 * The table of a file that is not JSON. An XLSX file that came gzipped is read from an unzipped
 * copy, which `copy.remove` deletes.
 */
async function tableOf(
  file: string,
  format: Exclude<Format, 'json'>,
  head: Buffer,
  all: AsyncIterable<Buffer>,
): Promise<{ table: Table; copy: { remove: () => void } | null }> {
  if (format === 'csv') return { table: await readCsv(head, all), copy: null }
  if (format === 'api') return { table: await readApiAnswer(all), copy: null }
  if (!(await isGzip(file))) return { table: await readXlsx(file), copy: null }
  const copy = await unzippedCopy(all)
  try {
    return { table: await readXlsx(copy.file), copy }
  } catch (error) {
    copy.remove()
    throw error
  }
}

/**
 * A file's columns and its first `count` records as rows in column order, as its reader reads them
 * (for JSON, the first record's keys and the first objects): what the column mapping dialog shows.
 */
export async function previewOf(file: string, count: number): Promise<{ columns: string[]; rows: unknown[][] }> {
  const content = await openContent(file)
  let cleanUp = (): void => {}
  try {
    const { head, all } = await peek(content as AsyncIterable<Buffer>)
    const format = formatOf(head)
    if (format === 'json') {
      const objects: Record<string, unknown>[] = []
      for await (const batch of splitRecords(all)) {
        objects.push(...batch.records.filter(isObject))
        if (objects.length >= count) break
      }
      const columns = objects.length > 0 ? Object.keys(objects[0]) : []
      return { columns, rows: objects.slice(0, count).map((record) => columns.map((column) => record[column])) }
    }
    const { table, copy } = await tableOf(file, format, head, all)
    if (copy) cleanUp = copy.remove
    const rows: unknown[][] = []
    for await (const batch of table.batches) {
      rows.push(...batch.rows.slice(0, count - rows.length))
      if (rows.length >= count) break
    }
    return { columns: table.header, rows }
  } finally {
    content.destroy()
    cleanUp()
  }
}

async function hashOf(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK_BYTES })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** What parsing a file ends with: its SHA-256 and what was learnt of its columns. */
export interface ParseOutcome extends FileColumns {
  sha256: string
}

/**
 * Reads, splits, parses and normalises a whole export in whichever format it comes (SPEC §2.5):
 * the CPU-heavy half of an import, which runs in a worker thread while the writer inserts.
 */
export async function* parseFile(
  file: string,
  choice: MappingChoice = { given: null, saved: [] },
  clock: ImportClock = importClock(),
): AsyncGenerator<ParsedBatch, ParseOutcome, undefined> {
  const hash = createHash('sha256')
  let bytesRead = 0
  const content = await openContent(file, (chunk) => {
    hash.update(chunk)
    bytesRead += chunk.length
  })
  const learnt: FileColumns = { columns: null, savedAt: null, givenApplied: false }
  let cleanUp = (): void => {}
  try {
    const { head, all } = await peek(content as AsyncIterable<Buffer>)
    const format = formatOf(head)
    if (format === 'json') {
      yield* parseJson(all, choice, learnt, () => bytesRead, clock)
      return { sha256: hash.digest('hex'), ...learnt }
    }
    const { table, copy } = await tableOf(file, format, head, all)
    if (copy) cleanUp = copy.remove
    if (format === 'xlsx') {
      yield* parseTable(table, choice, learnt, (consumed) => consumed, clock)
      return { sha256: copy ? hash.digest('hex') : await hashOf(file), ...learnt }
    }
    yield* parseTable(table, choice, learnt, () => bytesRead, clock)
    return { sha256: hash.digest('hex'), ...learnt }
  } finally {
    content.destroy()
    cleanUp()
  }
}
