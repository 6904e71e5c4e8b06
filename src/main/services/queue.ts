import type { Db, ReadableDb } from '../db/open'
import type { OpportunityType } from '../../shared/detection'
import { QUEUE_GROUP, type QueueGroup } from '../../shared/queueGroups'
import { allRows, oneRow, runSql, sql, type SqlFragment } from '../db/sql'
import { ofAgent } from './bookFigures'
import { ACTIVE, due, FOLLOW_UP_OF, listed, overdue, snoozed } from './followUpRules'
import { addDays } from '../../shared/format'

/**
 * SPEC §3.1 and §5: which clients are due a call, how much is at stake for each (₹ a year over
 * their due opportunities, each SIP once), and the order of the Today queue.
 *
 * `client_stakes` holds each client's figures as if every opportunity were due, computed at the
 * rebuild. Only follow-ups make an opportunity not due (or give it a date), so the clients that have
 * any ("followed") are worked out when asked (`followed`): all of them after a rebuild, then only
 * those whose follow-ups changed since (`queue_changes`). The rest read as they are.
 */

/** A client: one per (user_id, agent), no agent as ''. */
type ClientKey = { user_id: string; agent_external_id: string }

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
  /** The types of its opportunities the default lists hide (closed or snoozed), comma-separated, or null. */
  hidden_types: string | null
  /** Its opportunities with an overdue follow-up. */
  overdue: number
  /** Its earliest next action date in Scheduled's days (after today, within `SCHEDULED_DAYS`), or null. */
  scheduled_date: string | null
}

/** A client in Scheduled: on its earliest next action date to come within `SCHEDULED_DAYS`. */
export interface ScheduledEntry extends ClientKey {
  next_action_date: string
}

/** SPEC §5 "Scheduled": how far ahead it looks (days after today). */
const SCHEDULED_DAYS = 30

/** The followed clients (`followedNow`), those of them due now, and what every page counts of them. */
interface FollowedClients {
  /** In key order (`compareKeys`). */
  clients: readonly Followed[]
  /** Those due now, as queue entries in queue order. */
  due: readonly QueueEntry[]
  /** Those in Scheduled, by date (then key). */
  scheduled: readonly ScheduledEntry[]
  /** How many of `due` are in groups 1 and 2 (they lead the queue). */
  urgent: number
  /** How many of `clients` `client_stakes` holds with a final warning. */
  warnedAsStaked: number
  /** Per group: the followed clients as they are, less as `client_stakes` holds them. */
  groupChanges: QueueGroups
}

/**
 * The last `followed` answers per connection, one per agent filter asked for, with what each answers
 * for: the Today screen asks for them several times a request (the day's plan, the queue, its totals, the counts),
 * and once every client has been called they are the costliest read there (0.9 s at 1,00,000 SIPs).
 */
const lastFollowed = new WeakMap<ReadableDb, Map<string, KeptAnswer>>()

/** A kept `followed` answer, the day it answers for and the last `queue_changes` row it has taken in. */
interface KeptAnswer {
  today: string
  seq: number
  followed: FollowedClients
}

/** Agents' answers kept per connection (the most recently worked out). */
const AGENTS_KEPT = 8

/**
 * The clients with a follow-up and their figures, for the book as it is now. The log of what changed the queue
 * (`queue_changes`) is read first: after a call only its client is worked out again; after a rebuild, every client.
 * Anything written after the log was read is in the log too, and taken in again next time.
 */
