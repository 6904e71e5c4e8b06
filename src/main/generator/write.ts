import fs from 'node:fs'
import { once } from 'node:events'
import { generateSips, type BookOptions, type GeneratedClient, type ValueStyle } from './generate'
import { formatClient, formatSip } from './format'
import type { Change } from './nextMonth'
import { Random } from './random'

export interface ExportOptions extends BookOptions {
  style?: ValueStyle
  /** `array` (a JSON array, one record per line, as Metabase writes) or `lines` (JSON Lines). */
  layout?: 'array' | 'lines'
  /** Also write the client export of the same book here. */
  clientsPath?: string
}

/** What a written export holds: its SIPs, and per kind how many changed since the month before. */
export interface ExportSummary {
  sips: number
  clients: number
  changes: Record<Change | 'left_out', number>
}

/** Streams records to a file in the chosen layout without holding them all. */
export class ExportWriter {
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
  const writer = new ExportWriter(file, options.layout ?? 'array')
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
    const clientWriter = new ExportWriter(options.clientsPath, options.layout ?? 'array')
    for (const client of clients.values()) {
      const formatted = style === 'mixed' ? styleRng.chance(0.5) : style === 'formatted'
      await clientWriter.add(formatClient(client, formatted))
    }
    await clientWriter.close()
    summary.clients = clients.size
  }
  return summary
}
