import { SqliteError } from 'better-sqlite3'
import type { Db, ReadableDb } from '../db/open'
import type { OpportunityType } from '../../shared/detection'
import { agentBooks, clientStakes, INDEXES_AFTER_COMMIT, OPPORTUNITY_LIST_INDEXES, opportunities, opportunitySips } from '../db/schema'
import { allRows, oneRow, runSql, sql, tableName } from '../db/sql'
import { createDeclaredIndex, deferIndexesOfEmptyTable, missingIndexes } from '../db/indexes'
import { writeTransaction } from '../db/write'
import { buildClientTotals } from '../detectors/common'
import { DETECTORS } from '../detectors/registry'
import { BOOK_FIGURES } from './bookFigures'
import { queueChangedForAll } from './queue'
import { getSettings, resolveAsOf } from './settings'

/**
 * Derived results: the detectors' opportunities, their SIPs, the clients' at-stake figures, the
 * agents' books and the whole-book totals, all computed for one (data, as-of, thresholds) state.
 * Reads only read them; `isStale` says when they no longer match, and `rebuildDerived` (an explicit
 * write, done by the import worker, the CLI before it reads, or tests) brings them up to date.
 */

/** Changes whenever the imported data does: an import, or the undo of one (SPEC §7.2). */
export const bookVersion = (db: ReadableDb): string => {
  const { last, undone } = oneRow<{ last: number | null; undone: number }>(
    db.sqlite,
    sql`SELECT (SELECT max(id) FROM imports) AS last, (SELECT count(*) FROM import_sets WHERE undone_at IS NOT NULL) AS undone`,
  )!
  return undone === 0 ? String(last) : `${last}-${undone}`
}

/** The state derived results must have been computed from to answer for `asOf` now. */
const versionFor = (db: ReadableDb, asOf: string): string => JSON.stringify([bookVersion(db), asOf, getSettings(db).thresholds])

const OPPORTUNITIES_KEY = 'opportunities'

/** The version the stored results were computed from, '' before any rebuild. */
export const storedVersion = (db: ReadableDb): string =>
  oneRow<{ version: string }>(db.sqlite, sql`SELECT version FROM derived WHERE key = ${OPPORTUNITIES_KEY}`)?.version ?? ''

/** Whether the stored results answer for `asOf` (an empty book never is: there is nothing to compute). */
export function isStale(db: ReadableDb, asOf: string): boolean {
  if (storedVersion(db) === versionFor(db, asOf)) return false
  return oneRow(db.sqlite, sql`SELECT 1 FROM sips LIMIT 1`) !== undefined || storedVersion(db) !== ''
}

/** A whole-book figure (`BOOK_FIGURES`) computed at the last rebuild; null when none was. */
export function readDerived<K extends keyof typeof BOOK_FIGURES>(db: ReadableDb, key: K): ReturnType<(typeof BOOK_FIGURES)[K]> | null {
  const row = oneRow<{ value: string }>(db.sqlite, sql`SELECT value FROM derived WHERE key = ${key}`)
  return row ? (JSON.parse(row.value) as ReturnType<(typeof BOOK_FIGURES)[K]>) : null
}

const writeDerived = (db: Db, key: string, version: string, value: unknown): void => {
  runSql(
    db.sqlite,
    sql`INSERT INTO derived (key, version, value) VALUES (${key}, ${version}, ${JSON.stringify(value)})
        ON CONFLICT (key) DO UPDATE SET version = excluded.version, value = excluded.value`,
  )
}

/** Per client, ₹ a year at stake over all its opportunities, each SIP once, and the auto-cancel final warning. */
const CLIENT_STAKES = sql`INSERT INTO client_stakes (user_id, agent_external_id, at_stake, final_warning_date)
  SELECT p.user_id, p.agent_external_id, sum(p.top), (
      SELECT coalesce(o.next_debit_date, '9999-12-31') FROM opportunities o
      WHERE o.type = ${'auto_cancel_risk' satisfies OpportunityType} AND o.user_id = p.user_id AND o.agent_external_id = p.agent_external_id AND o.final_warning = 1)
  FROM (SELECT user_id, agent_external_id, sip_meta_id, max(annual_value) AS top FROM opportunity_sips GROUP BY 1, 2, 3) p
  GROUP BY p.user_id, p.agent_external_id`

