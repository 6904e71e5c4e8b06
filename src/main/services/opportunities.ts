import type { Db } from '../db/open'
import { DETECTORS, detectorFor } from '../detectors/registry'
import { buildClientTotals, sortIds } from '../detectors/common'
import { deferIndexesOfEmptyTable } from '../db/indexes'
import type { Opportunity, OpportunityPage, OpportunityType, FollowUpState } from '../../shared/detection'
import type { OpportunityQuery } from '../../shared/contract'
import { getSettings, readSetting, resolveAsOf, today, writeSetting } from './settings'
import { bookVersion } from './remembered'

const FRESHNESS_KEY = '_opportunities_key'

/** How a read treats opportunities that are out of date. */
export interface ReadOptions {
  /**
   * Without it, a read rebuilds them first (the CLI, tests). With it, the read answers from the
   * previous results, flagged `refreshing`, and calls this to have them rebuilt elsewhere (the
   * hosts rebuild in a worker, so a threshold change on a big book never stalls them).
   */
  onStale?: () => void
}

/**
 * Makes the `opportunities` table hold the detectors' results for `asOf` and the current
 * thresholds and data, rebuilding it (one transaction, in SQL) only when one of those changed.
 * Returns the version of the results there, for figures derived from them.
 */
export function ensureOpportunities(db: Db, asOf: string, options: ReadOptions = {}): { version: string; refreshing: boolean } {
  const { thresholds } = getSettings(db)
  const key = JSON.stringify([bookVersion(db), asOf, thresholds])
  const stored = readSetting<string>(db, FRESHNESS_KEY, '')
  if (stored === key) return { version: key, refreshing: false }
  // An empty book is rebuilt at once: there is nothing to wait for.
  if (options.onStale && db.sqlite.prepare('SELECT 1 FROM sips LIMIT 1').get()) {
    options.onStale()
    return { version: stored, refreshing: true }
  }
  db.sqlite.transaction(() => {
    db.sqlite.prepare('DELETE FROM opportunities').run()
    const restoreIndexes = deferIndexesOfEmptyTable(db.sqlite, 'opportunities')
    buildClientTotals(db.sqlite)
    for (const detector of DETECTORS) db.sqlite.prepare(detector.insertSql).run({ ...thresholds, as_of: asOf })
    db.sqlite.exec('DROP TABLE temp.client_totals')
    restoreIndexes()
    writeSetting(db, FRESHNESS_KEY, key)
  })()
  return { version: key, refreshing: false }
}

/** Agent names are known only from client exports. */
const AGENT_NAMES = `(SELECT agent_external_id, max(agent_name) AS agent_name FROM clients
  WHERE agent_external_id IS NOT NULL GROUP BY agent_external_id)`

const SORT_COLUMNS: Record<NonNullable<OpportunityQuery['sort']>, string> = {
  score: 'o.score',
  potential_value: 'o.potential_value',
  current_sip_amount: 'o.current_sip_amount',
  total_invested: 'o.total_invested',
  failed_amount: 'o.failed_amount',
  days_since_activity: 'o.days_since_activity',
  last_activity_date: 'o.last_activity_date',
  client: 'coalesce(c.name, o.user_id)',
  agent: 'coalesce(a.agent_name, o.agent_external_id)',
  type: 'o.type',
  status: "coalesce(f.state, 'open')",
}

/** SPEC §3.5: score desc, potential desc, user_id asc — also the tie-break of every other sort. */
const DEFAULT_ORDER = 'o.score DESC, o.potential_value DESC, o.user_id ASC, o.type ASC, o.agent_external_id ASC'

/** A query's conditions, by what they read: the opportunity, its follow-up, or (search) the client too. */
interface Where {
  opportunity: string[]
  followUp: string[]
  search: string | null
  params: Record<string, unknown>
}

function whereClause(query: OpportunityQuery & { user_id?: string }): Where {
  const where: Where = { opportunity: [], followUp: [], search: null, params: { today: today() } }
  const { opportunity, followUp, params } = where
  if (query.type && query.type !== 'all') {
    opportunity.push('o.type = :type')
    params.type = query.type
  }
  if (query.agent) {
    opportunity.push('(o.agent_external_id = :agent OR o.agent_id = :agent)')
    params.agent = query.agent
  }
  if (query.user_id) {
    opportunity.push('o.user_id = :user_id')
    params.user_id = query.user_id
  }
  if (query.min_score !== undefined) {
    opportunity.push('o.score >= :min_score')
    params.min_score = query.min_score
  }
  if (query.max_score !== undefined) {
    opportunity.push('o.score <= :max_score')
    params.max_score = query.max_score
  }
  if (query.min_potential !== undefined) {
    opportunity.push('o.potential_value >= :min_potential')
    params.min_potential = query.min_potential
  }
  if (query.states) {
    followUp.push(`coalesce(f.state, 'open') IN (${query.states.map((s) => `'${s}'`).join(', ')})`)
  } else {
    // The default view: closed follow-ups are counted in stats but not listed.
    followUp.push("coalesce(f.state, 'open') NOT IN ('converted', 'dismissed')")
  }
  if (!query.show_snoozed) followUp.push('(f.next_action_date IS NULL OR f.next_action_date <= :today)')
  if (query.overdue) followUp.push('f.next_action_date < :today')
  if (query.search) {
    where.search =
      '(o.user_id LIKE :search OR c.name LIKE :search OR c.phone_number LIKE :search OR c.email LIKE :search OR o.sip_meta_ids LIKE :search)'
    params.search = `%${query.search.replace(/[%_]/g, '')}%`
  }
  return where
}

