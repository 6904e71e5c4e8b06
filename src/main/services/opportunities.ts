import type { ReadableDb } from '../db/open'
import { allRows, oneRow, sql, type RowOf, type SqlFragment } from '../db/sql'
import type { opportunities } from '../db/schema'
import { detectorFor } from '../detectors/registry'
import { sortIds, type TextContext } from '../detectors/common'
import type { FollowUpState, Opportunity, OpportunityPage, OpportunityType } from '../../shared/detection'
import type { OpportunityCursor, OpportunityQuery } from '../../shared/contract'
import { AppError } from '../../shared/errors'
import { askForMissingIndexes, freshness, type ReadOptions } from './derived'
import { CLOSED, FOLLOW_UP_OF, overdue, snoozed } from './followUpRules'
import { getSettings, resolveAsOf } from './settings'
import { localToday } from '../../shared/format'
import { agentOfKey } from '../../shared/agentKey'

/**
 * An agent's name, known only from client exports: looked up per row from the `clients_agent` index
 * (joining a table of every agent's name would group every client on each read).
 */
export const agentNameOf = (column: string): string => `(SELECT max(agent_name) FROM clients WHERE agent_external_id = ${column})`

const SORT_COLUMNS: Record<NonNullable<OpportunityQuery['sort']>, string> = {
  score: 'o.score',
  annual_value: 'o.annual_value',
  potential_value: 'o.potential_value',
  current_sip_amount: 'o.current_sip_amount',
  total_invested: 'o.total_invested',
  failed_amount: 'o.failed_amount',
  days_since_activity: 'o.days_since_activity',
  last_activity_date: 'o.last_activity_date',
  next_action_date: 'f.next_action_date',
  client: 'coalesce(c.name, o.user_id)',
  agent: `coalesce(${agentNameOf('o.agent_external_id')}, o.agent_external_id)`,
  type: 'o.type',
  status: "coalesce(f.state, 'open')",
}

/** One key of a list's order: an expression over `o`, `f` and `c`, and its direction. */
interface OrderKey {
  expr: string
  desc: boolean
}

/**
 * SPEC §3.5: score desc, annual_value desc, user_id asc, agent asc — also the tie-break of every
 * other sort; (user_id, agent_external_id, type) is the opportunity's key, so the order is total.
 */
const DEFAULT_KEYS: OrderKey[] = [
  { expr: 'o.score', desc: true },
  { expr: 'o.annual_value', desc: true },
  { expr: 'o.user_id', desc: false },
  { expr: 'o.agent_external_id', desc: false },
  { expr: 'o.type', desc: false },
]
const DEFAULT_ORDER = DEFAULT_KEYS.map((k) => `${k.expr} ${k.desc ? 'DESC' : 'ASC'}`).join(', ')

/** The keys a query's sort orders by, ending with the unique tie-break. */
function orderKeys(query: OpportunityQuery): OrderKey[] {
  const desc = query.direction !== 'asc'
  if (!query.sort || query.sort === 'score') return [{ expr: 'o.score', desc }, ...DEFAULT_KEYS.slice(1)]
  return [{ expr: SORT_COLUMNS[query.sort], desc }, ...DEFAULT_KEYS]
}

/** A key's value in the row before: SQLite puts NULL first in ascending order, last in descending. */
function beyond(key: OrderKey, value: KeyValue): SqlFragment {
  const expr = sql.raw(key.expr)
  if (value === null) return key.desc ? sql`0` : sql`${expr} IS NOT NULL`
  return key.desc ? sql`(${expr} < ${value} OR ${expr} IS NULL)` : sql`${expr} > ${value}`
}

/**
 * Rows strictly after `after` (the keys' values of the last row of the page before) in `keys`'
 * order: keyset paging, so a page far down the list costs what the first one does and rows
 * cannot be skipped or repeated across pages.
 */
function afterCursor(keys: OrderKey[], after: readonly KeyValue[]): SqlFragment {
  if (after.length !== keys.length)
    throw new AppError('invalid_request', 'invalid opportunities:list request at after: not a cursor of this sort')
  return sql`(${sql.join(
    keys.map((key, i) =>
      sql.join([...keys.slice(0, i).map((k, j) => sql`${sql.raw(k.expr)} IS ${after[j]}`), beyond(key, after[i])], ' AND '),
    ),
    ' OR ',
  )})`
}

