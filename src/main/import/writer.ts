import type Database from 'better-sqlite3'
import { BOOKKEEPING_COLUMNS, SIP_KIND, type RecordKind, type RowValue } from './records'

type Probe = [snapshotAt: string, rowHash: string, importId: number, priorHash: string | null, ...indexed: RowValue[]]

/** Fields copied from a SIP snapshot into `sip_history`. */
const HISTORY_SOURCES = ['amount', 'currentSipStatus', 'success_amount', 'failed_amount', 'success_count', 'is_active'] as const
const HISTORY_COLUMNS = ['amount', 'current_sip_status', 'success_amount', 'failed_amount', 'success_count', 'is_active']

/**
 * Upserts the rows of one record kind for one import with statements prepared once (raw SQL text built from the
 * kind's columns: the hot loop binds positional rows straight from the parser's batches).
 *
 * A record replaces the stored one when its snapshot is newer, or equally new with other values
 * (the later of two equal snapshots wins). Counts are net over the import: a key written twice in
 * one file that ends as it was before counts as unchanged, so re-importing a file writes and
 * reports nothing. To know that, each row remembers the import that last wrote it and the hash it
 * had before that import.
 *
 * Into an empty table (a first import) every key is new, so rows go straight to an upsert whose
 * own condition picks the winner, and the count of inserted rows is the table's size at the end.
 *
 * An update sets only the indexed columns whose value changed: SQLite rewrites an index entry for
 * every column an UPDATE assigns, and a newer export rarely moves a SIP to another client or agent.
 */
export class RecordWriter {
  private readonly probe: Database.Statement
  private readonly insert: Database.Statement
  /** Positions in a row of the columns some secondary index holds. */
  private readonly indexed: number[]
  /** UPDATE statements by which indexed columns changed (a bit per entry of `indexed`), made on first use. */
  private readonly updates = new Map<number, { statement: Database.Statement; positions: number[] }>()
  private readonly sqlite: Database.Database
  private readonly kind: RecordKind
  private readonly firstLoad: Database.Statement | null
  private readonly history: Database.Statement | null
  private readonly historyIndexes: number[]
  private readonly countRows: Database.Statement
  private inserted = 0
  private updated = 0
  private accepted = 0

  constructor(
    sqlite: Database.Database,
    kind: RecordKind,
    private readonly importId: number,
  ) {
    const { table, keyColumn, columns } = kind
    this.sqlite = sqlite
    this.kind = kind
    this.indexed = indexedColumns(sqlite, table)
      .map((column) => columns.indexOf(column))
      .filter((position) => position > 0 && position < kind.fields.length)
    const probed = [...BOOKKEEPING_COLUMNS, ...this.indexed.map((position) => columns[position])]
    this.probe = sqlite.prepare(`SELECT ${probed.join(', ')} FROM ${table} WHERE ${keyColumn} = ?`).raw()
    const insert = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
    this.insert = sqlite.prepare(insert)
    const empty = sqlite.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get() === undefined
    const updates = columns.filter((c) => c !== keyColumn).map((c) => `${c} = excluded.${c}`)
    this.firstLoad = empty
      ? sqlite.prepare(
          `${insert} ON CONFLICT (${keyColumn}) DO UPDATE SET ${updates.join(', ')}
           WHERE excluded.snapshot_at > ${table}.snapshot_at
             OR (excluded.snapshot_at = ${table}.snapshot_at AND excluded.row_hash <> ${table}.row_hash)`,
        )
      : null
    this.countRows = sqlite.prepare(`SELECT count(*) AS n FROM ${table}`)
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

  /** Writes one row of this kind's values, as of its snapshot time. */
  write(row: readonly RowValue[], snapshotAt: string): void {
    const key = row[0] as string
    this.accepted++
    const hash = rowHash(row)
    if (this.firstLoad) {
      this.firstLoad.run(...row, snapshotAt, hash, this.importId, null)
    } else {
      const stored = this.probe.get(key) as Probe | undefined
      if (stored === undefined) {
        this.insert.run(...row, snapshotAt, hash, this.importId, null)
        this.inserted++
      } else {
        const [storedSnapshot, storedHash, storedImport, storedPrior, ...storedIndexed] = stored
        const wins = snapshotAt > storedSnapshot || (snapshotAt === storedSnapshot && hash !== storedHash)
        if (wins) {
          const touchedBefore = storedImport === this.importId
          const prior = touchedBefore ? storedPrior : storedHash
          let changed = 0
          for (let k = 0; k < this.indexed.length; k++) if (row[this.indexed[k]] !== storedIndexed[k]) changed |= 1 << k
          const update = this.updateFor(changed)
          update.statement.run(...update.positions.map((i) => row[i]), snapshotAt, hash, this.importId, prior, key)
          if (!touchedBefore) this.updated++
          else if (storedPrior !== null) this.updated += Number(hash !== storedPrior) - Number(storedHash !== storedPrior)
        }
      }
    }
    if (this.history) this.history.run(key, snapshotAt, ...this.historyIndexes.map((i) => row[i]), this.importId)
  }

  private updateFor(changed: number): { statement: Database.Statement; positions: number[] } {
    let update = this.updates.get(changed)
    if (!update) {
      const unchanged = new Set(this.indexed.filter((_, k) => (changed & (1 << k)) === 0))
      const positions = this.kind.fields.map((_, i) => i).filter((i) => i > 0 && !unchanged.has(i))
      const assigned = [...positions.map((i) => this.kind.columns[i]), ...BOOKKEEPING_COLUMNS]
      const statement = this.sqlite.prepare(
        `UPDATE ${this.kind.table} SET ${assigned.map((c) => `${c} = ?`).join(', ')} WHERE ${this.kind.keyColumn} = ?`,
      )
      update = { statement, positions }
      this.updates.set(changed, update)
    }
    return update
  }

  counts(): { inserted: number; updated: number; accepted: number } {
    const inserted = this.firstLoad ? (this.countRows.get() as { n: number }).n : this.inserted
    return { inserted, updated: this.updated, accepted: this.accepted }
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

/** Columns held by the table's secondary indexes (not its primary key). */
function indexedColumns(sqlite: Database.Database, table: string): string[] {
  const indexes = sqlite.prepare(`SELECT name FROM pragma_index_list(?) WHERE origin = 'c'`).all(table) as { name: string }[]
  const columns = indexes.flatMap(({ name }) =>
    (sqlite.prepare('SELECT name FROM pragma_index_info(?)').all(name) as { name: string | null }[]).map((c) => c.name),
  )
  return [...new Set(columns.filter((c): c is string => c !== null))]
}
