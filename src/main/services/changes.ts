import type Database from 'better-sqlite3'
import type { Db, ReadableDb } from '../db/open'
import { allRows, oneRow, prepared, runSql, sql, type RowOf, type SqlFragment } from '../db/sql'
import type { importSets } from '../db/schema'
import { type RequestOf } from '../../shared/contract'
import { AppError } from '../../shared/errors'
import {
  EVENT_LABELS,
  SIP_EVENTS,
  type ChangeSet,
  type EventValues,
  type OpportunityChangeFilter,
  type ReopenEvent,
  reopenWords,
  type SipEventKind,
} from '../../shared/changes'
import type { FollowUpState, OpportunityType } from '../../shared/detection'
import { FOLLOW_UP_OF } from './followUpRules'
import { refreshIfStale } from './derived'
import { storeImportFigures } from './importFigures'
import { applyFollowUpChange } from './followUps'
import { resolveAsOf } from './settings'
import { agentOfKey } from '../../shared/agentKey'
import { agentNameOf } from './opportunities'
import { isoOfLocal } from '../../shared/format'

/**
 * SPEC §7.1: the changes of an import, worked out inside its transaction as SQL over whole tables:
 * the derived results before it are set aside (`takeBaseline`), the files are written (the rows
 * they replace kept by `undo.ts`), the derived results rebuilt, then `recordChanges` compares.
 */

/** What `takeBaseline` sets aside, as temporary tables the import's comparison reads. */
const BASELINE = [
  sql`DROP TABLE IF EXISTS temp.before_opps`,
  sql`CREATE TEMP TABLE before_opps (type TEXT, user_id TEXT, agent_external_id TEXT, annual_value REAL,
        missed_instalments INTEGER, final_warning INTEGER, ceased INTEGER,
        PRIMARY KEY (type, user_id, agent_external_id)) WITHOUT ROWID`,
  sql`INSERT INTO temp.before_opps SELECT type, user_id, agent_external_id, annual_value, missed_instalments, final_warning, ceased
        FROM main.opportunities`,
  sql`DROP TABLE IF EXISTS temp.before_opp_sips`,
  sql`CREATE TEMP TABLE before_opp_sips (type TEXT, user_id TEXT, agent_external_id TEXT, sip_meta_id TEXT, annual_value REAL,
        PRIMARY KEY (type, user_id, agent_external_id, sip_meta_id)) WITHOUT ROWID`,
  sql`INSERT INTO temp.before_opp_sips SELECT os.type, os.user_id, os.agent_external_id, os.sip_meta_id, os.annual_value
        FROM main.follow_ups f JOIN main.opportunity_sips os
          ON os.user_id = f.user_id AND os.agent_external_id = f.agent_external_id AND os.type = f.type
        WHERE f.state IN ('contacted', 'converted')`,
]

const hasSips = (db: ReadableDb): boolean => oneRow(db.sqlite, sql`SELECT 1 FROM sips LIMIT 1`) !== undefined

/**
 * Before an import writes: brings the derived results up to date for the book as it is (thresholds
 * in force, the as-of the settings give) and sets aside its opportunities, and the SIPs of those a
 * call left `contacted` or `converted` (the only ones an import can credit or reopen). Returns the as-of they answer for,
 * null for an empty book.
 */
export function takeBaseline(db: Db): string | null {
  const asOf = resolveAsOf(db)
  refreshIfStale(db, asOf)
  for (const statement of BASELINE) runSql(db.sqlite, statement)
  return hasSips(db) ? asOf : null
}

/**
 * SPEC §7.1, §8.6: an import set that changed something — some file of it inserted or updated a
 * record. One that changed nothing is a history entry only: no change set, not the last export,
 * no undo slot. SQL over `import_sets`, named as is or by `alias`.
 */
export const changedSet = (alias = 'import_sets'): SqlFragment =>
  sql.raw(`EXISTS (SELECT 1 FROM imports WHERE imports.set_id = ${alias}.id AND imports.inserted + imports.updated > 0)`)

