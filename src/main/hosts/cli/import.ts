import fs from 'node:fs'
import path from 'node:path'
import { ImportError } from '../../import/importer'
import { importFiles } from '../../services/imports'
import { resolveDbPath } from '../paths'
import { openDb } from '../../db/open'
import type { ImportReport } from '../../../shared/types'
import { usage, UsageError } from './args'
import { parseArgs } from 'node:util'

const summaryLine = (r: ImportReport, seconds: number): string =>
  `${r.file}: ${r.read} read, ${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged, ` +
  `${r.rejected} rejected, ${r.warnings} warnings (${seconds.toFixed(1)} s)`

const asJson = (r: ImportReport): object => ({
  file: r.file,
  read: r.read,
  inserted: r.inserted,
  updated: r.updated,
  unchanged: r.unchanged,
  rejected: r.rejected,
  warnings: r.warnings,
  issues: r.issues.map((i) => ({ position: i.position, sip_meta_id: i.sipMetaId, field: i.field, reason: i.reason, level: i.level })),
})

/** `import <files…> [--db PATH] [--json]`: imports in order, one summary line (or JSON object) per file. */
export async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = usage('import', () =>
    parseArgs({ args, allowPositionals: true, options: { db: { type: 'string' }, json: { type: 'boolean', default: false } } }),
  )
  if (positionals.length === 0) throw new UsageError('import: name at least one export file')
  // Check every file first, so a typo in the last name does not leave the first ones imported.
  for (const file of positionals) {
    if (!fs.existsSync(file)) throw new ImportError(`${file}: file not found`, 'not_found')
  }
  const dbPath = resolveDbPath(values.db)
  openDb(dbPath).close() // creates and migrates before the writer opens it
  let started = performance.now()
  const reports = await importFiles(
    dbPath,
    positionals.map((file) => ({ path: file, name: path.basename(file) })),
    {
      onReport: (report) => {
        if (values.json) console.log(JSON.stringify(asJson(report)))
        else console.log(summaryLine(report, (performance.now() - started) / 1000))
        started = performance.now()
      },
    },
  )
  if (reports.length === 0) throw new UsageError('import: nothing imported')
}
