import type { ReadableDb } from '../db/open'
import type { OpportunityType } from '../../shared/detection'
import { QUEUE_GROUP, type QueueGroup } from '../../shared/queueGroups'
import { allRows, oneRow, sql, type SqlFragment } from '../db/sql'
import { ofAgent } from './bookFigures'
import { ACTIVE, due, FOLLOW_UP_OF } from './followUpRules'

/**
 * SPEC §3.1 and §5: which clients are due a call, how much is at stake for each (₹ a year over
 * their due opportunities, each SIP once), and the order of the Today queue.
 *
 * `client_stakes` holds each client's figures as if every opportunity were due, computed at the
 * rebuild. Only follow-ups make an opportunity not due (or give it a date), so the clients that have
 * any ("followed") are worked out when asked, once for each state of the book (`followed`), and the
 * rest read as they are.
 */

/** A client in the queue, before its reasons and contact details are added. */
export interface QueueEntry {
  user_id: string
  agent_external_id: string
  at_stake: number
  next_action_date: string | null
  /** The auto-cancel next debit date of a due final warning ('9999-12-31' when unknown). */
  final_warning_date: string | null
  group: QueueGroup
}

export type QueueGroups = Record<QueueGroup, number>

/** A followed client: its figures with every opportunity counted, and with only the due ones. */
interface Followed {
  user_id: string
  agent_external_id: string
  stake_if_all_due: number
  at_stake: number
  next_action_date: string | null
  final_warning_date: string | null
  has_due: number
  /** Its final-warning date in `client_stakes` (as if every opportunity were due). */
  stake_warning: string | null
}

/** The followed clients (`followedNow`), and those of them due now, in queue order. */
interface FollowedClients {
  clients: readonly Followed[]
  due: readonly QueueEntry[]
  keys: ReadonlySet<string>
}

/**
 * The last `followed` answer per connection, with the state it answers for: the Today screen asks
 * for it several times a request (the day's plan, the queue, its totals), and once every client has
 * been called it is the costliest read there (0.9 s at 1,00,000 SIPs).
 */
const lastFollowed = new WeakMap<ReadableDb, { state: string; followed: FollowedClients }>()

/**
 * The clients with a follow-up and their figures, for the book as it is now: `total_changes()`
 * moves with every write on this connection, `data_version` with every commit on another.
 */
function followed(db: ReadableDb, agent: string | null, today: string): FollowedClients {
  const { version, changes } = oneRow<{ version: number; changes: number }>(
    db.sqlite,
    sql`SELECT (SELECT data_version FROM pragma_data_version) AS version, total_changes() AS changes`,
  )!
  const state = JSON.stringify([version, changes, agent, today])
  const last = lastFollowed.get(db)
  if (last?.state === state) return last.followed
  const clients = followedNow(db, agent, today)
  const due = clients
    .filter((f) => f.has_due)
    .map((f): QueueEntry => ({
      user_id: f.user_id,
      agent_external_id: f.agent_external_id,
      at_stake: f.at_stake,
      next_action_date: f.next_action_date,
      final_warning_date: f.final_warning_date,
      group: groupOf(f.next_action_date, f.final_warning_date, today),
    }))
    .filter((e) => inQueue(e.group, e.at_stake))
    .sort(compareEntries)
  const answer: FollowedClients = { clients, due, keys: new Set(clients.map(keyOf)) }
  lastFollowed.set(db, { state, followed: answer })
  return answer
}