const and = (clauses: (string | null)[]): string => {
  const present = clauses.filter((c): c is string => c !== null)
  return present.length > 0 ? present.join(' AND ') : '1'
}

/** Joins an opportunity `o` to its follow-up `f`. */
export const FOLLOW_UP_OF = 'f.type = o.type AND f.user_id = o.user_id AND f.agent_external_id = o.agent_external_id'

/**
 * How many opportunities a filter matches. Follow-ups are few and opportunities many, so without a
 * search it counts from the follow-up side: the opportunities the filter keeps without a follow-up
 * (when it keeps those at all), plus those with a follow-up it keeps. Both read indexes only.
 */
function countSql(where: Where): string {
  if (where.search) return `SELECT count(*) AS total ${FROM} WHERE ${and([...where.opportunity, ...where.followUp, where.search])}`
  const ofOpportunity = and(where.opportunity)
  const ofFollowUp = and(where.followUp)
  return `SELECT
    CASE WHEN (SELECT ${ofFollowUp} FROM (SELECT NULL AS state, NULL AS next_action_date) f)
      THEN (SELECT count(*) FROM opportunities o WHERE ${ofOpportunity})
        - (SELECT count(*) FROM follow_ups f JOIN opportunities o ON ${FOLLOW_UP_OF} WHERE ${ofOpportunity})
      ELSE 0 END
    + (SELECT count(*) FROM follow_ups f JOIN opportunities o ON ${FOLLOW_UP_OF} WHERE ${ofOpportunity} AND ${ofFollowUp}) AS total`
}

const FROM = `FROM opportunities o
  LEFT JOIN clients c ON c.user_id = o.user_id
  LEFT JOIN ${AGENT_NAMES} a ON a.agent_external_id = o.agent_external_id
  LEFT JOIN follow_ups f ON ${FOLLOW_UP_OF}`

interface Row {
  type: OpportunityType
  user_id: string
  agent_external_id: string
  agent_id: string | null
  sip_meta_ids: string
  current_sip_amount: number
  potential_value: number
  total_invested: number
  failed_amount: number
  last_activity_date: string | null
  days_since_activity: number | null
  score: number
  monthly_increase: number | null
  expected_increments: number | null
  running_months: number | null
  failure_rate: number | null
  currently_failing: number | null
  mandate_missing: number | null
  client_name: string | null
  agent_name: string | null
  status: FollowUpState
  next_action_date: string | null
}

function toOpportunity(row: Row): Opportunity {
  const opportunity: Opportunity = {
    type: row.type,
    user_id: row.user_id,
    client_name: row.client_name,
    agent_id: row.agent_id,
    agent_external_id: row.agent_external_id === '' ? null : row.agent_external_id,
    agent_name: row.agent_name,
    sip_meta_ids: sortIds(JSON.parse(row.sip_meta_ids) as string[]),
    current_sip_amount: row.current_sip_amount,
    potential_value: row.potential_value,
    total_invested: row.total_invested,
    failed_amount: row.failed_amount,
    last_activity_date: row.last_activity_date,
    days_since_activity: row.days_since_activity,
    score: row.score,
    description: '',
    status: row.status,
    next_action_date: row.next_action_date,
  }
  if (row.type === 'no_sip_increase') {
    opportunity.monthly_increase = row.monthly_increase ?? 0
    opportunity.expected_increments = row.expected_increments ?? 0
    opportunity.running_months = row.running_months ?? 0
  } else if (row.type === 'failed_sips') {
    opportunity.failure_rate = row.failure_rate ?? 0
    opportunity.currently_failing = row.currently_failing === 1
    opportunity.mandate_missing = row.mandate_missing === 1
  }
  const client = row.client_name ?? `Client ${row.user_id.slice(0, 8)}`
  opportunity.description = detectorFor(row.type).describe(opportunity, client)
  return opportunity
}

/** One page of opportunities, filtered and sorted, with the total the filter matches. */
export function listOpportunities(db: Db, query: OpportunityQuery & { user_id?: string }, options: ReadOptions = {}): OpportunityPage {
  const asOf = resolveAsOf(db, query.as_of)
  const { refreshing } = ensureOpportunities(db, asOf, options)
  const where = whereClause(query)
  const sort = query.sort && query.sort !== 'score' ? `${SORT_COLUMNS[query.sort]} ${query.direction === 'asc' ? 'ASC' : 'DESC'}, ` : ''
  const defaultOrder =
    query.sort === 'score' && query.direction === 'asc' ? DEFAULT_ORDER.replace('o.score DESC', 'o.score ASC') : DEFAULT_ORDER
  const rows = db.sqlite
    .prepare(
      `SELECT o.*, c.name AS client_name, a.agent_name, coalesce(f.state, 'open') AS status, f.next_action_date
       ${FROM} WHERE ${and([...where.opportunity, ...where.followUp, where.search])}
       ORDER BY ${sort}${defaultOrder} LIMIT :limit OFFSET :offset`,
    )
    .all({ ...where.params, limit: query.limit ?? 100, offset: query.offset ?? 0 }) as Row[]
  const { total } = db.sqlite.prepare(countSql(where)).get(where.params) as { total: number }
  return { as_of: asOf, refreshing, total, rows: rows.map(toOpportunity) }
}
