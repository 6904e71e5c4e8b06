/**
 * Writes a generated SIP export: `npm run generate -- --sips 100000 --out book.json
 * [--clients clients.json] [--style formatted|raw|mixed] [--layout array|lines] [--seed N]
 * [--quirks 0.01] [--snapshot 2026-01-12] [--gzip]`.
 */
import fs from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { createGzip } from 'node:zlib'
import { writeExport } from '../src/main/generator/write'

const { values } = parseArgs({
  options: {
    sips: { type: 'string', default: '1000' },
    out: { type: 'string' },
    clients: { type: 'string' },
    style: { type: 'string', default: 'formatted' },
    layout: { type: 'string', default: 'array' },
    seed: { type: 'string', default: '42' },
    quirks: { type: 'string', default: '0' },
    snapshot: { type: 'string', default: '2026-01-12' },
    gzip: { type: 'boolean', default: false },
  },
})

if (!values.out) {
  console.error('usage: npm run generate -- --sips N --out FILE [--clients FILE] [--style formatted|raw|mixed] [--gzip]')
  process.exit(1)
}

const gzipInPlace = async (file: string): Promise<void> => {
  await pipeline(fs.createReadStream(file), createGzip({ level: 9 }), fs.createWriteStream(`${file}.gz`))
  fs.rmSync(file)
}

async function main(): Promise<void> {
  const out = values.out!
  const count = await writeExport(out, {
    sips: Number(values.sips),
    seed: Number(values.seed),
    quirks: Number(values.quirks),
    snapshot: values.snapshot,
    style: values.style as 'formatted' | 'raw' | 'mixed',
    layout: values.layout as 'array' | 'lines',
    clientsPath: values.clients,
  })
  if (values.gzip) {
    await gzipInPlace(out)
    if (values.clients) await gzipInPlace(values.clients)
  }
  console.log(`wrote ${count} SIPs to ${out}${values.gzip ? '.gz' : ''}`)
}

main().catch((error: Error) => {
  console.error(error.message)
  process.exit(1)
})