function followedNow(db: ReadableDb, agent: string | null, today: string): Followed[] {
  // Driven from the follow-ups (CROSS JOIN keeps SQLite to that order): they are fewer than the opportunities. The due
  // opportunities are worked out once and lead to their SIPs (a lookup each, instead of reading all of opportunity_sips):
  // 3× faster with 200 clients followed, 1.2× with all of them, at 1,00,000 SIPs. Measure both before forcing any other
  // order: one such order once made a book with 11,664 follow-ups take 118 s instead of 1 s.
  const clients = sql`SELECT DISTINCT o.user_id, o.agent_external_id FROM follow_ups f CROSS JOIN opportunities o ON ${sql.raw(FOLLOW_UP_OF)}
    WHERE ${ofAgent('o', agent)}`
  return allRows<Followed>(
    db.sqlite,
    sql`WITH followed AS (${clients}),
      due_opportunities AS MATERIALIZED (
        SELECT o.type, o.user_id, o.agent_external_id, f.next_action_date, o.final_warning, o.next_debit_date
        FROM followed k JOIN opportunities o ON o.user_id = k.user_id AND o.agent_external_id = k.agent_external_id
        LEFT JOIN follow_ups f ON ${sql.raw(FOLLOW_UP_OF)}
        WHERE ${due(today)}),
      due_stakes AS (
        SELECT user_id, agent_external_id, sum(top) AS at_stake FROM (
          SELECT os.user_id, os.agent_external_id, max(os.annual_value) AS top FROM due_opportunities d
          CROSS JOIN opportunity_sips os ON os.user_id = d.user_id AND os.agent_external_id = d.agent_external_id AND os.type = d.type
          GROUP BY os.user_id, os.agent_external_id, os.sip_meta_id)
        GROUP BY user_id, agent_external_id),
      -- Per client in one pass: subqueries per client over due_opportunities made this quadratic
      -- (Today took 8 s at 1,00,000 SIPs once every client had been called).
      due_dates AS (
        SELECT user_id, agent_external_id, min(next_action_date) AS next_action_date,
          min(CASE WHEN type = ${'auto_cancel_risk' satisfies OpportunityType} AND final_warning = 1 THEN coalesce(next_debit_date, '9999-12-31') END)
            AS final_warning_date
        FROM due_opportunities GROUP BY user_id, agent_external_id)
      SELECT k.user_id, k.agent_external_id, coalesce(c.at_stake, 0) AS stake_if_all_due, coalesce(s.at_stake, 0) AS at_stake,
        c.final_warning_date AS stake_warning, d.next_action_date, d.final_warning_date, d.user_id IS NOT NULL AS has_due
      FROM followed k
      LEFT JOIN client_stakes c ON c.user_id = k.user_id AND c.agent_external_id = k.agent_external_id
      LEFT JOIN due_stakes s ON s.user_id = k.user_id AND s.agent_external_id = k.agent_external_id
      LEFT JOIN due_dates d ON d.user_id = k.user_id AND d.agent_external_id = k.agent_external_id`,
  )
}

/** SPEC §5 "₹0 rule": in the queue only in groups 1–3 or with something at stake. */
const inQueue = (group: QueueGroup, atStake: number): boolean => group !== QUEUE_GROUP.everyone_else || atStake > 0

/** The same rule over `client_stakes` rows (aliased `c`), which hold clients as if every opportunity were due. */
const IN_QUEUE_AS_STAKED = sql.raw('(c.final_warning_date IS NOT NULL OR c.at_stake > 0)')

/** Whether a followed client was counted in `client_stakes`' queue figures. */
const stakedInQueue = (f: Followed): boolean => f.stake_warning !== null || f.stake_if_all_due > 0

const groupOf = (nextAction: string | null, finalWarning: string | null, today: string): QueueGroup =>
  nextAction !== null && nextAction < today
    ? QUEUE_GROUP.overdue
    : nextAction === today
      ? QUEUE_GROUP.due_today
      : finalWarning !== null
        ? QUEUE_GROUP.final_warning
        : QUEUE_GROUP.everyone_else

/** The group of a client as `client_stakes` holds it (no follow-up dates): final warning or everyone else. */
const stakedGroup = (finalWarning: string | null): QueueGroup => groupOf(null, finalWarning, '')

/** The same over `client_stakes` rows (aliased `c`), in SQL. */
const STAKED_GROUP = sql`CASE WHEN c.final_warning_date IS NULL THEN ${QUEUE_GROUP.everyone_else} ELSE ${QUEUE_GROUP.final_warning} END`

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** SPEC §5: overdue oldest first; due today; final warnings by debit date; then by ₹ at stake, user_id, agent. */
function compareEntries(a: QueueEntry, b: QueueEntry): number {
  const dateOf = (e: QueueEntry): string =>
    e.group === QUEUE_GROUP.overdue ? e.next_action_date! : e.group === QUEUE_GROUP.final_warning ? e.final_warning_date! : ''
  return (
    a.group - b.group ||
    compareText(dateOf(a), dateOf(b)) ||
    b.at_stake - a.at_stake ||
    compareText(a.user_id, b.user_id) ||
    compareText(a.agent_external_id, b.agent_external_id)
  )
}

const keyOf = (c: { user_id: string; agent_external_id: string }): string => `${c.user_id}\u0000${c.agent_external_id}`

/**
 * Clients as `client_stakes` holds them (followed ones too), in queue order: those with a final warning (`warned` of
 * them) by date, then the rest, each by ₹ at stake; `count` from position `skip`, each part read from its place in
 * `client_stakes_queue`.
 */
