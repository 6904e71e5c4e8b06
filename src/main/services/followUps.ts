import type { Db, ReadableDb } from '../db/open'
import { writeTransaction } from '../db/write'
import { allRows, oneRow, prepared, runSql, sql } from '../db/sql'
import { TYPE_LABELS, type FollowUp, type FollowUpEvent, type FollowUpState, type OpportunityType } from '../../shared/detection'
import { AppError } from '../../shared/errors'
import { clientAgent } from './clientAgent'
import { queueChangedFor } from './queue'
import { agentKey } from '../../shared/agentKey'

export interface FollowUpKey {
  type: OpportunityType
  user_id: string
  agent_external_id: string | null
}

export interface FollowUpChange extends FollowUpKey {
  state?: FollowUpState
  next_action_date?: string | null
  note?: string | null
}

/** Where a change came from, kept on its activity entries. */
export interface ChangeSource {
  at?: string
  callId?: number
  importId?: number
  /** Why, in words (the SIP events behind an import's credit). */
  detail?: string
}

export function getFollowUp(db: ReadableDb, key: FollowUpKey): FollowUp {
  const agent = agentKey(key.agent_external_id)
  const ofKey = sql`type = ${key.type} AND user_id = ${key.user_id} AND agent_external_id = ${agent}`
  const row = oneRow<{ state: FollowUpState; next_action_date: string | null; note: string | null; updated_at: string }>(
    db.sqlite,
    sql`SELECT state, next_action_date, note, updated_at FROM follow_ups WHERE ${ofKey}`,
  )
  const events = allRows<FollowUpEvent>(
    db.sqlite,
    sql`SELECT at, kind, from_value, to_value, call_id, import_id, detail FROM follow_up_events WHERE ${ofKey} ORDER BY at DESC, id DESC`,
  )
  return {
    type: key.type,
    user_id: key.user_id,
    agent_external_id: key.agent_external_id,
    state: row?.state ?? 'open',
    next_action_date: row?.next_action_date ?? null,
    note: row?.note ?? null,
    updated_at: row?.updated_at ?? null,
    events,
  }
}

/**
 * Applies a change to a follow-up and logs every field it changed, with the time and its source.
 * Runs inside the caller's transaction when there is one.
 */
export function applyFollowUpChange(db: Db, change: FollowUpChange, source: ChangeSource = {}): void {
  const agent = agentKey(change.agent_external_id)
  const before = getFollowUp(db, change)
  const after = {
    state: change.state ?? before.state,
    next_action_date: change.next_action_date !== undefined ? change.next_action_date : before.next_action_date,
    note: change.note !== undefined ? change.note : before.note,
  }
  const at = source.at ?? new Date().toISOString()
  const { callId = null, importId = null, detail = null } = source
  const log = prepared(
    db.sqlite,
    (kind: keyof typeof after) =>
      sql`INSERT INTO follow_up_events (type, user_id, agent_external_id, at, kind, from_value, to_value, call_id, import_id, detail)
          VALUES (${change.type}, ${change.user_id}, ${agent}, ${at}, ${kind}, ${before[kind]}, ${after[kind]}, ${callId}, ${importId}, ${detail})`,
  )
  let changed = false
  for (const kind of ['state', 'next_action_date', 'note'] as const) {
    if (after[kind] === before[kind]) continue
    changed = true
    log.run(kind)
  }
  if (!changed && before.updated_at !== null) return
  runSql(
    db.sqlite,
    sql`INSERT INTO follow_ups (type, user_id, agent_external_id, state, next_action_date, note, updated_at)
        VALUES (${change.type}, ${change.user_id}, ${agent}, ${after.state}, ${after.next_action_date}, ${after.note}, ${at})
        ON CONFLICT (type, user_id, agent_external_id) DO UPDATE SET state = excluded.state,
        next_action_date = excluded.next_action_date, note = excluded.note, updated_at = excluded.updated_at`,
  )
  queueChangedFor(db, { user_id: change.user_id, agent_external_id: agent })
}

/**
 * A user's change to one follow-up: waits for the write lock (an import may hold it) rather than failing at once.
 * SPEC §4 "Refusals": a client or agent without a live SIP, or an opportunity that does not qualify now, is `not_found`.
 */
export function updateFollowUp(db: Db, change: FollowUpChange): FollowUp {
  const agent = clientAgent(db, change.user_id, agentKey(change.agent_external_id))
  const qualifies = oneRow(
    db.sqlite,
    sql`SELECT 1 FROM opportunities WHERE type = ${change.type} AND user_id = ${change.user_id} AND agent_external_id = ${agent}`,
  )
  if (!qualifies) {
    throw new AppError('not_found', `client ${change.user_id} has no ${TYPE_LABELS[change.type]} opportunity now; nothing was saved`)
  }
  writeTransaction(db, () => applyFollowUpChange(db, change))
  return getFollowUp(db, change)
}
