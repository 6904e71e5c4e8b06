import type Database from 'better-sqlite3'
import type { Opportunity, OpportunityType, Thresholds } from '../../shared/detection'
import { LIVE_SIP } from '../db/sql'

/** Named parameters every detector query receives. */
export type DetectorParams = Thresholds & { as_of: string }

/** What a detector's texts may depend on besides the opportunity: the settings in force and the calendar. */
export interface TextContext {
  thresholds: Thresholds
  /** Today's calendar date (dates before it have passed, whatever the data's as-of). */
  today: string
}

/**
 * A detector: fills `opportunity_sips` (its SIPs with their own ₹ a year at stake) and
 * `opportunities` (one row per client) for its type, and words what it found for the advisor.
 * Adding a detector is one file plus one registry line.
 */
export interface Detector {
  type: OpportunityType
  /** Runs inside the rebuild's transaction, after `buildClientTotals`. */
  run(sqlite: Database.Database, params: DetectorParams): void
  /** One plain sentence an advisor can read aloud (SPEC §3.5). */
  describe(opportunity: Opportunity, context: TextContext): string
  /** What to say in a meeting, for the client report. */
  talkingPoints(opportunity: Opportunity, context: TextContext): string[]
}

/** Groups SIPs into clients: one per (user_id, agent_external_id), no agent as ''. */
export const AGENT_KEY = "coalesce(s.agent_external_id, '')"

/** Complete months from `a` to `b` (SPEC §3.1: as date-fns differenceInMonths), on ISO dates. */
export const monthsBetween = (a: string, b: string): string =>
  `((CAST(substr(${b}, 1, 4) AS INTEGER) - CAST(substr(${a}, 1, 4) AS INTEGER)) * 12
    + CAST(substr(${b}, 6, 2) AS INTEGER) - CAST(substr(${a}, 6, 2) AS INTEGER)
    - (CAST(substr(${b}, 9, 2) AS INTEGER) < CAST(substr(${a}, 9, 2) AS INTEGER)))`

/** Whole days from date `d` to the as-of date (times ignored). */
export const daysSince = (d: string): string => `CAST(julianday(:as_of) - julianday(substr(${d}, 1, 10)) AS INTEGER)`

/** A client's SIP ids as a JSON array, in scan order; readers sort them (see `sortIds`). */
export const IDS = 'json_group_array(s.sip_meta_id)'

/**
 * `NOT INDEXED`: every detector reads most of the book, and a scan in table order then one sort
 * beats walking an index with a random table read per SIP by about 1.5× on a million SIPs.
 */
export const LIVE_SIPS = 'sips s NOT INDEXED'

/**
 * Per client, over all their live SIPs: what every opportunity carries whatever its type (total
 * invested, failed amount, last activity, monthly amount, the agent's numeric id), and what the
 * agents' books add up (the live SIPs, Σ monthly of the active ones, those failing). Built once per
 * rebuild as a temporary table that each detector joins, instead of once per detector.
 */
export function buildClientTotals(sqlite: Database.Database): void {
  sqlite.exec('DROP TABLE IF EXISTS temp.client_totals')
  sqlite.exec(`CREATE TEMP TABLE client_totals AS
    SELECT s.user_id, ${AGENT_KEY} AS agent_key, max(s.agent_id) AS agent_id,
      sum(coalesce(s.success_amount, 0)) AS total_invested,
      sum(coalesce(s.failed_amount, 0)) AS failed_amount,
      max(s.latest_success_order_date) AS last_activity,
      sum(s.monthly_amount) AS live_monthly,
      ${IDS} AS all_ids,
      count(*) AS live_sips,
      sum(CASE WHEN s.is_active = 1 THEN s.monthly_amount END) AS monthly_active,
      count(CASE WHEN s.is_active = 1 AND s.current_sip_status = 'Failed' THEN 1 END) AS failing
    FROM ${LIVE_SIPS} WHERE ${LIVE_SIP}
    GROUP BY s.user_id, agent_key`)
  sqlite.exec('CREATE UNIQUE INDEX temp.client_totals_key ON client_totals (user_id, agent_key)')
}

/** SIP ids in the order lists show them: numeric ids numerically, others lexically. */
export const sortIds = (ids: string[]): string[] => ids.sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))

/** The columns of `opportunities` every detector fills, in insert order. */
export const COMMON_COLUMNS = `type, user_id, agent_external_id, agent_id, sip_meta_ids, current_sip_amount, potential_value,
  annual_value, total_invested, failed_amount, last_activity_date, days_since_activity, score`

/** The client-wide values of `COMMON_COLUMNS` that come from `client_totals t`, in insert order. */
export const CLIENT_VALUES = `t.total_invested, t.failed_amount, t.last_activity, ${daysSince('t.last_activity')}`

export const round2 = (expression: string): string => `round(${expression}, 2)`

/**
 * Runs a detector written as SQL in three steps: `hitsSql` selects its qualifying SIPs into
 * `temp.hits` (with at least `user_id, agent_key, sip_meta_id, annual_value`), then `fromHits`.
 */
export function runSqlDetector(
  sqlite: Database.Database,
  type: OpportunityType,
  params: DetectorParams,
  hitsSql: string,
  opportunitiesSql: string,
): void {
  sqlite.exec('DROP TABLE IF EXISTS temp.hits')
  sqlite.prepare(`CREATE TEMP TABLE hits AS ${hitsSql}`).run(params)
  fromHits(sqlite, type, params, opportunitiesSql)
}

/**
 * The detector's qualifying SIPs in `temp.hits` fill `opportunity_sips` as they are (appended: the
 * rebuild indexes the table once it is full); `opportunitiesSql` then inserts one row per client from `hits`.
 */
export function fromHits(sqlite: Database.Database, type: OpportunityType, params: DetectorParams, opportunitiesSql: string): void {
  sqlite
    .prepare(`INSERT INTO opportunity_sips (user_id, agent_external_id, sip_meta_id, type, annual_value)
      SELECT user_id, agent_key, sip_meta_id, :type, annual_value FROM temp.hits`)
    .run({ type })
  sqlite.prepare(opportunitiesSql).run(params)
  sqlite.exec('DROP TABLE temp.hits')
}

/** `a SIP` / `3 SIPs`. */
export const sipCount = (ids: readonly string[], one = 'a SIP'): string => (ids.length === 1 ? one : `${ids.length} SIPs`)
