/**
 * Writes a generated SIP export: `npm run generate -- --sips 100000 --out book.json
 * [--clients clients.json] [--style formatted|raw|mixed] [--layout array|lines] [--seed N]
 * [--quirks 0.01] [--snapshot 2026-01-12] [--month M] [--format json|csv|xlsx|api] [--keys sql|display] [--gzip]`.
 * `--from EXPORT.json` writes an existing JSON export in the chosen format and keys instead of a generated book.
 * `--format` and `--keys` write the same book as Metabase's other downloads would (SPEC §2.5).
 * `--month M` writes the M-th monthly export of the book the same `--sips/--seed/--snapshot`
 * describe (month 1, the default, is that book itself), and prints what changed since month M − 1.
 *
 * The bundled sample ("Try sample data", resources/sample) is seed 2026, 2,000 SIPs, two months:
 *   npm run generate -- --sips 2000 --seed 2026 --gzip --out resources/sample/sample-sips.json --clients resources/sample/sample-clients.json
 *   npm run generate -- --sips 2000 --seed 2026 --gzip --month 2 --out resources/sample/sample-sips-month2.json --clients resources/sample/sample-clients-month2.json
 */
import fs from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { createGzip } from 'node:zlib'
import { DEFAULT_SNAPSHOT } from '../src/main/generator/generate'
import { convertExport, writeExport, type ExportFormat } from '../src/main/generator/write'

const USAGE =
  'usage: npm run generate -- --sips N --out FILE [--clients FILE] [--style formatted|raw|mixed] [--layout array|lines] ' +
  '[--seed N] [--quirks P] [--snapshot YYYY-MM-DD] [--month M] [--format json|csv|xlsx|api] [--keys sql|display] [--gzip] [--from EXPORT.json]'

const fail = (message: string): never => {
  console.error(`${message}\n${USAGE}`)
  process.exit(1)
}

/** The options, or a one-line refusal with the usage (an unknown option is the user's, never a stack trace). */
function options() {
  try {
    return parseArgs({ options: OPTIONS }).values
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error))
  }
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h', default: false },
  sips: { type: 'string', default: '1000' },
  out: { type: 'string' },
  clients: { type: 'string' },
  style: { type: 'string', default: 'formatted' },
  layout: { type: 'string', default: 'array' },
  seed: { type: 'string', default: '42' },
  quirks: { type: 'string', default: '0' },
  snapshot: { type: 'string', default: DEFAULT_SNAPSHOT },
  month: { type: 'string', default: '1' },
  gzip: { type: 'boolean', default: false },
  format: { type: 'string', default: 'json' },
  keys: { type: 'string', default: 'sql' },
  from: { type: 'string' },
} as const

const values = options()
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}

const wholeNumber = (name: string, text: string, min: number): number => {
  const value = Number(text)
  return Number.isInteger(value) && value >= min ? value : fail(`--${name} must be a whole number ≥ ${min}, got "${text}"`)
}

const gzipInPlace = async (file: string): Promise<void> => {
  await pipeline(fs.createReadStream(file), createGzip({ level: 9 }), fs.createWriteStream(`${file}.gz`))
  fs.rmSync(file)
}

async function main(): Promise<void> {
  const out = values.out ?? fail('--out FILE is required')
  if (!['formatted', 'raw', 'mixed'].includes(values.style)) fail(`--style must be formatted, raw or mixed, got "${values.style}"`)
  if (!['json', 'csv', 'xlsx', 'api'].includes(values.format)) fail(`--format must be json, csv, xlsx or api, got "${values.format}"`)
  if (!['sql', 'display'].includes(values.keys)) fail(`--keys must be sql or display, got "${values.keys}"`)
  if (!['array', 'lines'].includes(values.layout)) fail(`--layout must be array or lines, got "${values.layout}"`)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.snapshot) || Number.isNaN(Date.parse(values.snapshot))) {
    fail(`--snapshot must be a date YYYY-MM-DD, got "${values.snapshot}"`)
  }
  const quirks = Number(values.quirks)
  if (!(quirks >= 0 && quirks <= 1)) fail(`--quirks must be a probability from 0 to 1, got "${values.quirks}"`)
  if (values.from) {
    const count = await convertExport(values.from, out, {
      format: values.format as ExportFormat,
      keys: values.keys as 'sql' | 'display',
      layout: values.layout as 'array' | 'lines',
    })
    console.log(`wrote ${count} records of ${values.from} to ${out}`)
    return
  }
  const month = wholeNumber('month', values.month, 1)
  const summary = await writeExport(out, {
    sips: wholeNumber('sips', values.sips, 1),
    seed: wholeNumber('seed', values.seed, 0),
    quirks,
    snapshot: values.snapshot,
    month,
    style: values.style as 'formatted' | 'raw' | 'mixed',
    layout: values.layout as 'array' | 'lines',
    format: values.format as ExportFormat,
    keys: values.keys as 'sql' | 'display',
    clientsPath: values.clients,
  })
  if (values.gzip) {
    await gzipInPlace(out)
    if (values.clients) await gzipInPlace(values.clients)
  }
  const suffix = values.gzip ? '.gz' : ''
  console.log(`wrote ${summary.sips} SIPs (month ${month}) to ${out}${suffix}`)
  if (values.clients) console.log(`wrote ${summary.clients} clients to ${values.clients}${suffix}`)
  if (month > 1) {
    const changes = Object.entries(summary.changes).map(([kind, n]) => `${kind} ${n}`)
    console.log(`changes since month ${month - 1}: ${changes.join(', ')}`)
  }
}

main().catch((error: Error) => {
  console.error(error.message)
  process.exit(1)
})
