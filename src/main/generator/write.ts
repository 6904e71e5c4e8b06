import fs from 'node:fs'
import { once } from 'node:events'
import { stringify } from 'csv-stringify/sync'
import { XlsxWriter } from './xlsxWriter'
import { splitRecords } from '../import/split'
import { generateSips, type BookOptions, type GeneratedClient, type ValueStyle } from './generate'
import { formatClient, formatSip } from './format'
import type { Change } from './nextMonth'
import { Random } from './random'

export type ExportFormat = 'json' | 'csv' | 'xlsx' | 'api'

export interface ExportOptions extends BookOptions {
  style?: ValueStyle
  /** `array` (a JSON array, one record per line, as Metabase writes) or `lines` (JSON Lines); JSON only. */
  layout?: 'array' | 'lines'
  /** The file's format (SPEC §2.5); JSON by default. */
  format?: ExportFormat
  /** `sql`: the SQL column names; `display`: Metabase's display names (`Sip Meta ID`). */
  keys?: 'sql' | 'display'
  /** Also write the client export of the same book here. */
  clientsPath?: string
}

/** What a written export holds: its SIPs, and per kind how many changed since the month before. */
export interface ExportSummary {
  sips: number
  clients: number
  changes: Record<Change | 'left_out', number>
}

/** Where generated records go, one by one. */
interface RecordSink {
  add(record: object): Promise<void>
  close(): Promise<void>
}

/**
 * Metabase's display name of a column when a question is built in its editor (its default
 * "simple" humanisation): words split at underscores, capitalised, `id` and `uid` in capitals.
 */
