import type Database from 'better-sqlite3'
import type { Db, ReadableDb } from '../db/open'
import { allRows, oneRow, prepared, runSql, sql } from '../db/sql'
import { AppError, type ErrorBody } from '../../shared/errors'
import { startWorker } from '../workers'
import type { UndoResult } from '../../shared/changes'
import { changedSet, importName } from './changes'
import { rebuildDerived } from './derived'
import { applyFollowUpChange, getFollowUp } from './followUps'
import { resolveAsOf } from './settings'
import type { FollowUpState, OpportunityType } from '../../shared/detection'
import { agentOfKey } from '../../shared/agentKey'

/**
 * SPEC §7.2: undoing an import. While an import writes, temporary triggers on its own connection
 * copy each row it is about to replace, as it was before the import, into `undo_*`; an undo deletes
 * what the import wrote and puts those rows back. Rows the import inserted have no copy: they go.
 */

/** The tables an import writes, and where the rows it replaces are kept. */
const KEPT = [
  { table: 'sips', undo: 'undo_sips' },
  { table: 'sip_history', undo: 'undo_sip_history' },
  { table: 'clients', undo: 'undo_clients' },
] as const

/** Undo data is kept for this many of the latest imports, so the file does not grow with every import. */
export const UNDO_KEPT_FOR = 3

/** A table's stored columns (not generated ones), in table order. */
const storedColumns = (sqlite: Database.Database, table: string): string[] =>
  allRows<{ name: string }>(sqlite, sql`SELECT name FROM pragma_table_xinfo(${table}) WHERE hidden = 0`).map((c) => c.name)

/**
 * Starts keeping, for import set `setId`, the rows it replaces: those last written before it (by an
 * import id up to `lastImportBefore`). Call inside the import's transaction; returns what stops it.
 */
export function keepReplacedRows(sqlite: Database.Database, setId: number, lastImportBefore: number): () => void {
  const triggers = KEPT.map(({ table, undo }) => {
    const columns = storedColumns(sqlite, table)
    const name = `temp.keep_${table}`
    // Raw text: a trigger's body takes no bound values; set and import ids are integers this code made, never user input.
    sqlite.exec(`DROP TRIGGER IF EXISTS ${name}`)
    sqlite.exec(`CREATE TEMP TRIGGER keep_${table} BEFORE UPDATE ON main.${table} WHEN old.import_id <= ${Math.trunc(lastImportBefore)}
      BEGIN
        INSERT OR IGNORE INTO ${undo} (set_id, ${columns.join(', ')}) VALUES (${Math.trunc(setId)}, ${columns.map((c) => `old.${c}`).join(', ')});
      END`)
    return name
  })
  runSql(sqlite, sql`UPDATE import_sets SET undo_kept = 1 WHERE id = ${setId}`)
  return () => {
    for (const name of triggers) sqlite.exec(`DROP TRIGGER IF EXISTS ${name}`)
  }
}

/**
 * Drops the undo data of all but the latest `UNDO_KEPT_FOR` imports not undone that changed
 * something; import `setId`, just written, keeps none when it changed nothing (SPEC §8.6). Inside
 * the import's transaction.
 */
export function forgetOldUndoData(sqlite: Database.Database, setId: number): void {
  if (!oneRow(sqlite, sql`SELECT 1 FROM import_sets WHERE id = ${setId} AND ${changedSet()}`)) dropUndoData(sqlite, setId)
  const old = allRows<{ id: number }>(
    sqlite,
    sql`SELECT id FROM import_sets WHERE undo_kept = 1 AND undone_at IS NULL ORDER BY id DESC LIMIT -1 OFFSET ${UNDO_KEPT_FOR}`,
  ).map((r) => r.id)
  for (const id of old) dropUndoData(sqlite, id)
}

/** SPEC §7.2: imports from before a restore cannot be undone; the restore drops their undo data. */
export function forgetAllUndoData(sqlite: Database.Database): void {
  for (const { undo } of KEPT) runSql(sqlite, sql`DELETE FROM ${sql.raw(undo)}`)
  runSql(sqlite, sql`UPDATE import_sets SET undo_kept = 0`)
}

