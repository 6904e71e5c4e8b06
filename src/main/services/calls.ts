import type { Db, ReadableDb } from '../db/open'
import { writeTransaction } from '../db/write'
import { allRows, LIVE_SIP, oneRow, prepared, runSql, sql, type RowOf, type SqlFragment } from '../db/sql'
import type { calls, messages } from '../db/schema'
import {
  CALL_OUTCOMES,
  type Call,
  type CallOutcome,
  type CallResult,
  type ClientMessage,
  type FollowUpState,
  type OpportunityType,
} from '../../shared/detection'
import { type RequestOf } from '../../shared/contract'
import { nextInstalment, scheduleOf } from '../detectors/instalments'
import { ACTIVE, FOLLOW_UP_OF } from './followUpRules'
import { applyFollowUpChange, getFollowUp } from './followUps'
import { getSettings } from './settings'
import { addDays, formatDateTime, isoOfLocal, localToday as calendarToday } from '../../shared/format'
import { AppError } from '../../shared/errors'
import { agentOfKey } from '../../shared/agentKey'
import { clientAgent } from './clientAgent'

/** SPEC §4: the state a call's outcome gives each active opportunity; null leaves it as it is. */
const STATE_AFTER: Record<CallOutcome, FollowUpState | null> = {
  reached: 'contacted',
  call_back: 'contacted',
  converted: 'converted',
  not_interested: 'dismissed',
  no_answer: null,
}

/** SPEC §8.11: a call can be voided this long after it was saved. */
const VOID_WITHIN_MS = 24 * 60 * 60 * 1000

/** SPEC §8.3: bank debit results take 2–3 working days to show in an export. */
const DAYS_AFTER_DEBIT = 3

const toCall = (row: RowOf<typeof calls>): Call => ({
  ...row,
  agent_external_id: agentOfKey(row.agent_external_id),
})

const callById = (db: ReadableDb, id: number): RowOf<typeof calls> =>
  oneRow<RowOf<typeof calls>>(db.sqlite, sql`SELECT * FROM calls WHERE id = ${id}`)!

/**
 * SPEC §4 "Default next dates" and §8.3: the next action date a call gets when none is given. After
 * `reached`: 3 days after the next instalment on or after today among the live, active, not paused
 * SIPs of the client's active auto-cancel-risk and failing-now failed-SIPs opportunities, else today
 * + `next_after_reached`; after `no_answer`: today + `next_after_no_answer`; otherwise none.
 */
export function defaultNextDate(
  db: ReadableDb,
  userId: string,
  agent: string,
  outcome: CallOutcome,
  today = calendarToday(),
): string | null {
  const settings = getSettings(db).queue
  if (outcome === 'no_answer') return addDays(today, settings.next_after_no_answer)
  if (outcome !== 'reached') return null
  const sips = allRows<Parameters<typeof scheduleOf>[0] & { sip_days: string | null }>(
    db.sqlite,
    sql`SELECT DISTINCT s.sip_days, s.latest_success_order_date, s.start_date, s.end_date, s.paused_from, s.paused_till
        FROM opportunities o LEFT JOIN follow_ups f ON ${sql.raw(FOLLOW_UP_OF)}
        JOIN opportunity_sips os ON os.type = o.type AND os.user_id = o.user_id AND os.agent_external_id = o.agent_external_id
        JOIN sips s ON s.sip_meta_id = os.sip_meta_id
        WHERE o.user_id = ${userId} AND o.agent_external_id = ${agent} AND ${ACTIVE}
          AND (o.type = ${'auto_cancel_risk' satisfies OpportunityType} OR (o.type = ${'failed_sips' satisfies OpportunityType} AND o.currently_failing = 1))
          AND ${sql.raw(LIVE_SIP)} AND s.is_active = 1 AND s.current_sip_status IS NOT 'Paused'`,
  )
  const debits = sips
    .map((s) => nextInstalment(scheduleOf({ ...s, sip_days: s.sip_days ? (JSON.parse(s.sip_days) as number[]) : null }), today))
    .filter((d): d is string => d !== null)
    .sort()
  return debits.length > 0 ? addDays(debits[0], DAYS_AFTER_DEBIT) : addDays(today, settings.next_after_reached)
}