function followed(db: ReadableDb, agent: string | null, today: string): FollowedClients {
  const kept = lastFollowed.get(db) ?? new Map<string, KeptAnswer>()
  lastFollowed.set(db, kept)
  // The whole book (null) apart from the SIPs without an agent ('').
  const slot = JSON.stringify(agent)
  const keep = (seq: number, answer: FollowedClients): FollowedClients => {
    // Inside a transaction the log may hold rows a rollback takes back (and their numbers are used again): not kept.
    if (db.sqlite.inTransaction) return answer
    kept.delete(slot)
    kept.set(slot, { today, seq, followed: answer })
    if (kept.size > AGENTS_KEPT) kept.delete(kept.keys().next().value!)
    return answer
  }
  const last = kept.get(slot)
  if (last?.today === today) {
    const changes = allRows<{ seq: number; user_id: string | null; agent_external_id: string | null }>(
      db.sqlite,
      sql`SELECT seq, user_id, agent_external_id FROM queue_changes WHERE seq > ${last.seq} ORDER BY seq`,
    )
    if (changes.length === 0) return last.followed
    if (changes.every((c) => c.user_id !== null)) {
      const clients = changes.map((c): ClientKey => ({ user_id: c.user_id!, agent_external_id: c.agent_external_id! }))
      const changed = [...new Map(clients.map((c) => [keyOf(c), c])).values()]
      return keep(changes.at(-1)!.seq, withClientsAgain(last.followed, changed, followedNow(db, agent, today, changed), today))
    }
  }
  const { seq } = oneRow<{ seq: number }>(db.sqlite, sql`SELECT coalesce(max(seq), 0) AS seq FROM queue_changes`)!
  const clients = followedNow(db, agent, today)
  const due = clients.flatMap((f) => dueEntry(f, today) ?? []).sort(compareEntries)
  return keep(seq, tallied(clients, due, clients.flatMap((f) => scheduledEntry(f) ?? []).sort(compareScheduled)))
}

/** `last` with the clients `changed` as they are now (`again`: those of them still followed), each moved to its place. */
function withClientsAgain(
  last: FollowedClients,
  changed: readonly ClientKey[],
  again: readonly Followed[],
  today: string,
): FollowedClients {
  const clients = [...last.clients]
  const due = [...last.due]
  const scheduled = [...last.scheduled]
  for (const key of changed) {
    const before = findIn(clients, key)
    if (before === undefined) continue
    takeOut(clients, before, compareKeys)
    takeOut(due, dueEntry(before, today), compareEntries)
    takeOut(scheduled, scheduledEntry(before), compareScheduled)
  }
  for (const f of again) {
    putIn(clients, f, compareKeys)
    putIn(due, dueEntry(f, today), compareEntries)
    putIn(scheduled, scheduledEntry(f), compareScheduled)
  }
  return tallied(clients, due, scheduled)
}

/** Takes `item` (when there is one) out of the list `sorted` in `compare`'s order. */
function takeOut<T>(sorted: T[], item: T | null, compare: (a: T, b: T) => number): void {
  if (item === null) return
  const at = lowerBound(sorted, item, compare)
  if (at < sorted.length && compare(sorted[at], item) === 0) sorted.splice(at, 1)
}

/** Puts `item` (when there is one) in its place in the list `sorted` in `compare`'s order. */
function putIn<T>(sorted: T[], item: T | null, compare: (a: T, b: T) => number): void {
  if (item !== null) sorted.splice(lowerBound(sorted, item, compare), 0, item)
}

/** The followed clients, those due now and those in Scheduled, with what every page counts of them. */
function tallied(clients: readonly Followed[], due: readonly QueueEntry[], scheduled: readonly ScheduledEntry[]): FollowedClients {
  const groupChanges: QueueGroups = {
    [QUEUE_GROUP.overdue]: 0,
    [QUEUE_GROUP.due_today]: 0,
    [QUEUE_GROUP.final_warning]: 0,
    [QUEUE_GROUP.everyone_else]: 0,
  }
  let warnedAsStaked = 0
  for (const f of clients) {
    if (stakedInQueue(f)) groupChanges[stakedGroup(f.stake_warning)]--
    if (f.stake_warning !== null) warnedAsStaked++
  }
  let urgent = 0
  for (const e of due) {
    groupChanges[e.group]++
    if (e.group <= QUEUE_GROUP.due_today) urgent++
  }
  return { clients, due, scheduled, urgent, warnedAsStaked, groupChanges }
}