/** A 0/1/null column as a JSON boolean. */
const bool = (column: string): string => `json(CASE WHEN ${column} IS NULL THEN 'null' WHEN ${column} THEN 'true' ELSE 'false' END)`

/**
 * Each event (SPEC §7.1) of a SIP the import replaced, over `temp.pairs` (`*0` the row before,
 * `*1` after): when it happened and the fields it is about. Several per SIP are possible.
 */
const EVENT_RULES: Record<Exclude<SipEventKind, 'new_sip'>, { when: string; before: string; after: string }> = {
  stepped_up: { when: 'a1 > a0', before: "json_object('amount', a0)", after: "json_object('amount', a1)" },
  reduced: { when: 'a1 < a0', before: "json_object('amount', a0)", after: "json_object('amount', a1)" },
  stopped: {
    when: 'coalesce(act0, 0) = 1 AND coalesce(del0, 0) = 0 AND (coalesce(act1, 0) = 0 OR coalesce(del1, 0) = 1)',
    before: `json_object('is_active', ${bool('act0')}, 'deleted', ${bool('del0')})`,
    after: `json_object('is_active', ${bool('act1')}, 'deleted', ${bool('del1')})`,
  },
  started_failing: {
    when: "st1 = 'Failed' AND st0 IS NOT 'Failed'",
    before: "json_object('status', st0)",
    after: "json_object('status', st1)",
  },
  recovered: { when: "st0 = 'Failed' AND st1 = 'Success'", before: "json_object('status', st0)", after: "json_object('status', st1)" },
  paused: { when: "st1 = 'Paused' AND st0 IS NOT 'Paused'", before: "json_object('status', st0)", after: "json_object('status', st1)" },
  resumed: {
    when: "st0 = 'Paused' AND st1 IN ('Success', 'In Progress')",
    before: "json_object('status', st0)",
    after: "json_object('status', st1)",
  },
  more_failed: {
    when: 'coalesce(f1, 0) > coalesce(f0, 0)',
    before: "json_object('failed_amount', f0)",
    after: "json_object('failed_amount', f1)",
  },
}

/**
 * The advisor's follow-ups, read first (`CROSS JOIN` keeps that order) and each looked up in the
 * table after it: they are a few thousand, a big book's opportunities and their changes hundreds of
 * thousands, which the planner otherwise scanned (1 s on a million SIPs with no follow-up at all).
 */
const FOLLOW_UPS_THEN = sql.raw('main.follow_ups f CROSS JOIN')

/** The changes of set `setId` (`c`) of the advisor's follow-ups (`f`), found from the follow-ups. */
const followedChanges = (setId: number): SqlFragment =>
  sql`${FOLLOW_UPS_THEN} main.opportunity_changes c ON c.set_id = ${setId} AND c.type = f.type AND c.user_id = f.user_id
    AND c.agent_external_id = f.agent_external_id`

/** The changes of set `setId` that credited a follow-up (`c`). */
export const creditedChanges = (setId: number): SqlFragment => sql`${followedChanges(setId)} AND c.follow_up = 'credited'`

/**
 * The SIPs (`b`) of the changes of set `setId` that credited a follow-up (`c`), at their values before
 * the import: found from `temp.before_opp_sips`, which holds only the SIPs of followed opportunities.
 */
export const creditedSips = (setId: number): SqlFragment =>
  sql`temp.before_opp_sips b CROSS JOIN main.opportunity_changes c ON c.set_id = ${setId} AND c.type = b.type AND c.user_id = b.user_id
    AND c.agent_external_id = b.agent_external_id AND c.follow_up = 'credited'`

/** What can explain a resolved opportunity on one of its SIPs, beyond the SIP events. */
type Evidence = SipEventKind | 'later_success' | 'later_end'

const EVIDENCE_WORDS: Record<Evidence, string> = {
  ...Object.fromEntries(SIP_EVENTS.map((e) => [e, EVENT_LABELS[e].toLowerCase()])),
  later_success: 'paid an instalment again',
  later_end: 'renewed (a later end date)',
} as Record<Evidence, string>