/** SPEC §4: the default next date of each outcome for a client, as a call without a date would get it. */
export function nextDates(db: ReadableDb, request: RequestOf<'calls:nextDates'>): Record<CallOutcome, string | null> {
  const agent = clientAgent(db, request.user_id, request.agent_external_id)
  const today = calendarToday()
  return Object.fromEntries(
    CALL_OUTCOMES.map((outcome) => [outcome, defaultNextDate(db, request.user_id, agent, outcome, today)]),
  ) as Record<CallOutcome, string | null>
}

/**
 * SPEC §4: appends a call to the client's log and applies its outcome to each of the client's
 * active opportunities (snoozed ones included), with an activity entry per change, in one
 * transaction that waits for the write lock. Without a next date the outcome's default applies
 * (`null` asks for none).
 */
export function logCall(db: Db, request: RequestOf<'calls:log'>): CallResult {
  const agent = clientAgent(db, request.user_id, request.agent_external_id)
  const at = new Date().toISOString()
  const next =
    request.next_action_date !== undefined ? request.next_action_date : defaultNextDate(db, request.user_id, agent, request.outcome)
  return writeTransaction(db, (): CallResult => {
    const { lastInsertRowid } = runSql(
      db.sqlite,
      sql`INSERT INTO calls (user_id, agent_external_id, at, outcome, note, next_action_date)
          VALUES (${request.user_id}, ${agent}, ${at}, ${request.outcome}, ${request.note?.trim() || null}, ${next})`,
    )
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
    return { call: toCall(callById(db, callId)), applied }
  })
}

/**
 * SPEC §4 "Voiding a call", §8.11: voids the client's latest non-void call — within 24 hours of
 * saving it and while no import has been made since. The entry stays, marked void; each state and
 * date it set goes back to what it was before, unless changed since.
 */
export function voidLastCall(db: Db, request: RequestOf<'calls:voidLast'>): CallResult {
  const agent = clientAgent(db, request.user_id, request.agent_external_id)
  return writeTransaction(db, (): CallResult => {
    const last = latestCall(db, request.user_id, agent)
    if (!last) throw new AppError('not_found', `no call to void for client ${request.user_id}`)
    const now = new Date()
    const why = whyNotVoidable(db, last, now)
    if (why) throw new AppError('conflict', `the latest call, ${formatDateTime(last.at)}, ${why}`)
    const at = now.toISOString()
    runSql(db.sqlite, sql`UPDATE calls SET voided_at = ${at} WHERE id = ${last.id}`)
    const changes = allRows<{ id: number; type: OpportunityType; kind: 'state' | 'next_action_date' | 'note'; from_value: string | null }>(
      db.sqlite,
      sql`SELECT id, type, kind, from_value FROM follow_up_events WHERE call_id = ${last.id} AND user_id = ${request.user_id}
          AND agent_external_id = ${agent} ORDER BY id`,
    )
    const laterChange = prepared(
      db.sqlite,
      (change: (typeof changes)[number]) =>
        sql`SELECT 1 FROM follow_up_events WHERE type = ${change.type} AND user_id = ${request.user_id} AND agent_external_id = ${agent}
            AND kind = ${change.kind} AND id > ${change.id} LIMIT 1`,
    )
    const key = (type: OpportunityType) => ({ type, user_id: request.user_id, agent_external_id: agentOfKey(agent) })
    const detail = `call of ${formatDateTime(last.at)} voided`
    for (const change of changes) {
      if (laterChange.oneRow(change)) continue
      const back = change.kind === 'state' ? { state: change.from_value as FollowUpState } : { [change.kind]: change.from_value }
      applyFollowUpChange(db, { ...key(change.type), ...back }, { at, detail })
    }
    const types = [...new Set(changes.map((c) => c.type))]
    return {
      call: toCall(callById(db, last.id)),
      applied: types.map((type) => {
        const followUp = getFollowUp(db, key(type))
        return { type, state: followUp.state, next_action_date: followUp.next_action_date }
      }),
    }
  })
}