function stakedEntries(db: ReadableDb, agent: string | null, warned: number, skip: number, count: number): QueueEntry[] {
  const part = (where: SqlFragment, order: string, from: number, rows: number) =>
    sql`SELECT * FROM (SELECT c.user_id, c.agent_external_id, c.at_stake, NULL AS next_action_date, c.final_warning_date,
          ${STAKED_GROUP} AS "group"
        FROM client_stakes c WHERE ${ofAgent('c', agent)} AND ${where} AND ${IN_QUEUE_AS_STAKED}
        ORDER BY ${sql.raw(order)}, c.user_id, c.agent_external_id LIMIT ${Math.max(0, rows)} OFFSET ${from})`
  const fromWarned = Math.min(skip, warned)
  const warnedRows = Math.min(count, warned - fromWarned)
  return allRows<QueueEntry>(
    db.sqlite,
    sql`${part(sql`c.final_warning_date IS NOT NULL`, 'c.final_warning_date, c.at_stake DESC', fromWarned, warnedRows)}
      UNION ALL ${part(sql`c.final_warning_date IS NULL`, 'c.at_stake DESC', Math.max(0, skip - warned), count - warnedRows)}`,
  )
}

/** A followed client as `client_stakes` holds it (every opportunity counted), placed as `stakedEntries` orders it. */
const asStaked = (f: Followed): QueueEntry => ({
  user_id: f.user_id,
  agent_external_id: f.agent_external_id,
  at_stake: f.stake_if_all_due,
  next_action_date: null,
  final_warning_date: f.stake_warning,
  group: stakedGroup(f.stake_warning),
})

/**
 * One page of the queue in its order, and how many clients it holds. The followed clients due now are merged in with
 * the plain ones, which are read only from where the page can start: each followed client moves a plain one at most
 * one place, so the page's plain clients start at most that many before `offset`.
 */
export function queuePage(
  db: ReadableDb,
  { agent, today, limit, offset }: { agent: string | null; today: string; limit: number; offset: number },
): { total: number; groups: QueueGroups; entries: QueueEntry[] } {
  const { clients: followedClients, due: dueFollowed, keys: followedKeys } = followed(db, agent, today)
  const wanted = offset + limit
  const { warned, clients } = oneRow<{ warned: number; clients: number }>(
    db.sqlite,
    sql`SELECT count(c.final_warning_date) AS warned, count(*) AS clients FROM client_stakes c
        WHERE ${ofAgent('c', agent)} AND ${IN_QUEUE_AS_STAKED}`,
  )!
  const skip = Math.max(0, offset - dueFollowed.length)
  const staked = stakedEntries(db, agent, warned, skip, wanted + followedClients.length - skip)
  // The queue position of the first client read: the plain clients before it (the followed ones are placed by `dueFollowed`).
  const first = staked[0]
  const base =
    first === undefined ? 0 : skip - followedClients.filter((f) => stakedInQueue(f) && compareEntries(asStaked(f), first) < 0).length
  const merged = mergeInOrder(dueFollowed, staked.filter((e) => !followedKeys.has(keyOf(e))), wanted - base)
  const entries = merged.slice(offset - base)
  // Per group: the clients without follow-ups as `client_stakes` has them, then the followed ones as they are.
  const groups: QueueGroups = {
    [QUEUE_GROUP.overdue]: 0,
    [QUEUE_GROUP.due_today]: 0,
    [QUEUE_GROUP.final_warning]: warned,
    [QUEUE_GROUP.everyone_else]: clients - warned,
  }
  for (const f of followedClients) if (stakedInQueue(f)) groups[stakedGroup(f.stake_warning)]--
  for (const e of dueFollowed) groups[e.group]++
  return { total: Object.values(groups).reduce((n, c) => n + c, 0), groups, entries }
}

/** The first `count` entries of two lists each in queue order, in queue order. */
function mergeInOrder(a: readonly QueueEntry[], b: readonly QueueEntry[], count: number): QueueEntry[] {
  const merged: QueueEntry[] = []
  let i = 0
  let j = 0
  while (merged.length < count && (i < a.length || j < b.length)) {
    merged.push(j >= b.length || (i < a.length && compareEntries(a[i], b[j]) < 0) ? a[i++] : b[j++])
  }
  return merged
}

const stakeTotals = (db: ReadableDb, agent: string | null): { at_stake: number } =>
  oneRow<{ at_stake: number }>(
    db.sqlite,
    sql`SELECT coalesce(sum(at_stake), 0) AS at_stake FROM client_stakes c WHERE ${ofAgent('c', agent)}`,
  )!

/**
 * SPEC §3.6: ₹ a year at stake over the clients due a call (each SIP once), and how many they are:
 * the count is the Today queue's own (§8.15), so the dashboard's "to call" follows its membership.
 */