/**
 * SPEC §7.1 credits: the evidence on an opportunity's own SIPs that explains its resolution, by
 * type; an empty list means the import does not explain it (a SIP stopped, time passed).
 */
const CREDIT_RULES: Record<OpportunityType, (evidence: readonly { kind: Evidence }[]) => boolean> = {
  no_sip_increase: (ev) => ev.some((e) => e.kind === 'stepped_up'),
  failed_sips: (ev) => ev.some((e) => e.kind === 'recovered') && !ev.some((e) => e.kind === 'stopped'),
  auto_cancel_risk: (ev) => ev.some((e) => e.kind === 'recovered') && !ev.some((e) => e.kind === 'stopped'),
  high_value_inactive: (ev) => ev.some((e) => e.kind === 'later_success'),
  sip_ending: (ev) => ev.some((e) => e.kind === 'later_end' || e.kind === 'new_sip'),
}

/** The evidence each credit names: what the rule looked for. */
const NAMED: Record<OpportunityType, readonly Evidence[]> = {
  no_sip_increase: ['stepped_up'],
  failed_sips: ['recovered'],
  auto_cancel_risk: ['recovered'],
  high_value_inactive: ['later_success'],
  sip_ending: ['later_end', 'new_sip'],
}

/**
 * After the import's files are written and the derived results rebuilt, in the same transaction:
 * the SIP events of every SIP written by set `setId` (rows with an import id above
 * `lastImportBefore`), the opportunities new and resolved against the baseline, the credits and
 * reopenings of follow-ups, and the set's summary.
 */
export function recordChanges(db: Db, setId: number, lastImportBefore: number, previousAsOf: string | null): void {
  const sqlite = db.sqlite
  // The rows the import replaced (kept for undo), each beside the row that replaced it: driven from
  // those kept rows, so a first import, which replaces none, reads no SIP here.
  runSql(sqlite, sql`DROP TABLE IF EXISTS temp.pairs`)
  runSql(
    sqlite,
    sql`CREATE TEMP TABLE pairs AS
        SELECT s.sip_meta_id, s.user_id, coalesce(s.agent_external_id, '') AS agent,
          p.amount AS a0, s.amount AS a1, p.is_active AS act0, s.is_active AS act1, p.deleted AS del0, s.deleted AS del1,
          p.current_sip_status AS st0, s.current_sip_status AS st1, p.failed_amount AS f0, s.failed_amount AS f1,
          p.latest_success_order_date AS l0, s.latest_success_order_date AS l1, p.end_date AS e0, s.end_date AS e1
        FROM main.undo_sips p CROSS JOIN main.sips s ON s.sip_meta_id = p.sip_meta_id
        WHERE p.set_id = ${setId} AND s.import_id > ${lastImportBefore}`,
  )
  runSql(sqlite, sql`CREATE UNIQUE INDEX temp.pairs_sip ON pairs (sip_meta_id)`)
  // A SIP the import wrote with no row before it is new, and has no other event.
  const newSips = sql`SELECT s.sip_meta_id, ${'new_sip' satisfies SipEventKind}, s.user_id, coalesce(s.agent_external_id, ''), NULL,
      json_object('amount', s.amount, 'status', s.current_sip_status)
    FROM main.sips s WHERE s.import_id > ${lastImportBefore} AND NOT EXISTS (SELECT 1 FROM temp.pairs p WHERE p.sip_meta_id = s.sip_meta_id)`
  const events = Object.entries(EVENT_RULES).map(
    ([event, rule]) =>
      sql`SELECT sip_meta_id, ${event}, user_id, agent, ${sql.raw(rule.before)}, ${sql.raw(rule.after)} FROM temp.pairs WHERE ${sql.raw(rule.when)}`,
  )
  runSql(
    sqlite,
    // In key order, so each row is appended to the key's index (a first import has a million).
    sql`INSERT INTO sip_events (set_id, sip_meta_id, event, user_id, agent_external_id, before, after)
        SELECT ${setId}, * FROM (${sql.join([newSips, ...events], ' UNION ALL ')}) ORDER BY 2, 3`,
  )

  runSql(
    sqlite,
    sql`INSERT INTO opportunity_changes (set_id, type, user_id, agent_external_id, change, annual_value)
        SELECT ${setId}, o.type, o.user_id, o.agent_external_id, 'new', o.annual_value FROM main.opportunities o
        WHERE NOT EXISTS (SELECT 1 FROM temp.before_opps b WHERE b.type = o.type AND b.user_id = o.user_id AND b.agent_external_id = o.agent_external_id)
        UNION ALL
        SELECT ${setId}, b.type, b.user_id, b.agent_external_id, 'resolved', b.annual_value FROM temp.before_opps b
        WHERE NOT EXISTS (SELECT 1 FROM main.opportunities o WHERE o.type = b.type AND o.user_id = b.user_id AND o.agent_external_id = b.agent_external_id)`,
  )

  creditResolved(db, setId)
  reopenConverted(db, setId)
  reopenWorse(db, setId)
  summarise(sqlite, setId, previousAsOf, hasSips(db) ? resolveAsOf(db) : null)
  storeImportFigures(sqlite, setId)
  for (const table of ['pairs', 'before_opps', 'before_opp_sips']) runSql(sqlite, sql`DROP TABLE temp.${sql.raw(table)}`)
}

