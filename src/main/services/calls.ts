import type { Db } from '../db/open'
import { writeTransaction } from '../db/write'
import { allRows, oneRow, sql, type RowOf } from '../db/sql'
import type { calls } from '../db/schema'
import type { Call, CallOutcome, CallResult, FollowUpState, OpportunityType } from '../../shared/detection'
import { type RequestOf } from '../../shared/contract'
import { ACTIVE, FOLLOW_UP_OF } from './followUpRules'
import { applyFollowUpChange, getFollowUp } from './followUps'
import { isoOfLocal } from '../../shared/format'
import { AppError } from '../../shared/errors'
import { agentOfKey } from '../../shared/agentKey'

/** SPEC §4: the state a call's outcome gives each active opportunity; null leaves it as it is. */
const STATE_AFTER: Record<CallOutcome, FollowUpState | null> = {
  reached: 'contacted',
  call_back: 'contacted',
  converted: 'converted',
  not_interested: 'dismissed',
  no_answer: null,
}

const toCall = (row: RowOf<typeof calls>): Call => ({
  ...row,
  agent_external_id: agentOfKey(row.agent_external_id),
})

/** The agent of a client named by user_id alone: refused when the client has opportunities under several agents. */
export function clientAgent(db: Db, userId: string, agent: string | null | undefined): string {
  if (agent !== undefined && agent !== null) return agent
  const agents = allRows<{ agent: string }>(
    db.sqlite,
    sql`SELECT DISTINCT coalesce(agent_external_id, '') AS agent FROM sips WHERE user_id = ${userId} LIMIT 2`,
  )
  if (agents.length === 0) throw new AppError('not_found', `no client ${userId}`)
  if (agents.length > 1) throw new AppError('invalid_request', `client ${userId} has SIPs under several agents; name the agent`)
  return agents[0].agent
}

/**
 * SPEC §4: appends a call to the client's log and applies its outcome to each of the client's
 * active opportunities (snoozed ones included), with an activity entry per change, in one
 * transaction that waits for the write lock.
 */
export function logCall(db: Db, request: RequestOf<'calls:log'>): CallResult {
  const agent = clientAgent(db, request.user_id, request.agent_external_id)
  const at = new Date().toISOString()
  const next = request.next_action_date ?? null
  return writeTransaction(db, (): CallResult => {
    const { lastInsertRowid } = db.sqlite
      .prepare('INSERT INTO calls (user_id, agent_external_id, at, outcome, note, next_action_date) VALUES (?, ?, ?, ?, ?, ?)')
      .run(request.user_id, agent, at, request.outcome, request.note?.trim() || null, next)
    const callId = Number(lastInsertRowid)
    const active = allRows<{ type: OpportunityType }>(
      db.sqlite,
      sql`SELECT o.type FROM opportunities o LEFT JOIN follow_ups f ON ${sql.raw(FOLLOW_UP_OF)}
            WHERE o.user_id = ${request.user_id} AND o.agent_external_id = ${agent} AND ${ACTIVE}`,
    )
    const state = STATE_AFTER[request.outcome]
    const applied = active.map(({ type }) => {
      const key = { type, user_id: request.user_id, agent_external_id: agentOfKey(agent) }
      applyFollowUpChange(db, { ...key, ...(state ? { state } : {}), next_action_date: next }, { at, callId })
      const followUp = getFollowUp(db, key)
      return { type, state: followUp.state, next_action_date: followUp.next_action_date }
    })
    const call = db.sqlite.prepare('SELECT * FROM calls WHERE id = ?').get(callId) as RowOf<typeof calls>
    return { call: toCall(call), applied }
  })
}

/** A client's calls, newest first. */
export const listCalls = (db: Db, userId: string, agent: string | null): Call[] =>
  allRows<RowOf<typeof calls>>(
    db.sqlite,
    agent === null
      ? sql`SELECT * FROM calls WHERE user_id = ${userId} ORDER BY at DESC, id DESC`
      : sql`SELECT * FROM calls WHERE user_id = ${userId} AND agent_external_id = ${agent} ORDER BY at DESC, id DESC`,
  ).map(toCall)

/** The instant local midnight was, as stored times are written (ISO, UTC). */
const startOfToday = (): string => new Date(`${isoOfLocal(new Date())}T00:00:00`).toISOString()

/** Calls logged since local midnight, optionally for one agent. */
export const callsToday = (db: Db, agent: string | null): number =>
  oneRow<{ n: number }>(
    db.sqlite,
    sql`SELECT count(*) AS n FROM calls WHERE at >= ${startOfToday()} ${agent === null ? sql`` : sql`AND agent_external_id = ${agent}`}`,
  )!.n