export const displayName = (key: string): string =>
  key
    .split(/[_-]+/)
    .map((word) => (['id', 'uid'].includes(word) ? word.toUpperCase() : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ')

/** Rows of a table format: the first record's keys are the header. */
abstract class TableSink implements RecordSink {
  private columns: string[] | null = null
  protected abstract row(values: readonly unknown[]): Promise<void>
  async add(record: object): Promise<void> {
    if (!this.columns) {
      this.columns = Object.keys(record)
      await this.row(this.columns)
    }
    const source = record as Record<string, unknown>
    await this.row(this.columns.map((key) => source[key]))
  }
  abstract close(): Promise<void>
}

class CsvSink extends TableSink {
  private readonly out: fs.WriteStream
  constructor(file: string) {
    super()
    this.out = fs.createWriteStream(file)
  }
  protected async row(values: readonly unknown[]): Promise<void> {
    const line = stringify([values.map((v) => (v === null || v === undefined ? '' : String(v)))], { record_delimiter: 'windows' })
    if (!this.out.write(line)) await once(this.out, 'drain')
  }
  async close(): Promise<void> {
    this.out.end()
    await once(this.out, 'finish')
  }
}

class XlsxSink extends TableSink {
  private readonly writer: XlsxWriter
  constructor(file: string) {
    super()
    this.writer = new XlsxWriter(file)
  }
  protected row(values: readonly unknown[]): Promise<void> {
    return this.writer.row(values)
  }
  close(): Promise<void> {
    return this.writer.close()
  }
}

/** Metabase's API answer, with `cols` after `rows` (the order Metabase's own answer may take). */
class ApiSink extends TableSink {
  private readonly out: fs.WriteStream
  private header: readonly unknown[] | null = null
  private count = 0
  constructor(file: string) {
    super()
    this.out = fs.createWriteStream(file)
  }
  protected async row(values: readonly unknown[]): Promise<void> {
    if (!this.header) {
      this.header = values
      this.out.write('{"data":{"rows":[')
      return
    }
    if (!this.out.write(`${this.count++ === 0 ? '' : ','}\n${JSON.stringify(values)}`)) await once(this.out, 'drain')
  }
  async close(): Promise<void> {
    if (!this.header) this.out.write('{"data":{"rows":[')
    const cols = (this.header ?? []).map((name) => ({ name, display_name: name }))
    this.out.end(`],\n"cols":${JSON.stringify(cols)}},"row_count":${this.count},"status":"completed"}\n`)
    await once(this.out, 'finish')
  }
}

/** Renames every key to its display name on the way to another sink. */
class DisplayKeys implements RecordSink {
  constructor(private readonly inner: RecordSink) {}
  add(record: object): Promise<void> {
    return this.inner.add(Object.fromEntries(Object.entries(record).map(([key, value]) => [displayName(key), value])))
  }
  close(): Promise<void> {
    return this.inner.close()
  }
}

function openSink(file: string, options: Pick<ExportOptions, 'format' | 'keys' | 'layout'>): RecordSink {
  const format = options.format ?? 'json'
  const sink =
    format === 'csv'
      ? new CsvSink(file)
      : format === 'xlsx'
        ? new XlsxSink(file)
        : format === 'api'
          ? new ApiSink(file)
          : new ExportWriter(file, options.layout ?? 'array')
  return options.keys === 'display' ? new DisplayKeys(sink) : sink
}

/** Streams records to a file in the chosen layout without holding them all. */
export class ExportWriter implements RecordSink {
  private readonly out: fs.WriteStream
  private count = 0
  private pending: string[] = []

  constructor(
    file: string,
    private readonly layout: 'array' | 'lines',
  ) {
    this.out = fs.createWriteStream(file)
  }

  async add(record: object): Promise<void> {
    const json = JSON.stringify(record)
    this.pending.push(this.layout === 'lines' ? `${json}\n` : `${this.count === 0 ? '[\n' : ',\n'}${json}`)
    this.count++
    if (this.pending.length >= 500) await this.drain()
  }

  private async drain(): Promise<void> {
    if (!this.out.write(this.pending.join(''))) await once(this.out, 'drain')
    this.pending = []
  }

  async close(): Promise<void> {
    if (this.layout === 'array') this.pending.push(this.count === 0 ? '[]\n' : '\n]\n')
    await this.drain()
    this.out.end()
    await once(this.out, 'finish')
  }
}

const noChanges = (): ExportSummary['changes'] => ({
  new_sip: 0,
  stepped_up: 0,
  reduced: 0,
  stopped: 0,
  deleted: 0,
  started_failing: 0,
  recovered: 0,
  paused: 0,
  resumed: 0,
  more_failed: 0,
  renewed: 0,
  left_out: 0,
})

/** Writes a generated SIP export (and optionally its client export) for the requested month. */
export async function writeExport(file: string, options: ExportOptions): Promise<ExportSummary> {
  const style = options.style ?? 'formatted'
  const styleRng = new Random((options.seed ?? 42) ^ 0x5eed)
  const writer = openSink(file, options)
  const clients = new Map<string, GeneratedClient>()
  const summary: ExportSummary = { sips: 0, clients: 0, changes: noChanges() }
  for (const sip of generateSips(options)) {
    if (options.clientsPath) clients.set(sip.client.userId, sip.client)
    if (sip.leftOut) {
      summary.changes.left_out++
      continue
    }
    const formatted = style === 'mixed' ? styleRng.chance(0.5) : style === 'formatted'
    await writer.add(formatSip(sip, formatted))
    for (const change of sip.changes) summary.changes[change]++
    summary.sips++
  }
  await writer.close()
  if (options.clientsPath) {
    const clientWriter = openSink(options.clientsPath, options)
    for (const client of clients.values()) {
      const formatted = style === 'mixed' ? styleRng.chance(0.5) : style === 'formatted'
      await clientWriter.add(formatClient(client, formatted))
    }
    await clientWriter.close()
    summary.clients = clients.size
  }
  return summary
}

/**
 * Writes the records of an existing JSON export (array or JSON Lines) in another format or key
 * style, as Metabase's other downloads of the same question would be.
 */
export async function convertExport(
  from: string,
  out: string,
  options: Pick<ExportOptions, 'format' | 'keys' | 'layout'>,
): Promise<number> {
  const sink = openSink(out, options)
  let count = 0
  for await (const batch of splitRecords(fs.createReadStream(from))) {
    for (const record of batch.records) {
      await sink.add(record as object)
      count++
    }
  }
  await sink.close()
  return count
}