/** Per agent, its clients' live books added up (SPEC §3.6), from the rebuild's `client_totals`. */
const AGENT_BOOKS = sql`INSERT INTO agent_books (agent_external_id, agent_id, live_sips, clients, total_invested, monthly_sip_amount, failing)
  SELECT agent_key, max(agent_id), sum(live_sips), count(*), sum(total_invested), coalesce(sum(monthly_active), 0), sum(failing)
  FROM client_totals GROUP BY agent_key`

/**
 * Recomputes every derived result for `asOf` (default: the as-of date the settings give) in one
 * transaction. With `later` (an import, which Today waits for), what Today does not need is left
 * for `completeAfterCommit`: the whole-book figures (`BOOK_FIGURES`) are not stored — the agents
 * table's stay as they were, behind (`agentsBehind`); the others, absent, are worked out when asked —
 * and the list's sort indexes (`OPPORTUNITY_LIST_INDEXES`) are not built.
 */
export function rebuildDerived(db: Db, asOf = resolveAsOf(db), { later = false } = {}): void {
  const { thresholds } = getSettings(db)
  const version = versionFor(db, asOf)
  db.sqlite
    .transaction(() => {
      for (const table of [opportunities, opportunitySips, clientStakes, agentBooks]) db.orm.delete(table).run()
      // Filled without their indexes; the clients' stakes read the SIPs' rows in one sorted pass.
      const restore = [
        deferIndexesOfEmptyTable(db.sqlite, tableName(opportunities), OPPORTUNITY_LIST_INDEXES),
        deferIndexesOfEmptyTable(db.sqlite, tableName(opportunitySips)),
        deferIndexesOfEmptyTable(db.sqlite, tableName(clientStakes)),
      ]
      buildClientTotals(db.sqlite)
      for (const detector of DETECTORS) detector.run(db.sqlite, { ...thresholds, as_of: asOf })
      runSql(db.sqlite, AGENT_BOOKS)
      runSql(db.sqlite, sql`DROP TABLE temp.client_totals`)
      runSql(db.sqlite, CLIENT_STAKES)
      for (const done of restore) done()
      if (!later) for (const name of OPPORTUNITY_LIST_INDEXES) createDeclaredIndex(db.sqlite, opportunities, name)
      runSql(db.sqlite, later ? sql`DELETE FROM derived WHERE key <> ${AGENTS_KEY}` : sql`DELETE FROM derived`)
      writeDerived(db, OPPORTUNITIES_KEY, version, asOf)
      queueChangedForAll(db)
      if (!later) for (const [key, compute] of Object.entries(BOOK_FIGURES)) writeDerived(db, key, version, compute(db))
    })
    .immediate()
}

/**
 * What an import left for after its commit: the whole-book figures (`rebuildDerived` with
 * `later`), then each missing index of `INDEXES_AFTER_COMMIT` in a short write of its own (the
 * longest, 2.3 s on a million SIPs, within the 5 s a call saved meanwhile waits for the book).
 * Until then the screens that use them answer, only slower. An import interrupted before this
 * leaves the same state: the next refresh completes it.
 */
export function completeAfterCommit(db: Db): void {
  storeFiguresBehind(db)
  for (const [table, names] of INDEXES_AFTER_COMMIT)
    for (const name of missingIndexes(db.sqlite, table, names)) writeTransaction(db, () => createDeclaredIndex(db.sqlite, table, name))
}

const indexesMissing = (db: ReadableDb): boolean =>
  INDEXES_AFTER_COMMIT.some(([table, names]) => missingIndexes(db.sqlite, table, names).length > 0)

/**
 * For the list: asks the host to build the indexes an import left for after its commit and did not
 * get to (the app closed first), as `completeAfterCommit` does. The list answers meanwhile, slower.
 */
export function askForMissingIndexes(db: ReadableDb, options: ReadOptions): void {
  if (!db.readOnly && indexesMissing(db)) options.onStale?.()
}

const AGENTS_KEY = 'agents' satisfies keyof typeof BOOK_FIGURES

