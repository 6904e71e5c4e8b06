import type Database from 'better-sqlite3'
import type { Opportunity, OpportunityType, Thresholds } from '../../shared/detection'

/** Named parameters every detector query receives. */
export type DetectorParams = Thresholds & { as_of: string }

/**
 * A detector: SQL that inserts its per-client opportunities into `opportunities`, and the sentence
 * an advisor reads aloud for one of them. Adding a detector is one file plus one registry line.
 */
export interface Detector {
  type: OpportunityType
  /** `INSERT INTO opportunities (…) SELECT …` using `:as_of`, the threshold names and `client_totals`. */
  insertSql: string
  describe(opportunity: Opportunity, clientLabel: string): string
}

/** A SIP is live unless `deleted` is true. */
export const LIVE = 'coalesce(s.deleted, 0) = 0'

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
 * invested, failed amount, last activity, monthly amount, the agent's numeric id). Built once per
 * rebuild as a temporary table that each detector joins, instead of once per detector.
 */
export function buildClientTotals(sqlite: Database.Database): void {
  sqlite.exec('DROP TABLE IF EXISTS temp.client_totals')
  sqlite.exec(`CREATE TEMP TABLE client_totals AS
    SELECT s.user_id, ${AGENT_KEY} AS agent_key, max(s.agent_id) AS agent_id,
      sum(coalesce(s.success_amount, 0)) AS total_invested,
      sum(coalesce(s.failed_amount, 0)) AS failed_amount,
      max(s.latest_success_order_date) AS last_activity,
      sum(s.amount) AS live_amount,
      ${IDS} AS all_ids
    FROM ${LIVE_SIPS} WHERE ${LIVE}
    GROUP BY s.user_id, agent_key`)
  sqlite.exec('CREATE UNIQUE INDEX temp.client_totals_key ON client_totals (user_id, agent_key)')
}

/** SIP ids in the order lists show them: numeric ids numerically, others lexically. */
export const sortIds = (ids: string[]): string[] => ids.sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))

/** The columns of `opportunities` every detector fills, in insert order. */
export const COMMON_COLUMNS = `type, user_id, agent_external_id, agent_id, sip_meta_ids, current_sip_amount, potential_value,
  total_invested, failed_amount, last_activity_date, days_since_activity, score`

export const round2 = (expression: string): string => `round(${expression}, 2)`
