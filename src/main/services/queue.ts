import type { Db } from '../db/open'
import { allRows, oneRow, sql, type SqlFragment } from '../db/sql'
import { ofAgent } from './bookFigures'
import { due, FOLLOW_UP_OF } from './followUpRules'

/**
 * SPEC §3.1 and §5: which clients are due a call, how much is at stake for each (₹ a year over
 * their due opportunities, each SIP once), and the order of the Today queue.
 *
 * `client_stakes` holds each client's figures as if every opportunity were due, computed at the
 * rebuild. Only follow-ups make an opportunity not due (or give it a date), and they are few, so
 * the clients that have any are worked out here and the rest are read as they are.
 */

/** A client in the queue, before its reasons and contact details are added. */
export interface QueueEntry {
  user_id: string
  agent_external_id: string
  at_stake: number
  next_action_date: string | null
  /** The auto-cancel next debit date of a due final warning ('9999-12-31' when unknown). */
  final_warning_date: string | null
  group: 1 | 2 | 3 | 4
}

/** Clients with a follow-up on any of their opportunities. */
const followedClients = (agent: string | null): SqlFragment =>
  sql`SELECT DISTINCT o.user_id, o.agent_external_id FROM follow_ups f JOIN opportunities o ON ${sql.raw(FOLLOW_UP_OF)}
      WHERE ${ofAgent('o', agent)}`

/** Their due opportunities. */
const dueOfFollowed = (agent: string | null, today: string): SqlFragment =>
  sql`SELECT o.type, o.user_id, o.agent_external_id, f.next_action_date, o.final_warning, o.next_debit_date
      FROM (${followedClients(agent)}) k
      JOIN opportunities o ON o.user_id = k.user_id AND o.agent_external_id = k.agent_external_id
      LEFT JOIN follow_ups f ON ${sql.raw(FOLLOW_UP_OF)}
      WHERE ${due(today)}`

/** Every client with a due opportunity, with the figures the queue orders by. */
function queue(agent: string | null, today: string): SqlFragment {
  return sql`WITH followed AS (${followedClients(agent)}),
    due_opportunities AS (${dueOfFollowed(agent, today)}),
    followed_rows AS (
      SELECT d.user_id, d.agent_external_id,
        (SELECT coalesce(sum(top), 0) FROM (
          SELECT max(os.annual_value) AS top FROM opportunity_sips os
          JOIN due_opportunities d2 ON d2.type = os.type AND d2.user_id = os.user_id AND d2.agent_external_id = os.agent_external_id
          WHERE os.user_id = d.user_id AND os.agent_external_id = d.agent_external_id GROUP BY os.sip_meta_id)) AS at_stake,
        min(d.next_action_date) AS next_action_date,
        max(CASE WHEN d.type = 'auto_cancel_risk' AND d.final_warning = 1 THEN coalesce(d.next_debit_date, '9999-12-31') END)
          AS final_warning_date
      FROM due_opportunities d GROUP BY d.user_id, d.agent_external_id),
    entries AS (
      SELECT user_id, agent_external_id, at_stake, next_action_date, final_warning_date FROM followed_rows
      UNION ALL
      SELECT c.user_id, c.agent_external_id, c.at_stake, NULL, c.final_warning_date FROM client_stakes c
      WHERE ${ofAgent('c', agent)}
        AND NOT EXISTS (SELECT 1 FROM followed k WHERE k.user_id = c.user_id AND k.agent_external_id = c.agent_external_id))
    SELECT *, CASE WHEN next_action_date < ${today} THEN 1 WHEN next_action_date = ${today} THEN 2
      WHEN final_warning_date IS NOT NULL THEN 3 ELSE 4 END AS "group"
    FROM entries`
}

/** SPEC §5: overdue oldest first; due today; final warnings by debit date; then by ₹ at stake, user_id, agent. */
const QUEUE_ORDER = `"group", CASE "group" WHEN 1 THEN next_action_date WHEN 3 THEN final_warning_date END,
  at_stake DESC, user_id, agent_external_id`

/** One page of the queue in its order, and how many clients it holds. */
export function queuePage(
  db: Db,
  { agent, today, limit, offset }: { agent: string | null; today: string; limit: number; offset: number },
): { total: number; entries: QueueEntry[] } {
  const entries = allRows<QueueEntry>(
    db.sqlite,
    sql`${queue(agent, today)} ORDER BY ${sql.raw(QUEUE_ORDER)} LIMIT ${limit} OFFSET ${offset}`,
  )
  const { total } = oneRow<{ total: number }>(db.sqlite, sql`SELECT count(*) AS total FROM (${queue(agent, today)})`)!
  return { total, entries }
}

/** SPEC §3.6: ₹ a year at stake over the clients due a call (each SIP once), and how many they are. */
export function dueTotals(db: Db, agent: string | null, today: string): { clients: number; at_stake: number } {
  return oneRow<{ clients: number; at_stake: number }>(
    db.sqlite,
    sql`SELECT count(*) AS clients, coalesce(sum(at_stake), 0) AS at_stake FROM (${queue(agent, today)})`,
  )!
}

/** ₹ a year at stake over each agent's clients due a call. */
export function dueStakeByAgent(db: Db, today: string): Map<string, number> {
  const rows = allRows<{ agent: string; at_stake: number }>(
    db.sqlite,
    sql`SELECT agent_external_id AS agent, sum(at_stake) AS at_stake FROM (${queue(null, today)}) GROUP BY 1`,
  )
  return new Map(rows.map((row) => [row.agent, row.at_stake]))
}