/** How activity entries name an import: its number and the files it brought, `import #2 (month2.json)`. */
export function importName(sqlite: Database.Database, setId: number): string {
  const files = allRows<{ file_name: string }>(sqlite, sql`SELECT file_name FROM imports WHERE set_id = ${setId} ORDER BY id`)
  return files.length === 0 ? `import #${setId}` : `import #${setId} (${files.map((f) => f.file_name).join(', ')})`
}

interface Candidate {
  type: OpportunityType
  user_id: string
  agent_external_id: string
  sip_meta_id: string
  kind: Evidence
}

/**
 * Resolved opportunities whose follow-up is `contacted`, with the evidence on their SIPs; converted when it explains them.
 * The candidates are materialised so each is looked up by key in the import's events: flattened, the planner
 * scanned every event of the import for every candidate (1.4 s at 10,000 SIPs with every client called).
 */
function creditResolved(db: Db, setId: number): void {
  const rows = allRows<Candidate>(
    db.sqlite,
    sql`WITH cand AS MATERIALIZED (
          SELECT c.type, c.user_id, c.agent_external_id FROM ${followedChanges(setId)}
          WHERE c.change = 'resolved' AND f.state = 'contacted'),
        cand_sips AS MATERIALIZED (
          SELECT b.type, b.user_id, b.agent_external_id, b.sip_meta_id FROM cand c
          JOIN temp.before_opp_sips b ON b.type = c.type AND b.user_id = c.user_id AND b.agent_external_id = c.agent_external_id)
        SELECT cs.*, e.event AS kind FROM cand_sips cs JOIN sip_events e ON e.set_id = ${setId} AND e.sip_meta_id = cs.sip_meta_id
        UNION ALL
        SELECT cs.*, 'later_success' FROM cand_sips cs JOIN temp.pairs p ON p.sip_meta_id = cs.sip_meta_id
        WHERE p.l1 > coalesce(p.l0, '')
        UNION ALL
        SELECT cs.*, 'later_end' FROM cand_sips cs JOIN temp.pairs p ON p.sip_meta_id = cs.sip_meta_id
        WHERE p.e0 IS NOT NULL AND (p.e1 IS NULL OR p.e1 > p.e0)
        UNION ALL
        SELECT c.type, c.user_id, c.agent_external_id, e.sip_meta_id, 'new_sip' FROM cand c
        JOIN sip_events e ON e.set_id = ${setId} AND e.event = 'new_sip' AND e.user_id = c.user_id AND e.agent_external_id = c.agent_external_id
        WHERE c.type = 'sip_ending'`,
  )
  const byOpportunity = new Map<string, Candidate[]>()
  for (const row of rows) {
    const key = JSON.stringify([row.type, row.user_id, row.agent_external_id])
    byOpportunity.set(key, [...(byOpportunity.get(key) ?? []), row])
  }
  const mark = prepared(
    db.sqlite,
    (o: Candidate, reason: string) =>
      sql`UPDATE opportunity_changes SET follow_up = 'credited', reason = ${reason}
          WHERE set_id = ${setId} AND type = ${o.type} AND user_id = ${o.user_id} AND agent_external_id = ${o.agent_external_id}`,
  )
  const credited = `credited by ${importName(db.sqlite, setId)}`
  for (const evidence of byOpportunity.values()) {
    const { type, user_id, agent_external_id } = evidence[0]
    if (!CREDIT_RULES[type](evidence)) continue
    const named = evidence.filter((e) => NAMED[type].includes(e.kind))
    const reason = [...new Set(named.map((e) => `SIP ${e.sip_meta_id} ${EVIDENCE_WORDS[e.kind]}`))].join('; ')
    const detail = `${credited}: ${reason}`
    applyFollowUpChange(
      db,
      { type, user_id, agent_external_id: agentOfKey(agent_external_id), state: 'converted' },
      { importId: setId, detail },
    )
    mark.run(evidence[0], reason)
  }
}