const dropUndoData = (sqlite: Database.Database, setId: number): void => {
  for (const { undo } of KEPT) runSql(sqlite, sql`DELETE FROM ${sql.raw(undo)} WHERE set_id = ${setId}`)
  runSql(sqlite, sql`UPDATE import_sets SET undo_kept = 0 WHERE id = ${setId}`)
}

interface SetRow {
  id: number
  undo_kept: number
  started_at: string
}

/** The import an undo would take back: the most recent one not undone that changed something (SPEC §8.6); null when there is none. */
export function lastUndoable(db: ReadableDb): SetRow | null {
  return (
    oneRow<SetRow>(
      db.sqlite,
      sql`SELECT id, undo_kept, started_at FROM import_sets WHERE undone_at IS NULL AND ${changedSet()} ORDER BY id DESC LIMIT 1`,
    ) ?? null
  )
}

/** The follow-up state an import gave, and the one an undo puts back, by what the import did. */
const REVERSAL = { credited: { from: 'converted', to: 'contacted' }, reopened: { from: 'open', to: 'converted' } } as const

/**
 * Undoes the most recent import not undone, in one transaction: its SIPs, their history and its
 * clients go back to what they were before it, the derived results are rebuilt with the current
 * settings, and the follow-ups it credited or reopened go back unless their state changed since.
 * Calls, notes and every other follow-up change stay.
 */
export function undoLastImport(db: Db): UndoResult {
  return db.sqlite
    .transaction((): UndoResult => {
      const set = lastUndoable(db)
      if (!set) throw new AppError('not_found', 'nothing to undo: every import has been undone, or none was made')
      if (!set.undo_kept) {
        throw new AppError(
          'conflict',
          `import #${set.id} cannot be undone: its undo data is not kept (undo is kept for the last ${UNDO_KEPT_FOR} imports, ` +
            'and not for imports made by an older version or before a restore); restore a backup instead',
        )
      }
      const files = allRows<{ file_name: string }>(db.sqlite, sql`SELECT file_name FROM imports WHERE set_id = ${set.id} ORDER BY id`).map(
        (f) => f.file_name,
      )
      let restored = 0
      let removed = 0
      for (const { table, undo } of KEPT) {
        const columns = sql.raw(storedColumns(db.sqlite, table).join(', '))
        const gone = runSql(
          db.sqlite,
          sql`DELETE FROM ${sql.raw(table)} WHERE import_id IN (SELECT id FROM imports WHERE set_id = ${set.id})`,
        )
        const put = runSql(
          db.sqlite,
          sql`INSERT INTO ${sql.raw(table)} (${columns}) SELECT ${columns} FROM ${sql.raw(undo)} WHERE set_id = ${set.id}`,
        )
        if (table === 'sips') [restored, removed] = [put.changes, gone.changes - put.changes]
      }
      const reversed = reverseFollowUps(db, set.id)
      reversed.reopened += reverseReopenings(db, set.id)
      runSql(db.sqlite, sql`DELETE FROM import_figures WHERE set_id = ${set.id}`)
      dropUndoData(db.sqlite, set.id)
      runSql(db.sqlite, sql`UPDATE import_sets SET undone_at = ${new Date().toISOString()} WHERE id = ${set.id}`)
      rebuildDerived(db)
      return {
        import_id: set.id,
        files,
        sips_restored: restored,
        sips_removed: removed,
        credits_reversed: reversed.credited,
        reopenings_reversed: reversed.reopened,
        as_of: resolveAsOf(db),
      }
    })
    .immediate()
}

/**
 * SPEC §4 "Reopening": puts back the state and date of the follow-ups import `setId` reopened,
 * each field unless it changed after the import; returns how many were put back.
 */
