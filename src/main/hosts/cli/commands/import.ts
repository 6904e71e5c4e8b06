import { say } from '../output'
import fs from 'node:fs'
import path from 'node:path'
import { importFiles } from '../../../services/imports'
import type { ImportReport } from '../../../../shared/types'
import { AppError } from '../../../../shared/errors'
import { defineCommand, usageError } from '../command'
import { MAPPABLE_FIELDS, type ColumnMapping } from '../../../import/columns'
import { mappedAsSaved } from '../../../../shared/format'

const summaryLine = (r: ImportReport, seconds: number): string =>
  `${r.file}: ${r.read} read, ${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged, ` +
  `${r.rejected} rejected, ${r.warnings} warnings (${seconds.toFixed(1)} s)` +
  (r.mapping_saved_at ? `; ${mappedAsSaved(r.mapping_saved_at)}` : '')

/** `--map FIELD=COLUMN`, repeatable, as a mapping of the fields of SIP and client records (SPEC §2.5). */
function mappingOf(pairs: readonly string[]): ColumnMapping | null {
  if (pairs.length === 0) return null
  const mapping: Record<string, string> = {}
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    const field = pair.slice(0, at).trim()
    if (at < 1 || at === pair.length - 1) throw usageError('import', `--map takes FIELD=COLUMN, got "${pair}"`)
    if (!MAPPABLE_FIELDS.has(field)) throw usageError('import', `--map: no field "${field}"; the fields are ${[...MAPPABLE_FIELDS].join(', ')}`)
    mapping[field] = pair.slice(at + 1)
  }
  return mapping
}

const asJson = (r: ImportReport): object => ({
  file: r.file,
  read: r.read,
  inserted: r.inserted,
  updated: r.updated,
  unchanged: r.unchanged,
  rejected: r.rejected,
  warnings: r.warnings,
  mapping_saved_at: r.mapping_saved_at ?? null,
  issues: r.issues.map((i) => ({ position: i.position, sip_meta_id: i.sip_meta_id, field: i.field, reason: i.reason, level: i.level })),
})

export default defineCommand({
  name: 'import',
  args: '<files…>',
  summary:
    'Imports SIP and client exports as one import (one transaction; undo-import takes it back), one summary line (or JSON object) per file.',
  options: {
    json: { type: 'boolean', help: 'one JSON object per file, issues included' },
    map: {
      type: 'string',
      multiple: true,
      value: 'FIELD=COLUMN',
      help: "reads FIELD from the file's COLUMN when the column names do not say; saved for files with the same columns",
    },
  },
  async run({ values, positionals, dbPath, openDb }) {
    if (positionals.length === 0) throw usageError('import', 'name at least one export file')
    const mapping = mappingOf(values.map ?? [])
    // Check every file first, so a typo in the last name does not leave the first ones imported.
    for (const file of positionals) {
      if (!fs.existsSync(file)) throw new AppError('not_found', `${file}: file not found`)
    }
    openDb('create') // creates and migrates before the writer opens it
    let started = performance.now()
    const reports = await importFiles(
      dbPath,
      positionals.map((file) => ({ path: file, name: path.basename(file) })),
      {
        mapping,
        onReport: (report) => {
          if (values.json) console.log(JSON.stringify(asJson(report)))
          else say(summaryLine(report, (performance.now() - started) / 1000))
          started = performance.now()
        },
      },
    )
    // SPEC §8.6: a history entry only — no change set, not the last export, no undo slot.
    if (!values.json && reports.every((r) => r.inserted + r.updated === 0))
      say('Nothing changed: every record was already in the book; the import is listed, with nothing to undo.')
  },
})