export function dueTotals(db: ReadableDb, agent: string | null, today: string): { clients: number; at_stake: number } {
  const { at_stake } = stakeTotals(db, agent)
  const adjustment = followed(db, agent, today).clients.reduce((n, f) => n + f.at_stake - f.stake_if_all_due, 0)
  return { clients: queuePage(db, { agent, today, limit: 0, offset: 0 }).total, at_stake: at_stake + adjustment }
}

/** ₹ a year at stake over each agent's clients due a call. */
export function dueStakeByAgent(db: ReadableDb, today: string): Map<string, number> {
  const rows = allRows<{ agent: string; at_stake: number }>(
    db.sqlite,
    sql`SELECT agent_external_id AS agent, sum(at_stake) AS at_stake FROM client_stakes GROUP BY 1`,
  )
  const stakes = new Map(rows.map((row) => [row.agent, row.at_stake]))
  for (const f of followed(db, null, today).clients) {
    stakes.set(f.agent_external_id, (stakes.get(f.agent_external_id) ?? 0) + f.at_stake - f.stake_if_all_due)
  }
  return stakes
}

/** A client key list as JSON, for `clientIn` (one bound value whatever the number of clients). */
export const keysJson = (keys: readonly { user_id: string; agent_external_id: string }[]): string =>
  JSON.stringify(keys.map((k) => [k.user_id, k.agent_external_id]))

/** Rows of `alias` that belong to one of the clients in `json` (from `keysJson`). */
export const clientIn = (alias: string, json: string): SqlFragment =>
  sql`(${sql.raw(alias)}.user_id, ${sql.raw(alias)}.agent_external_id) IN (SELECT j.value ->> 0, j.value ->> 1 FROM json_each(${json}) j)`

/** The queue entries of some clients, by key (`keyOf`); a client not in the queue now is absent. */
export function entriesOf(
  db: ReadableDb,
  { agent, today, keys }: { agent: string | null; today: string; keys: readonly { user_id: string; agent_external_id: string }[] },
): Map<string, QueueEntry> {
  const found = new Map<string, QueueEntry>()
  if (keys.length === 0) return found
  const { due: dueFollowed, keys: followedKeys } = followed(db, agent, today)
  const wanted = new Set(keys.map(keyOf))
  for (const e of dueFollowed) if (wanted.has(keyOf(e))) found.set(keyOf(e), e)
  const plain = allRows<QueueEntry>(
    db.sqlite,
    sql`SELECT c.user_id, c.agent_external_id, c.at_stake, NULL AS next_action_date, c.final_warning_date, ${STAKED_GROUP} AS "group"
        FROM client_stakes c WHERE ${clientIn('c', keysJson(keys))} AND ${ofAgent('c', agent)} AND ${IN_QUEUE_AS_STAKED}`,
  )
  for (const e of plain) if (!followedKeys.has(keyOf(e))) found.set(keyOf(e), e)
  return found
}

/**
 * ₹ a year at stake of some clients as if every opportunity were due (`client_stakes`), by key: what
 * a row not due now shows (a done row of the plan, a scheduled client) rather than ₹0.
 */
export function stakesIfDue(db: ReadableDb, keys: readonly { user_id: string; agent_external_id: string }[]): Map<string, number> {
  if (keys.length === 0) return new Map()
  return new Map(
    allRows<{ user_id: string; agent_external_id: string; at_stake: number }>(
      db.sqlite,
      sql`SELECT c.user_id, c.agent_external_id, c.at_stake FROM client_stakes c WHERE ${clientIn('c', keysJson(keys))}`,
    ).map((c) => [keyOf(c), c.at_stake]),
  )
}

/**
 * The next action date of clients outside the queue (a call logged today set one, or a date was
 * chosen): the earliest over their active follow-ups. One statement whatever the number of clients.
 */
export function nextActionDates(db: ReadableDb, keys: readonly { user_id: string; agent_external_id: string }[]): Map<string, string> {
  return new Map(
    allRows<{ user_id: string; agent_external_id: string; next_action_date: string }>(
      db.sqlite,
      sql`SELECT o.user_id, o.agent_external_id, min(f.next_action_date) AS next_action_date
          FROM follow_ups f JOIN opportunities o ON ${sql.raw(FOLLOW_UP_OF)}
          WHERE ${ACTIVE} AND f.next_action_date IS NOT NULL AND ${clientIn('o', keysJson(keys))}
          GROUP BY o.user_id, o.agent_external_id`,
    ).map((c) => [keyOf(c), c.next_action_date]),
  )
}

export { keyOf as clientKey }