/** SPEC §4: a converted opportunity that the import makes new again reopens. */
function reopenConverted(db: Db, setId: number): void {
  const reopened = allRows<{ type: OpportunityType; user_id: string; agent_external_id: string }>(
    db.sqlite,
    sql`SELECT c.type, c.user_id, c.agent_external_id FROM ${followedChanges(setId)} WHERE c.change = 'new' AND f.state = 'converted'`,
  )
  const mark = prepared(
    db.sqlite,
    (o: (typeof reopened)[number]) =>
      sql`UPDATE opportunity_changes SET follow_up = 'reopened'
          WHERE set_id = ${setId} AND type = ${o.type} AND user_id = ${o.user_id} AND agent_external_id = ${o.agent_external_id}`,
  )
  for (const o of reopened) {
    const detail = `qualifies again after import #${setId}`
    applyFollowUpChange(db, { ...o, agent_external_id: agentOfKey(o.agent_external_id), state: 'open' }, { importId: setId, detail })
    mark.run(o)
  }
}

/** SPEC §8.2: what reopened a follow-up, on one of its own SIPs or on its auto-cancel count. */
interface Trigger {
  type: OpportunityType
  user_id: string
  agent_external_id: string
  state: FollowUpState
  next_action_date: string | null
  event: ReopenEvent
  sip_meta_id: string | null
  before: string | null
  after: string | null
}

/**
 * SPEC §4 "Reopening", §8.2: a `contacted` follow-up (snoozed or not) whose opportunity still
 * qualifies is reopened — state `open`, next action date the import's local date — when the import
 * records `started_failing`, `more_failed`, `stopped` or `paused` on its own SIPs (before or after),
 * or its missed instalments grew, or it became a final warning or ceased; a `converted` one only on
 * the last two. One the import credited is not reopened. What it was before is kept for undo.
 */