/** `%` and `_` are ordinary characters in a search: escaped for `LIKE … ESCAPE '\'`. */
export const likePattern = (search: string): string => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** A query's conditions, by what they read: the opportunity, its follow-up, or (search) the client too. */
interface Where {
  opportunity: SqlFragment[]
  followUp: SqlFragment[]
  search: SqlFragment | null
}

/** A list's query; `user_id` with `agent_external_id` ('' for none) narrows it to one client (SPEC §3.1). */
type ListQuery = OpportunityQuery & { user_id?: string; agent_external_id?: string }

function whereClause(query: ListQuery, now: string): Where {
  const where: Where = { opportunity: [], followUp: [], search: null }
  const { opportunity, followUp } = where
  if (query.type && query.type !== 'all') opportunity.push(sql`o.type = ${query.type}`)
  if (query.agent) opportunity.push(sql`(o.agent_external_id = ${query.agent} OR o.agent_id = ${query.agent})`)
  if (query.user_id) opportunity.push(sql`o.user_id = ${query.user_id}`)
  if (query.agent_external_id !== undefined) opportunity.push(sql`o.agent_external_id = ${query.agent_external_id}`)
  if (query.min_score !== undefined) opportunity.push(sql`o.score >= ${query.min_score}`)
  if (query.max_score !== undefined) opportunity.push(sql`o.score <= ${query.max_score}`)
  if (query.min_annual_value !== undefined) opportunity.push(sql`o.annual_value >= ${query.min_annual_value}`)
  if (query.states) followUp.push(sql`coalesce(f.state, 'open') IN (${sql.list(query.states)})`)
  else followUp.push(sql`NOT ${CLOSED}`)
  if (!query.show_snoozed) followUp.push(sql`NOT ${snoozed(now)}`)
  if (query.overdue) followUp.push(overdue(now))
  if (query.search) {
    const like = likePattern(query.search)
    where.search = sql`(o.user_id LIKE ${like} ESCAPE '\\' OR c.name LIKE ${like} ESCAPE '\\' OR c.phone_number LIKE ${like} ESCAPE '\\'
      OR c.email LIKE ${like} ESCAPE '\\' OR o.sip_meta_ids LIKE ${like} ESCAPE '\\')`
  }
  return where
}

const and = (clauses: (SqlFragment | null)[]): SqlFragment =>
  sql.join(
    clauses.filter((c): c is SqlFragment => c !== null),
    ' AND ',
    '1',
  )

const FROM = sql.raw(`FROM opportunities o
  LEFT JOIN clients c ON c.user_id = o.user_id
  LEFT JOIN follow_ups f ON ${FOLLOW_UP_OF}`)

/**
 * How many opportunities a filter matches. Follow-ups are few and opportunities many, so without a
 * search it counts from the follow-up side: the opportunities the filter keeps without a follow-up
 * (when it keeps those at all), plus those with a follow-up it keeps. Both read indexes only.
 */
function countQuery(where: Where): SqlFragment {
  if (where.search) return sql`SELECT count(*) AS total ${FROM} WHERE ${and([...where.opportunity, ...where.followUp, where.search])}`
  const ofOpportunity = and(where.opportunity)
  const ofFollowUp = and(where.followUp)
  return sql`SELECT
    CASE WHEN (SELECT ${ofFollowUp} FROM (SELECT NULL AS state, NULL AS next_action_date) f)
      THEN (SELECT count(*) FROM opportunities o WHERE ${ofOpportunity})
        - (SELECT count(*) FROM follow_ups f JOIN opportunities o ON ${sql.raw(FOLLOW_UP_OF)} WHERE ${ofOpportunity})
      ELSE 0 END
    + (SELECT count(*) FROM follow_ups f JOIN opportunities o ON ${sql.raw(FOLLOW_UP_OF)} WHERE ${ofOpportunity} AND ${ofFollowUp}) AS total`
}

/** An `opportunities` row with its client, agent name and follow-up, as the list query returns it. */
type Row = Omit<RowOf<typeof opportunities>, 'type'> & {
  type: OpportunityType
  client_name: string | null
  phone_number: string | null
  agent_name: string | null
  status: FollowUpState
  next_action_date: string | null
}

export const SELECT_OPPORTUNITY = sql.raw(
  `SELECT o.*, c.name AS client_name, c.phone_number, ${agentNameOf('o.agent_external_id')} AS agent_name, coalesce(f.state, 'open') AS status, f.next_action_date`,
)

