import type Database from 'better-sqlite3'
import { BOOKKEEPING_COLUMNS, SIP_KIND, type BuiltRow, type RecordKind } from './records'

type Probe = [snapshotAt: string, rowHash: string, importId: number, priorHash: string | null]

/** Fields copied from a SIP snapshot into `sip_history`. */
const HISTORY_SOURCES = ['amount', 'currentSipStatus', 'success_amount', 'failed_amount', 'success_count', 'is_active'] as const
const HISTORY_COLUMNS = ['amount', 'current_sip_status', 'success_amount', 'failed_amount', 'success_count', 'is_active']

/**
 * Upserts the rows of one record kind for one import with statements prepared once.
 *
 * A record replaces the stored one when its snapshot is newer, or equally new with other values
 * (the later of two equal snapshots wins). Counts are net over the import: a key written twice in
 * one file that ends as it was before counts as unchanged, so re-importing a file writes and
 * reports nothing. To know that, each row remembers the import that last wrote it and the hash it
 * had before that import.
 */
export class RecordWriter {
  private readonly probe: Database.Statement
  private readonly upsert: Database.Statement
  private readonly history: Database.Statement | null
  private readonly historyIndexes: number[]
  private inserted = 0
  private updated = 0
  private accepted = 0

  constructor(
    sqlite: Database.Database,
    kind: RecordKind,
    private readonly importId: number,
  ) {
    const { table, keyColumn, columns } = kind
    this.probe = sqlite.prepare(`SELECT ${BOOKKEEPING_COLUMNS.join(', ')} FROM ${table} WHERE ${keyColumn} = ?`).raw()
    const updates = columns.filter((c) => c !== keyColumn).map((c) => `${c} = excluded.${c}`)
    this.upsert = sqlite.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
       ON CONFLICT (${keyColumn}) DO UPDATE SET ${updates.join(', ')}`,
    )
    this.historyIndexes = HISTORY_SOURCES.map((source) => kind.fields.findIndex((f) => f.source === source))
    this.history =
      kind === SIP_KIND
        ? sqlite.prepare(
            `INSERT INTO sip_history (sip_meta_id, snapshot_at, ${HISTORY_COLUMNS.join(', ')}, import_id)
             VALUES (?, ?, ${HISTORY_COLUMNS.map(() => '?').join(', ')}, ?)
             ON CONFLICT (sip_meta_id, snapshot_at) DO UPDATE SET
             ${HISTORY_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, import_id = excluded.import_id
             WHERE ${HISTORY_COLUMNS.map((c) => `${c} IS NOT excluded.${c}`).join(' OR ')}`,
          )
        : null
  }

  write(row: BuiltRow): void {
    this.accepted++
    const hash = rowHash(row.values)
    const stored = this.probe.get(row.key) as Probe | undefined
    if (stored === undefined) {
      this.upsert.run(...row.values, row.snapshotAt, hash, this.importId, null)
      this.inserted++
    } else {
      const [storedSnapshot, storedHash, storedImport, storedPrior] = stored
      const wins = row.snapshotAt > storedSnapshot || (row.snapshotAt === storedSnapshot && hash !== storedHash)
      if (wins) {
        const touchedBefore = storedImport === this.importId
        const prior = touchedBefore ? storedPrior : storedHash
        this.upsert.run(...row.values, row.snapshotAt, hash, this.importId, prior)
        if (!touchedBefore) this.updated++
        else if (storedPrior !== null) this.updated += Number(hash !== storedPrior) - Number(storedHash !== storedPrior)
      }
    }
    if (this.history) {
      const v = row.values
      this.history.run(row.key, row.snapshotAt, ...this.historyIndexes.map((i) => v[i]), this.importId)
    }
  }

  counts(): { inserted: number; updated: number; accepted: number } {
    return { inserted: this.inserted, updated: this.updated, accepted: this.accepted }
  }
}

/** A cheap 64-bit FNV-1a hash of the normalised values (null and '' cannot both occur). */
function rowHash(values: readonly (string | number | null)[]): string {
  const text = values.join('\u001f')
  let h1 = 0x811c9dc5
  let h2 = 0x01000193
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 16777619)
    h2 = Math.imul(h2 ^ c, 2246822507)
  }
  return (h1 >>> 0).toString(36) + (h2 >>> 0).toString(36)
}