function reopenWorse(db: Db, setId: number): void {
  const triggers = allRows<Trigger>(
    db.sqlite,
    sql`WITH cand AS MATERIALIZED (
         SELECT o.type, o.user_id, o.agent_external_id, f.state, f.next_action_date,
           o.missed_instalments AS m1, o.final_warning AS fw1, o.ceased AS c1,
           b.missed_instalments AS m0, coalesce(b.final_warning, 0) AS fw0, coalesce(b.ceased, 0) AS c0
         FROM ${FOLLOW_UPS_THEN} main.opportunities o ON ${sql.raw(FOLLOW_UP_OF)}
         LEFT JOIN temp.before_opps b ON b.type = o.type AND b.user_id = o.user_id AND b.agent_external_id = o.agent_external_id
         WHERE f.state IN ('contacted', 'converted') AND NOT EXISTS (SELECT 1 FROM opportunity_changes c WHERE c.set_id = ${setId}
           AND c.type = o.type AND c.user_id = o.user_id AND c.agent_external_id = o.agent_external_id AND c.follow_up = 'credited')),
       own AS MATERIALIZED (
         SELECT c.type, c.user_id, c.agent_external_id, os.sip_meta_id FROM cand c JOIN main.opportunity_sips os
           ON os.type = c.type AND os.user_id = c.user_id AND os.agent_external_id = c.agent_external_id WHERE c.state = 'contacted'
         UNION
         SELECT c.type, c.user_id, c.agent_external_id, b.sip_meta_id FROM cand c JOIN temp.before_opp_sips b
           ON b.type = c.type AND b.user_id = c.user_id AND b.agent_external_id = c.agent_external_id WHERE c.state = 'contacted')
       SELECT c.type, c.user_id, c.agent_external_id, c.state, c.next_action_date, e.event, e.sip_meta_id, e.before, e.after
       FROM own o JOIN cand c ON c.type = o.type AND c.user_id = o.user_id AND c.agent_external_id = o.agent_external_id
       JOIN sip_events e ON e.set_id = ${setId} AND e.sip_meta_id = o.sip_meta_id
         AND e.event IN ('started_failing', 'more_failed', 'stopped', 'paused')
       UNION ALL
       SELECT type, user_id, agent_external_id, state, next_action_date, 'missed_grew', NULL,
         json_object('missed_instalments', m0), json_object('missed_instalments', m1)
       FROM cand WHERE state = 'contacted' AND type = 'auto_cancel_risk' AND m1 > coalesce(m0, 0)
       UNION ALL
       SELECT type, user_id, agent_external_id, state, next_action_date, 'final_warning', NULL,
         json_object('missed_instalments', m0), json_object('missed_instalments', m1)
       FROM cand WHERE type = 'auto_cancel_risk' AND fw1 = 1 AND fw0 = 0
       UNION ALL
       SELECT type, user_id, agent_external_id, state, next_action_date, 'ceased', NULL,
         json_object('missed_instalments', m0), json_object('missed_instalments', m1)
       FROM cand WHERE type = 'auto_cancel_risk' AND c1 = 1 AND c0 = 0
       ORDER BY 2, 3, 1, 6, 7`,
  )
  const byOpportunity = new Map<string, Trigger[]>()
  for (const t of triggers) {
    const key = JSON.stringify([t.type, t.user_id, t.agent_external_id])
    byOpportunity.set(key, [...(byOpportunity.get(key) ?? []), t])
  }
  const keep = prepared(
    db.sqlite,
    (t: Trigger, events: string) =>
      sql`INSERT INTO reopenings (set_id, type, user_id, agent_external_id, events, state_before, next_action_date_before)
          VALUES (${setId}, ${t.type}, ${t.user_id}, ${t.agent_external_id}, ${events}, ${t.state}, ${t.next_action_date})`,
  )
  const name = importName(db.sqlite, setId)
  const day = isoOfLocal(new Date())
  for (const found of byOpportunity.values()) {
    const { type, user_id, agent_external_id } = found[0]
    const events = found.map((t) => ({
      event: t.event,
      sip_meta_id: t.sip_meta_id,
      before: t.before === null ? null : (JSON.parse(t.before) as EventValues),
      after: t.after === null ? null : (JSON.parse(t.after) as EventValues),
    }))
    const detail = `reopened by ${name}: ${[...new Set(events.map((e) => reopenWords(e)))].join('; ')}`
    applyFollowUpChange(
      db,
      { type, user_id, agent_external_id: agentOfKey(agent_external_id), state: 'open', next_action_date: day },
      { importId: setId, detail },
    )
    keep.run(found[0], JSON.stringify(events))
  }
}

