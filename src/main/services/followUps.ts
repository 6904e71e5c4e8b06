import type { Db } from '../db/open'
import { writeTransaction } from '../db/write'
import type { FollowUp, FollowUpEvent, FollowUpState, OpportunityType } from '../../shared/detection'

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

const nowIso = (): string => new Date().toISOString()

export function getFollowUp(db: Db, key: FollowUpKey): FollowUp {
  const agent = key.agent_external_id ?? ''
  const row = db.sqlite
    .prepare('SELECT state, next_action_date, note, updated_at FROM follow_ups WHERE type = ? AND user_id = ? AND agent_external_id = ?')
    .get(key.type, key.user_id, agent) as
    { state: FollowUpState; next_action_date: string | null; note: string | null; updated_at: string } | undefined
  const events = db.sqlite
    .prepare(
      'SELECT at, kind, from_value, to_value FROM follow_up_events WHERE type = ? AND user_id = ? AND agent_external_id = ? ORDER BY at DESC, id DESC',
    )
    .all(key.type, key.user_id, agent) as FollowUpEvent[]
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

/** Applies a change to a follow-up and logs every field it changed, with the time. */
export function updateFollowUp(db: Db, change: FollowUpChange): FollowUp {
  const agent = change.agent_external_id ?? ''
  writeTransaction(db, () => {
    const before = getFollowUp(db, change)
    const after = {
      state: change.state ?? before.state,
      next_action_date: change.next_action_date !== undefined ? change.next_action_date : before.next_action_date,
      note: change.note !== undefined ? change.note : before.note,
    }
    const at = nowIso()
    const log = db.sqlite.prepare(
      'INSERT INTO follow_up_events (type, user_id, agent_external_id, at, kind, from_value, to_value) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    for (const kind of ['state', 'next_action_date', 'note'] as const) {
      if (after[kind] !== before[kind]) log.run(change.type, change.user_id, agent, at, kind, before[kind], after[kind])
    }
    db.sqlite
      .prepare(
        `INSERT INTO follow_ups (type, user_id, agent_external_id, state, next_action_date, note, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (type, user_id, agent_external_id) DO UPDATE SET state = excluded.state,
         next_action_date = excluded.next_action_date, note = excluded.note, updated_at = excluded.updated_at`,
      )
      .run(change.type, change.user_id, agent, after.state, after.next_action_date, after.note, at)
  })
  return getFollowUp(db, change)
}