/** A followed client's place in the queue now, or null when it is not in it. */
function dueEntry(f: Followed, today: string): QueueEntry | null {
  if (!f.has_due) return null
  const group = groupOf(f.next_action_date, f.final_warning_date, today)
  if (!inQueue(group, f.at_stake)) return null
  const { user_id, agent_external_id, at_stake, next_action_date, final_warning_date } = f
  return { user_id, agent_external_id, at_stake, next_action_date, final_warning_date, group }
}

/** A followed client's place in Scheduled, or null when it has none. */
function scheduledEntry({ user_id, agent_external_id, scheduled_date }: Followed): ScheduledEntry | null {
  return scheduled_date === null ? null : { user_id, agent_external_id, next_action_date: scheduled_date }
}

const compareScheduled = (a: ScheduledEntry, b: ScheduledEntry): number =>
  compareText(a.next_action_date, b.next_action_date) || compareKeys(a, b)

/** The first position in `sorted` (in `compare`'s order) not before `item`. */
function lowerBound<T, U>(sorted: readonly T[], item: U, compare: (a: T, b: U) => number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (compare(sorted[middle], item) < 0) low = middle + 1
    else high = middle
  }
  return low
}

/** A followed client by its key. */
function findIn(clients: readonly Followed[], key: ClientKey): Followed | undefined {
  const found = clients[lowerBound(clients, key, compareKeys)]
  return found && compareKeys(found, key) === 0 ? found : undefined
}

/** Queue-log rows naming a client (`queue_changes`): one whose follow-ups were just written. */
export function queueChangedFor(db: Db, client: ClientKey): void {
  runSql(db.sqlite, sql`INSERT INTO queue_changes (user_id, agent_external_id) VALUES (${client.user_id}, ${client.agent_external_id})`)
}

/** Every client may have changed (a rebuild, a restore): readers work them all out again; the older rows go. */
export function queueChangedForAll(db: Db): void {
  runSql(db.sqlite, sql`DELETE FROM queue_changes`)
  runSql(db.sqlite, sql`INSERT INTO queue_changes (user_id) VALUES (NULL)`)
}