function reverseReopenings(db: Db, setId: number): number {
  const reopened = allRows<{
    type: OpportunityType
    user_id: string
    agent_external_id: string
    state_before: FollowUpState
    next_action_date_before: string | null
  }>(db.sqlite, sql`SELECT type, user_id, agent_external_id, state_before, next_action_date_before FROM reopenings WHERE set_id = ${setId}`)
  const lastChange = prepared(
    db.sqlite,
    (r: (typeof reopened)[number], kind: 'state' | 'next_action_date') =>
      sql`SELECT import_id FROM follow_up_events WHERE type = ${r.type} AND user_id = ${r.user_id} AND agent_external_id = ${r.agent_external_id}
          AND kind = ${kind} ORDER BY id DESC LIMIT 1`,
  )
  const madeByImport = (r: (typeof reopened)[number], kind: 'state' | 'next_action_date'): boolean =>
    lastChange.oneRow<{ import_id: number | null }>(r, kind)?.import_id === setId
  const detail = `${importName(db.sqlite, setId)} was undone`
  let reversed = 0
  for (const r of reopened) {
    const back = {
      ...(madeByImport(r, 'state') ? { state: r.state_before } : {}),
      ...(madeByImport(r, 'next_action_date') ? { next_action_date: r.next_action_date_before } : {}),
    }
    if (Object.keys(back).length === 0) continue
    const key = { type: r.type, user_id: r.user_id, agent_external_id: agentOfKey(r.agent_external_id) }
    applyFollowUpChange(db, { ...key, ...back }, { importId: setId, detail })
    reversed++
  }
  runSql(db.sqlite, sql`DELETE FROM reopenings WHERE set_id = ${setId}`)
  return reversed
}

/** How the undo worker (`undoWorker.ts`) ended. */
export type UndoMessage = { type: 'done'; result: UndoResult } | { type: 'failed'; error: ErrorBody }

/** `undoLastImport` on the book at `dbPath`, in a worker thread with its own connection. */
export function undoInWorker(dbPath: string): Promise<UndoResult> {
  const worker = startWorker('undoWorker', { dbPath })
  return new Promise((resolve, reject) => {
    worker.once('message', (message: UndoMessage) =>
      message.type === 'done' ? resolve(message.result) : reject(AppError.revive(message.error)),
    )
    worker.once('error', (error) => reject(new AppError('internal', `the undo failed: ${error.message}`)))
    worker.once('exit', () => reject(new AppError('internal', 'the undo stopped unexpectedly')))
  })
}

/** Puts back the follow-ups import `setId` credited or reopened, unless their state changed after it; returns how many of each. */
function reverseFollowUps(db: Db, setId: number): Record<keyof typeof REVERSAL, number> {
  const changed = allRows<{ type: OpportunityType; user_id: string; agent_external_id: string; follow_up: keyof typeof REVERSAL }>(
    db.sqlite,
    sql`SELECT c.type, c.user_id, c.agent_external_id, c.follow_up FROM opportunity_changes c WHERE c.set_id = ${setId} AND c.follow_up IS NOT NULL`,
  )
  const lastStateChange = prepared(
    db.sqlite,
    (c: (typeof changed)[number]) =>
      sql`SELECT import_id FROM follow_up_events WHERE type = ${c.type} AND user_id = ${c.user_id} AND agent_external_id = ${c.agent_external_id}
          AND kind = 'state' ORDER BY id DESC LIMIT 1`,
  )
  const detail = `${importName(db.sqlite, setId)} was undone`
  const reversed = { credited: 0, reopened: 0 }
  for (const c of changed) {
    const key = { type: c.type, user_id: c.user_id, agent_external_id: agentOfKey(c.agent_external_id) }
    const { from, to } = REVERSAL[c.follow_up]
    const last = lastStateChange.oneRow<{ import_id: number | null }>(c)
    if (getFollowUp(db, key).state !== from || last?.import_id !== setId) continue
    applyFollowUpChange(db, { ...key, state: to }, { importId: setId, detail })
    reversed[c.follow_up]++
  }
  return reversed
}
