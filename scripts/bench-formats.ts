/**
 * `npm run bench:formats -- [--sips 100000] [--rounds 3] [--formats json,csv,xlsx]`: the same generated
 * book (formatted values, SQL keys; XLSX with typed cells, as Excel saves it) imported from each
 * format into a fresh database, the formats taken in turn each round so the machine's load falls
 * on all of them alike. Each import runs in a child process so its peak memory is its own; the
 * load average before each run is printed beside it. Exports are cached like `npm run bench`'s.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { openDb } from '../src/main/db/open'
import { writeExport, type ExportFormat } from '../src/main/generator/write'
import { importFile } from '../src/main/import/importer'

const CACHE = process.env.PARTNER_DASHBOARD_BENCH_CACHE ?? path.join(os.homedir(), '.cache', 'partner-dashboard-bench')

const { values } = parseArgs({
  options: {
    sips: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
    formats: { type: 'string', default: 'json,csv,xlsx' },
    child: { type: 'string' },
  },
})

async function child(file: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-bench-formats-'))
  const db = openDb(path.join(dir, 'book.sqlite'))
  try {
    const started = performance.now()
    const report = await importFile(db.sqlite, file)
    const seconds = (performance.now() - started) / 1000
    console.log(JSON.stringify({ seconds, inserted: report.inserted, rejected: report.rejected, peakRssMb: process.resourceUsage().maxRSS / 1024 }))
  } finally {
    db.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function exportOf(sips: number, format: ExportFormat): Promise<string> {
  fs.mkdirSync(CACHE, { recursive: true })
  const file = path.join(CACHE, `formats-${sips}.${format}`)
  if (!fs.existsSync(file)) {
    await writeExport(`${file}.partial`, { sips, seed: 42, style: format === 'xlsx' ? 'raw' : 'formatted', format })
    fs.renameSync(`${file}.partial`, file)
  }
  return file
}

async function main(): Promise<void> {
  if (values.child) return child(values.child)
  const sips = Number(values.sips)
  const formats = values.formats.split(',') as ExportFormat[]
  const files = new Map<ExportFormat, string>()
  for (const format of formats) files.set(format, await exportOf(sips, format))
  const runs = new Map<ExportFormat, { seconds: number; peakRssMb: number; load: number }[]>(formats.map((f) => [f, []]))
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const format of formats) {
      const load = os.loadavg()[0]
      const result = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', files.get(format)!], { encoding: 'utf8' })
      if (result.status !== 0) throw new Error(`${format}: ${result.stderr}`)
      const run = JSON.parse(result.stdout.trim().split('\n').pop()!) as { seconds: number; peakRssMb: number; inserted: number }
      if (run.inserted !== sips) throw new Error(`${format}: inserted ${run.inserted} of ${sips}`)
      runs.get(format)!.push({ ...run, load })
      console.error(`round ${round} ${format}: ${run.seconds.toFixed(2)} s, ${run.peakRssMb.toFixed(0)} MB peak RSS, load ${load.toFixed(2)}`)
    }
  }
  const json = runs.get('json')
  const best = (list: { seconds: number }[]): number => Math.min(...list.map((r) => r.seconds))
  console.log(`| format | file MB | import s (each round) | best s | best / JSON best | peak RSS MB (max) | load average at start |`)
  console.log(`|---|---:|---|---:|---:|---:|---|`)
  for (const format of formats) {
    const list = runs.get(format)!
    const mb = fs.statSync(files.get(format)!).size / 1_048_576
    console.log(
      `| ${format.toUpperCase()} | ${mb.toFixed(1)} | ${list.map((r) => r.seconds.toFixed(2)).join(', ')} | ${best(list).toFixed(2)} | ` +
        `${json ? (best(list) / best(json)).toFixed(2) : '—'} | ${Math.max(...list.map((r) => r.peakRssMb)).toFixed(0)} | ${list.map((r) => r.load.toFixed(1)).join(', ')} |`,
    )
  }
}

main().catch((error: Error) => {
  console.error(error.message)
  process.exit(1)
})