/** The followed clients (of `only`, when given), in key order. */
function followedNow(db: ReadableDb, agent: string | null, today: string, only?: readonly ClientKey[]): Followed[] {
  // Driven from the follow-ups (CROSS JOIN keeps SQLite to that order): they are fewer than the opportunities. The
  // followed clients' opportunities are worked out once, and the due ones lead to their SIPs (a lookup each, instead of
  // reading all of opportunity_sips): 3× faster with 200 clients followed, 1.2× with all of them, at 1,00,000 SIPs.
  // Measure both before forcing any other order: one such order once made a book with 11,664 follow-ups take 118 s
  // instead of 1 s. A few clients (those a call changed) lead to their opportunities; SQLite would read them all instead.
  const fromFollowed = sql.raw(only ? 'CROSS JOIN' : 'JOIN')
  const clients = only
    ? sql`SELECT DISTINCT o.user_id, o.agent_external_id FROM json_each(${keysJson(only)}) j
        CROSS JOIN opportunities o ON o.user_id = j.value ->> 0 AND o.agent_external_id = j.value ->> 1
        JOIN follow_ups f ON ${sql.raw(FOLLOW_UP_OF)} WHERE ${ofAgent('o', agent)}`
    : sql`SELECT DISTINCT o.user_id, o.agent_external_id FROM follow_ups f CROSS JOIN opportunities o ON ${sql.raw(FOLLOW_UP_OF)}
        WHERE ${ofAgent('o', agent)}`
  return allRows<Followed>(
    db.sqlite,
    sql`WITH followed AS (${clients}),
      followed_opportunities AS MATERIALIZED (
        SELECT o.type, o.user_id, o.agent_external_id, f.next_action_date, o.final_warning, o.next_debit_date,
          ${due(today)} AS is_due, NOT ${listed(today)} AS hidden, ${overdue(today)} AS is_overdue,
          ${snoozed(today)} AND f.next_action_date <= ${addDays(today, SCHEDULED_DAYS)} AS is_scheduled
        FROM followed k ${fromFollowed} opportunities o ON o.user_id = k.user_id AND o.agent_external_id = k.agent_external_id
        LEFT JOIN follow_ups f ON ${sql.raw(FOLLOW_UP_OF)}),
      -- Per client in one pass: subqueries per client over its opportunities made this quadratic
      -- (Today took 8 s at 1,00,000 SIPs once every client had been called).
      per_client AS (
        SELECT user_id, agent_external_id, max(is_due) AS has_due, min(is_due) AS all_due,
          min(next_action_date) FILTER (WHERE is_due) AS next_action_date,
          min(CASE WHEN is_due AND type = ${'auto_cancel_risk' satisfies OpportunityType} AND final_warning = 1
            THEN coalesce(next_debit_date, '9999-12-31') END) AS final_warning_date,
          group_concat(type) FILTER (WHERE hidden) AS hidden_types, sum(is_overdue) AS overdue,
          min(next_action_date) FILTER (WHERE is_scheduled) AS scheduled_date
        FROM followed_opportunities GROUP BY user_id, agent_external_id),
      -- A client with every opportunity due has its stake as client_stakes holds it, one with none has nothing at
      -- stake: only those with some due are worked out SIP by SIP (at 1,00,000 SIPs with every client called, all
      -- of them were: 0.94 s for everyone after a rebuild, now 0.65 s).
      due_stakes AS (
        SELECT user_id, agent_external_id, sum(top) AS at_stake FROM (
          SELECT os.user_id, os.agent_external_id, max(os.annual_value) AS top FROM per_client p
          CROSS JOIN followed_opportunities d ON d.user_id = p.user_id AND d.agent_external_id = p.agent_external_id
          CROSS JOIN opportunity_sips os ON os.user_id = d.user_id AND os.agent_external_id = d.agent_external_id AND os.type = d.type
          WHERE p.has_due AND NOT p.all_due AND d.is_due
          GROUP BY os.user_id, os.agent_external_id, os.sip_meta_id)
        GROUP BY user_id, agent_external_id)
      SELECT k.user_id, k.agent_external_id, coalesce(c.at_stake, 0) AS stake_if_all_due,
        CASE WHEN p.all_due THEN coalesce(c.at_stake, 0) ELSE coalesce(s.at_stake, 0) END AS at_stake,
        c.final_warning_date AS stake_warning, p.next_action_date, p.final_warning_date, coalesce(p.has_due, 0) AS has_due,
        p.hidden_types, coalesce(p.overdue, 0) AS overdue, p.scheduled_date
      FROM followed k
      LEFT JOIN per_client p ON p.user_id = k.user_id AND p.agent_external_id = k.agent_external_id
      LEFT JOIN client_stakes c ON c.user_id = k.user_id AND c.agent_external_id = k.agent_external_id
      LEFT JOIN due_stakes s ON s.user_id = k.user_id AND s.agent_external_id = k.agent_external_id`,
  ).sort(compareKeys)
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
  return a.group - b.group || compareText(dateOf(a), dateOf(b)) || b.at_stake - a.at_stake || compareKeys(a, b)
}

const keyOf = (c: ClientKey): string => `${c.user_id}\u0000${c.agent_external_id}`

const compareKeys = (a: ClientKey, b: ClientKey): number =>
  compareText(a.user_id, b.user_id) || compareText(a.agent_external_id, b.agent_external_id)