/** The set's summary: as-of dates, events by kind, new/resolved/credited and ₹ a year won. */
function summarise(sqlite: Database.Database, setId: number, previousAsOf: string | null, asOf: string | null): void {
  const counts = Object.fromEntries(
    allRows<{ event: string; n: number }>(
      sqlite,
      sql`SELECT event, count(*) AS n FROM sip_events WHERE set_id = ${setId} GROUP BY event`,
    ).map((r) => [r.event, r.n]),
  )
  // Each credited client's SIPs once, at the largest per-SIP amount among its credited opportunities, before the import.
  runSql(
    sqlite,
    sql`UPDATE import_sets SET previous_as_of = ${previousAsOf},
          as_of = ${asOf},
          event_counts = ${JSON.stringify(counts)},
          (new_count, resolved_count) = (SELECT count(*) FILTER (WHERE change = 'new'), count(*) FILTER (WHERE change = 'resolved')
            FROM opportunity_changes WHERE set_id = ${setId}),
          credited_count = (SELECT count(*) FROM ${creditedChanges(setId)}),
          won_annual = (SELECT coalesce(sum(top), 0) FROM (
            SELECT max(b.annual_value) AS top FROM ${creditedSips(setId)} GROUP BY b.user_id, b.agent_external_id, b.sip_meta_id))
        WHERE id = ${setId}`,
  )
}

/** A set's stored events by kind, every kind present. */
export const eventCounts = (stored: string): Record<SipEventKind, number> => ({
  ...(Object.fromEntries(SIP_EVENTS.map((e) => [e, 0])) as Record<SipEventKind, number>),
  ...(JSON.parse(stored) as Partial<Record<SipEventKind, number>>),
})

type SetRow = RowOf<typeof importSets>

export type ChangesRequest = RequestOf<'changes:get'>

/**
 * The set a request names: an id, the last export (latest not undone that changed something and
 * brought SIPs), or the latest not undone that changed something (SPEC §7, §8.6).
 */
function findSet(db: ReadableDb, request: ChangesRequest): SetRow & { changed: number } {
  const changed = changedSet()
  const where =
    request.import_id !== undefined
      ? sql`id = ${request.import_id}`
      : request.last_export
        ? sql`undone_at IS NULL AND ${changed} AND sip_records > 0`
        : sql`undone_at IS NULL AND ${changed}`
  const row = oneRow<SetRow & { changed: number }>(
    db.sqlite,
    sql`SELECT *, ${changed} AS changed FROM import_sets WHERE ${where} ORDER BY id DESC LIMIT 1`,
  )
  if (row) return row
  if (request.import_id !== undefined) throw new AppError('not_found', `no import #${request.import_id}`)
  const made = oneRow<{ n: number; undone: number }>(db.sqlite, sql`SELECT count(*) AS n, count(undone_at) AS undone FROM import_sets`)!
  throw new AppError(
    'not_found',
    made.n === 0
      ? 'no import yet: open an export first'
      : made.undone === made.n
        ? 'no changes to show: every import has been undone'
        : 'no changes to show: every import not undone changed nothing',
  )
}

/** The totals of a stored set, as every answer gives them. */
export const setTotals = (
  row: Pick<SetRow, 'new_count' | 'resolved_count' | 'credited_count' | 'won_annual'>,
  reopened: number,
): ChangeSet['totals'] => ({
  new: row.new_count,
  resolved: row.resolved_count,
  credited: row.credited_count,
  reopened,
  won_annual: row.won_annual,
})

const agentFilter = (alias: string, agent: string | undefined): SqlFragment =>
  agent === undefined ? sql`` : sql` AND ${sql.raw(alias)}.agent_external_id = ${agent}`

const opportunityFilter = (filter: OpportunityChangeFilter | undefined): SqlFragment => {
  switch (filter) {
    case undefined:
      return sql``
    case 'new':
    case 'resolved':
      return sql` AND o.change = ${filter}`
    case 'credited':
    case 'reopened':
      return sql` AND o.follow_up = ${filter}`
  }
}