/** SPEC §4 "Messages in the log": a message copied or opened for a client; it changes no follow-up. */
export function logMessage(db: Db, request: RequestOf<'messages:log'>): ClientMessage {
  const agent = clientAgent(db, request.user_id, request.agent_external_id)
  return writeTransaction(db, () => {
    const at = new Date().toISOString()
    const { lastInsertRowid } = runSql(
      db.sqlite,
      sql`INSERT INTO messages (user_id, agent_external_id, at, channel, type, text)
          VALUES (${request.user_id}, ${agent}, ${at}, ${request.channel}, ${request.type}, ${request.text})`,
    )
    return toMessage(oneRow<RowOf<typeof messages>>(db.sqlite, sql`SELECT * FROM messages WHERE id = ${Number(lastInsertRowid)}`)!)
  })
}

const toMessage = (row: RowOf<typeof messages>): ClientMessage => ({
  ...row,
  type: row.type as OpportunityType,
  agent_external_id: agentOfKey(row.agent_external_id),
})

const ofClient = (userId: string, agent: string | null): SqlFragment =>
  agent === null ? sql`user_id = ${userId}` : sql`user_id = ${userId} AND agent_external_id = ${agent}`

/**
 * SPEC §8.11: why `call` can no longer be voided at `now` — saved over 24 hours before, or an
 * import (not undone) made since — or null when it can.
 */
function whyNotVoidable(db: ReadableDb, call: RowOf<typeof calls>, now: Date): string | null {
  if (now.getTime() - Date.parse(call.at) > VOID_WITHIN_MS) return 'was saved more than 24 hours ago; it can no longer be voided'
  const importSince = oneRow<{ id: number }>(
    db.sqlite,
    sql`SELECT id FROM import_sets WHERE started_at > ${call.at} AND undone_at IS NULL ORDER BY id LIMIT 1`,
  )
  return importSince ? `came before import #${importSince.id}; it can no longer be voided` : null
}

/** The client's latest call not void: the one a void would take back. */
const latestCall = (db: ReadableDb, userId: string, agent: string | null): RowOf<typeof calls> | undefined =>
  oneRow<RowOf<typeof calls>>(
    db.sqlite,
    sql`SELECT * FROM calls WHERE ${ofClient(userId, agent)} AND voided_at IS NULL ORDER BY at DESC, id DESC LIMIT 1`,
  )

/** The client's call that Undo voids now (its latest not void, if it still can be: SPEC §8.11), or null. */
export function voidableCall(db: ReadableDb, userId: string, agent: string | null): number | null {
  const last = latestCall(db, userId, agent)
  return last && whyNotVoidable(db, last, new Date()) === null ? last.id : null
}

/** A client's calls, newest first (void ones included, marked). */
export const listCalls = (db: ReadableDb, userId: string, agent: string | null): Call[] =>
  allRows<RowOf<typeof calls>>(db.sqlite, sql`SELECT * FROM calls WHERE ${ofClient(userId, agent)} ORDER BY at DESC, id DESC`).map(toCall)

/** A client's messages, newest first. */
export const listMessages = (db: ReadableDb, userId: string, agent: string | null): ClientMessage[] =>
  allRows<RowOf<typeof messages>>(db.sqlite, sql`SELECT * FROM messages WHERE ${ofClient(userId, agent)} ORDER BY at DESC, id DESC`).map(
    toMessage,
  )

/** The instant local midnight was, as stored times are written (ISO, UTC). */
export const startOfToday = (): string => new Date(`${isoOfLocal(new Date())}T00:00:00`).toISOString()

/** Non-void calls logged since local midnight, optionally for one agent. */
export const callsToday = (db: ReadableDb, agent: string | null): number =>
  oneRow<{ n: number }>(
    db.sqlite,
    sql`SELECT count(*) AS n FROM calls WHERE at >= ${startOfToday()} AND voided_at IS NULL
        ${agent === null ? sql`` : sql`AND agent_external_id = ${agent}`}`,
  )!.n