/** A `client_stakes` row (aliased `c`) of a client none of whose opportunities has a follow-up: not one of `followed`. */
const NOT_FOLLOWED = sql.raw(`NOT EXISTS (SELECT 1 FROM opportunities o JOIN follow_ups f ON ${FOLLOW_UP_OF}
  WHERE o.user_id = c.user_id AND o.agent_external_id = c.agent_external_id)`)

/**
 * The clients without follow-ups ("plain"), as `client_stakes` holds them, in queue order: those with a final warning
 * (`warned` of them) by date, then the rest, each by ₹ at stake; `count` from position `skip`, each part read from
 * its place in `client_stakes_queue`.
 */
function plainEntries(db: ReadableDb, agent: string | null, warned: number, skip: number, count: number): QueueEntry[] {
  const part = (where: SqlFragment, order: string, from: number, rows: number) =>
    sql`SELECT * FROM (SELECT c.user_id, c.agent_external_id, c.at_stake, NULL AS next_action_date, c.final_warning_date,
          ${STAKED_GROUP} AS "group"
        FROM client_stakes c WHERE ${ofAgent('c', agent)} AND ${where} AND ${IN_QUEUE_AS_STAKED} AND ${NOT_FOLLOWED}
        ORDER BY ${sql.raw(order)}, c.user_id, c.agent_external_id LIMIT ${Math.max(0, rows)} OFFSET ${from})`
  const fromWarned = Math.min(skip, warned)
  const warnedRows = Math.max(0, Math.min(count, warned - fromWarned))
  return allRows<QueueEntry>(
    db.sqlite,
    sql`${part(sql`c.final_warning_date IS NOT NULL`, 'c.final_warning_date, c.at_stake DESC', fromWarned, warnedRows)}
      UNION ALL ${part(sql`c.final_warning_date IS NULL`, 'c.at_stake DESC', Math.max(0, skip - warned), count - warnedRows)}`,
  )
}

/**
 * One page of the queue in its order, and how many clients it holds. The followed clients due now (`due`) are merged
 * in with the plain ones, which are read only where the page can be: before `offset` there are at most `due.length`
 * followed clients, and plain ones (groups 3 and 4) come after every followed client of groups 1 and 2.
 */
export function queuePage(
  db: ReadableDb,
  { agent, today, limit, offset }: { agent: string | null; today: string; limit: number; offset: number },
): { total: number; groups: QueueGroups; entries: QueueEntry[] } {
  const { due, urgent, warnedAsStaked, groupChanges } = followed(db, agent, today)
  const { warned, clients } = oneRow<{ warned: number; clients: number }>(
    db.sqlite,
    sql`SELECT count(c.final_warning_date) AS warned, count(*) AS clients FROM client_stakes c
        WHERE ${ofAgent('c', agent)} AND ${IN_QUEUE_AS_STAKED}`,
  )!
  const skip = Math.max(0, offset - due.length)
  const plain = plainEntries(db, agent, warned - warnedAsStaked, skip, offset + limit - urgent - skip)
  let entries: QueueEntry[] = []
  if (skip === 0 || plain.length > 0) {
    // The queue position of the first plain client read: `skip` plain ones and `from` followed ones come before it.
    const from = skip === 0 ? 0 : lowerBound(due, plain[0], compareEntries)
    const base = skip + from
    entries = mergeSorted(due.slice(from), plain, compareEntries, offset + limit - base).slice(offset - base)
  }
  // Per group: the clients as `client_stakes` has them, with the followed ones as they are instead.
  const groups: QueueGroups = {
    [QUEUE_GROUP.overdue]: groupChanges[QUEUE_GROUP.overdue],
    [QUEUE_GROUP.due_today]: groupChanges[QUEUE_GROUP.due_today],
    [QUEUE_GROUP.final_warning]: warned + groupChanges[QUEUE_GROUP.final_warning],
    [QUEUE_GROUP.everyone_else]: clients - warned + groupChanges[QUEUE_GROUP.everyone_else],
  }
  return { total: Object.values(groups).reduce((n, c) => n + c, 0), groups, entries }
}