/** SPEC §7.1: one import's changes, with a page of its events and of its opportunities (filtered by event and agent). */
export function getChanges(db: ReadableDb, request: ChangesRequest): ChangeSet {
  const set = findSet(db, request)
  const limit = request.limit ?? 100
  const offset = request.offset ?? 0
  const eventWhere = sql`e.set_id = ${set.id}${request.event ? sql` AND e.event = ${request.event}` : sql``}${agentFilter('e', request.agent)}`
  const kindOrder = sql.raw(`CASE e.event ${SIP_EVENTS.map((e, i) => `WHEN '${e}' THEN ${i}`).join(' ')} END`)
  const events = allRows<{
    sip_meta_id: string
    user_id: string
    agent_external_id: string
    agent_name: string | null
    client_name: string | null
    event: SipEventKind
    before: string | null
    after: string | null
  }>(
    db.sqlite,
    sql`SELECT e.sip_meta_id, e.user_id, e.agent_external_id, ${sql.raw(agentNameOf('e.agent_external_id'))} AS agent_name, c.name AS client_name, e.event, e.before, e.after
        FROM sip_events e LEFT JOIN clients c ON c.user_id = e.user_id
        WHERE ${eventWhere} ORDER BY ${kindOrder}, e.user_id, e.sip_meta_id LIMIT ${limit} OFFSET ${offset}`,
  )
  const opportunityWhere = sql`o.set_id = ${set.id}${agentFilter('o', request.agent)}${opportunityFilter(request.opportunity)}`
  const opportunities = allRows<{
    type: OpportunityType
    user_id: string
    agent_external_id: string
    agent_name: string | null
    client_name: string | null
    change: 'new' | 'resolved'
    annual_value: number
    follow_up: 'credited' | 'reopened' | null
    reason: string | null
  }>(
    db.sqlite,
    sql`SELECT o.type, o.user_id, o.agent_external_id, ${sql.raw(agentNameOf('o.agent_external_id'))} AS agent_name, c.name AS client_name, o.change, o.annual_value, o.follow_up, o.reason
        FROM opportunity_changes o LEFT JOIN clients c ON c.user_id = o.user_id
        WHERE ${opportunityWhere}
        ORDER BY o.follow_up IS NOT 'credited', o.change = 'new', o.annual_value DESC, o.user_id, o.type LIMIT ${limit} OFFSET ${offset}`,
  )
  const count = (query: SqlFragment): number => oneRow<{ n: number }>(db.sqlite, query)!.n
  const reopened = allRows<{
    type: OpportunityType
    user_id: string
    agent_external_id: string
    agent_name: string | null
    client_name: string | null
    events: string
  }>(
    db.sqlite,
    sql`SELECT r.type, r.user_id, r.agent_external_id, ${sql.raw(agentNameOf('r.agent_external_id'))} AS agent_name, c.name AS client_name, r.events
        FROM reopenings r LEFT JOIN clients c ON c.user_id = r.user_id
        WHERE r.set_id = ${set.id}${agentFilter('r', request.agent)} ORDER BY r.user_id, r.agent_external_id, r.type`,
  ).map((r) => ({
    ...r,
    agent_external_id: agentOfKey(r.agent_external_id),
    events: JSON.parse(r.events) as ChangeSet['reopened'][number]['events'],
  }))
  const files = allRows<{ file_name: string }>(db.sqlite, sql`SELECT file_name FROM imports WHERE set_id = ${set.id} ORDER BY id`)
  return {
    import_id: set.id,
    undone: set.undone_at !== null,
    changed: set.changed === 1,
    previous_as_of: set.previous_as_of,
    as_of: set.as_of,
    started_at: set.started_at,
    files: files.map((f) => f.file_name),
    totals: setTotals(set, reopened.length),
    reopened,
    event_counts: eventCounts(set.event_counts),
    sip_events: events.map((e) => ({
      ...e,
      agent_external_id: agentOfKey(e.agent_external_id),
      before: e.before === null ? null : (JSON.parse(e.before) as EventValues),
      after: e.after === null ? null : (JSON.parse(e.after) as EventValues),
    })),
    sip_event_total: count(sql`SELECT count(*) AS n FROM sip_events e WHERE ${eventWhere}`),
    opportunities: opportunities.map(({ follow_up, ...o }) => ({
      ...o,
      agent_external_id: agentOfKey(o.agent_external_id),
      credited: follow_up === 'credited',
      reopened: follow_up === 'reopened',
    })),
    opportunity_total: count(sql`SELECT count(*) AS n FROM opportunity_changes o WHERE ${opportunityWhere}`),
  }
}