/** The whole-book figures not stored for the opportunities the last rebuild left, empty before any rebuild. */
function figuresBehind(db: ReadableDb): (keyof typeof BOOK_FIGURES)[] {
  const version = storedVersion(db)
  if (version === '') return []
  const stored = new Set(
    allRows<{ key: string }>(db.sqlite, sql`SELECT key FROM derived WHERE version = ${version}`).map((row) => row.key),
  )
  return (Object.keys(BOOK_FIGURES) as (keyof typeof BOOK_FIGURES)[]).filter((key) => !stored.has(key))
}

/**
 * The whole-book figures the last rebuild left for later (see `rebuildDerived`), worked out on a
 * read snapshot, so a call saved meanwhile does not wait for them (3.8 s on a million SIPs), then
 * stored in a short write unless the opportunities have changed since.
 */
function storeFiguresBehind(db: Db): void {
  const [version, figures] = db.sqlite.transaction(
    () => [storedVersion(db), figuresBehind(db).map((key) => [key, BOOK_FIGURES[key](db)] as const)] as const,
  )()
  if (figures.length === 0) return
  writeTransaction(db, () => {
    if (storedVersion(db) === version) for (const [key, value] of figures) writeDerived(db, key, version, value)
  })
}

/** Whether the agents table's figures lag the opportunities: for a moment after an import's commit. */
export const agentsBehind = (db: ReadableDb): boolean => figuresBehind(db).includes(AGENTS_KEY)

const needsRebuild = (db: ReadableDb, asOf: string): boolean => isStale(db, asOf) || agentsBehind(db)

/**
 * Brings the derived results up to date for `asOf`: rebuilt when they are stale, and what an import
 * left for after its commit (`completeAfterCommit`), should it have ended first. For the hosts'
 * recalculation, the CLI and tests, which read right after, and an import's baseline.
 */
export function refreshIfStale(db: Db, asOf = resolveAsOf(db)): void {
  if (isStale(db, asOf)) rebuildDerived(db, asOf)
  completeAfterCommit(db)
}

/**
 * Before a read that wants current figures (the CLI): rebuilds stale results when it can. A
 * read-only book, or one on a disk too full for the rebuild (`SQLITE_FULL`), is read as it is,
 * like a book that cannot be written: returns why its figures are the last computed, null when
 * they answer for `asOf`.
 */
export function refreshForRead(db: Db, asOf: string): string | null {
  if (db.readOnly) return needsRebuild(db, asOf) ? 'is read-only' : null
  try {
    refreshIfStale(db, asOf)
    return null
  } catch (error) {
    if (isDiskFull(error)) return DISK_TOO_FULL
    throw error
  }
}

/** Why a book's figures are the last computed when its disk has no room to rebuild them (`SQLITE_FULL`). */
export const DISK_TOO_FULL = 'is on a disk too full to bring them up to date'

export const isDiskFull = (error: unknown): boolean => error instanceof SqliteError && error.code === 'SQLITE_FULL'

/** How a read treats results that are out of date. */
export interface ReadOptions {
  /** Called when they are, so a host can have them rebuilt elsewhere (the import worker). */
  onStale?: () => void
  /** Why the host will not rebuild them for now (its last rebuild found the disk full), or null. */
  notRebuilt?: () => string | null
}

/**
 * Whether a read answering for `asOf` serves previous results (`refreshing`), asking the host to
 * rebuild them. Never writes. A read-only book is never rebuilt: it answers with what it holds; nor is
 * one whose last rebuild found the disk full, until the host tries again: it answers with what it
 * holds and says why (`stale_because`), so a screen does not keep asking.
 */
export const freshness = (db: ReadableDb, asOf: string, options: ReadOptions = {}): Freshness => freshnessOf(db, isStale(db, asOf), options)

/** `freshness` for the agents table, whose figures lag an import's commit for a moment. */
export const agentsFreshness = (db: ReadableDb, asOf: string, options: ReadOptions = {}): Freshness =>
  freshnessOf(db, needsRebuild(db, asOf), options)

interface Freshness {
  refreshing: boolean
  stale_because: string | null
}

function freshnessOf(db: ReadableDb, stale: boolean, options: ReadOptions): Freshness {
  if (db.readOnly || !stale) return { refreshing: false, stale_because: null }
  const notRebuilt = options.notRebuilt?.() ?? null
  if (notRebuilt !== null) return { refreshing: false, stale_because: notRebuilt }
  options.onStale?.()
  return { refreshing: true, stale_because: null }
}