/** The first `count` items (all by default) of two lists each in `compare`'s order, in that order. */
function mergeSorted<T>(a: readonly T[], b: readonly T[], compare: (x: T, y: T) => number, count = a.length + b.length): T[] {
  const merged: T[] = []
  let i = 0
  let j = 0
  while (merged.length < count && (i < a.length || j < b.length)) {
    merged.push(j >= b.length || (i < a.length && compare(a[i], b[j]) < 0) ? a[i++] : b[j++])
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

/**
 * Over the followed clients (the only ones with follow-ups): how many opportunities of each type the default lists
 * hide (closed or snoozed), and how many have an overdue follow-up.
 */
export function followUpCounts(
  db: ReadableDb,
  agent: string | null,
  today: string,
): { hidden: Map<OpportunityType, number>; overdue: number } {
  const hidden = new Map<OpportunityType, number>()
  let overdueCount = 0
  for (const f of followed(db, agent, today).clients) {
    overdueCount += f.overdue
    for (const type of f.hidden_types?.split(',') ?? []) hidden.set(type as OpportunityType, (hidden.get(type as OpportunityType) ?? 0) + 1)
  }
  return { hidden, overdue: overdueCount }
}

/** Works the followed clients out now if needed, and keeps them (outside a transaction) for the reads that follow. */
export const bringQueueUpToDate = (db: ReadableDb, agent: string | null, today: string): void => void followed(db, agent, today)

/** SPEC §5 "Scheduled": the clients with a next action date after today and within `SCHEDULED_DAYS`, by that date (then client). */
export const scheduledClients = (db: ReadableDb, agent: string | null, today: string): readonly ScheduledEntry[] =>
  followed(db, agent, today).scheduled

/** A client key list as JSON, for `clientIn` (one bound value whatever the number of clients). */
export const keysJson = (keys: readonly ClientKey[]): string => JSON.stringify(keys.map((k) => [k.user_id, k.agent_external_id]))

/** Rows of `alias` that belong to one of the clients in `json` (from `keysJson`). */
export const clientIn = (alias: string, json: string): SqlFragment =>
  sql`(${sql.raw(alias)}.user_id, ${sql.raw(alias)}.agent_external_id) IN (SELECT j.value ->> 0, j.value ->> 1 FROM json_each(${json}) j)`

/** The queue entries of some clients, by key (`keyOf`); a client not in the queue now is absent. */
export function entriesOf(
  db: ReadableDb,
  { agent, today, keys }: { agent: string | null; today: string; keys: readonly ClientKey[] },
): Map<string, QueueEntry> {
  const found = new Map<string, QueueEntry>()
  if (keys.length === 0) return found
  const { clients: followedClients } = followed(db, agent, today)
  for (const key of keys) {
    const f = findIn(followedClients, key)
    const entry = f && dueEntry(f, today)
    if (entry) found.set(keyOf(entry), entry)
  }
  const plain = allRows<QueueEntry>(
    db.sqlite,
    sql`SELECT c.user_id, c.agent_external_id, c.at_stake, NULL AS next_action_date, c.final_warning_date, ${STAKED_GROUP} AS "group"
        FROM client_stakes c WHERE ${clientIn('c', keysJson(keys))} AND ${ofAgent('c', agent)} AND ${IN_QUEUE_AS_STAKED}`,
  )
  for (const e of plain) if (findIn(followedClients, e) === undefined) found.set(keyOf(e), e)
  return found
}

/**
 * ₹ a year at stake of some clients as if every opportunity were due (`client_stakes`), by key: what
 * a row not due now shows (a done row of the plan, a scheduled client) rather than ₹0.
 */
export function stakesIfDue(db: ReadableDb, keys: readonly ClientKey[]): Map<string, number> {
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
export function nextActionDates(db: ReadableDb, keys: readonly ClientKey[]): Map<string, string> {
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