/** The advisor-facing context of descriptions: thresholds in force and today's date. */
export const textContext = (db: ReadableDb): TextContext => ({ thresholds: getSettings(db).thresholds, today: localToday() })

export function toOpportunity(row: Row, context: TextContext): Opportunity {
  const opportunity: Opportunity = {
    type: row.type,
    user_id: row.user_id,
    client_name: row.client_name,
    phone_number: row.phone_number,
    agent_id: row.agent_id,
    agent_external_id: agentOfKey(row.agent_external_id),
    agent_name: row.agent_name,
    sip_meta_ids: sortIds(JSON.parse(row.sip_meta_ids) as string[]),
    current_sip_amount: row.current_sip_amount,
    potential_value: row.potential_value,
    annual_value: row.annual_value,
    total_invested: row.total_invested,
    failed_amount: row.failed_amount,
    last_activity_date: row.last_activity_date,
    days_since_activity: row.days_since_activity,
    score: row.score,
    description: '',
    talking_points: [],
    status: row.status,
    next_action_date: row.next_action_date,
  }
  switch (row.type) {
    case 'no_sip_increase':
      opportunity.monthly_increase = row.monthly_increase ?? 0
      opportunity.expected_increments = row.expected_increments ?? 0
      opportunity.running_months = row.running_months ?? 0
      break
    case 'failed_sips':
      opportunity.failure_rate = row.failure_rate ?? 0
      opportunity.currently_failing = row.currently_failing === 1
      opportunity.mandate_missing = row.mandate_missing === 1
      break
    case 'auto_cancel_risk':
      opportunity.missed_instalments = row.missed_instalments ?? 0
      opportunity.final_warning = row.final_warning === 1
      opportunity.ceased = row.ceased === 1
      opportunity.next_debit_date = row.next_debit_date
      opportunity.sips_missed = row.sips_missed ? (JSON.parse(row.sips_missed) as Record<string, number>) : {}
      break
    case 'sip_ending':
      opportunity.end_date = row.end_date ?? ''
      opportunity.days_left = row.days_left ?? 0
      break
    case 'high_value_inactive':
      break
  }
  const detector = detectorFor(row.type)
  opportunity.description = detector.describe(opportunity, context)
  opportunity.talking_points = detector.talkingPoints(opportunity, context)
  return opportunity
}

/** Opportunities matching `where` (over `o`, `f` and `c`), in the default order, as the lists show them. */
export function selectOpportunities(db: ReadableDb, where: SqlFragment, context = textContext(db)): Opportunity[] {
  return allRows<Row>(db.sqlite, sql`${SELECT_OPPORTUNITY} ${FROM} WHERE ${where} ORDER BY ${sql.raw(DEFAULT_ORDER)}`).map((row) =>
    toOpportunity(row, context),
  )
}

/**
 * One page of opportunities, filtered and sorted, with the total the filter matches: from `offset`
 * (the list on screen), or after the cursor `after` a previous page answered as `next` (exports).
 */
export function listOpportunities(db: ReadableDb, query: ListQuery, options: ReadOptions = {}): OpportunityPage {
  const asOf = resolveAsOf(db, query.as_of)
  const { refreshing } = freshness(db, asOf, options)
  askForMissingIndexes(db, options)
  const where = whereClause(query, localToday())
  const keys = orderKeys(query)
  const order = keys.map((k) => `${k.expr} ${k.desc ? 'DESC' : 'ASC'}`).join(', ')
  const cursor = keys.map((k, i) => `${k.expr} AS k${i}`).join(', ')
  const limit = query.limit ?? 100
  const context = textContext(db)
  const rows = allRows<Row & Record<`k${number}`, KeyValue>>(
    db.sqlite,
    sql`${SELECT_OPPORTUNITY}, ${sql.raw(cursor)} ${FROM}
        WHERE ${and([...where.opportunity, ...where.followUp, where.search, query.after ? afterCursor(keys, query.after) : null])}
        ORDER BY ${sql.raw(order)} LIMIT ${limit} OFFSET ${query.after ? 0 : (query.offset ?? 0)}`,
  )
  const { total } = oneRow<{ total: number }>(db.sqlite, countQuery(where))!
  const last = rows.length === limit ? rows[rows.length - 1] : undefined
  return {
    as_of: asOf,
    refreshing,
    total,
    rows: rows.map((row) => toOpportunity(row, context)),
    next: last ? keys.map((_, i) => last[`k${i}`]) : null,
  }
}

type KeyValue = OpportunityCursor[number]
