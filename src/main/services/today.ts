import type { ReadableDb } from '../db/open'
import { allRows, sql } from '../db/sql'
import { byUrgency, type CallOutcome, type Opportunity, type ScheduledPage, type TodayPage, type TodayRow } from '../../shared/detection'
import type { RequestOf } from '../../shared/contract'
import { agentFilter } from './bookFigures'
import { callsToday } from './calls'
import { freshness, type ReadOptions } from './derived'
import { ACTIVE, due } from './followUpRules'
import { selectOpportunities, textContext } from './opportunities'
import { clientIn, clientKey, entriesOf, keysJson, queuePage, scheduledClients, stakesIfDue, type QueueEntry } from './queue'
import { resolveAsOf } from './settings'
import { localToday as calendarToday } from '../../shared/format'
import { agentKey, agentOfKey } from '../../shared/agentKey'

/** A client to show as a row: its queue entry, or for one not due now (a plan's done row, a scheduled one) a null group. */
export type ClientEntry = Omit<QueueEntry, 'group'> & { group: QueueEntry['group'] | null }

type ClientRow = Omit<TodayRow, 'group'> & { group: QueueEntry['group'] | null }

/**
 * SPEC §5/§6: the rows of some clients, in the order given, with a fixed number of set queries
 * whatever their number: their reasons (the due opportunities, or the active ones for a client not
 * due now; most urgent first, §8.1), contact details, last call and last contact.
 */
export function clientRows(db: ReadableDb, entries: readonly ClientEntry[], today = calendarToday()): ClientRow[] {
  if (entries.length === 0) return []
  const context = textContext(db)
  const reasonsOf = new Map<string, Opportunity[]>()
  // Both queries run even for an empty list, so a page runs the same statements whatever it holds.
  const collect = (list: readonly ClientEntry[], which: 'due' | 'active') => {
    const where = which === 'due' ? due(today) : ACTIVE
    for (const o of selectOpportunities(db, sql`${clientIn('o', keysJson(list))} AND ${where}`, context)) {
      const key = clientKey({ user_id: o.user_id, agent_external_id: agentKey(o.agent_external_id) })
      reasonsOf.set(key, [...(reasonsOf.get(key) ?? []), o])
    }
  }
  collect(
    entries.filter((e) => e.group !== null),
    'due',
  )
  collect(
    entries.filter((e) => e.group === null),
    'active',
  )
  const json = keysJson(entries)
  const contacts = new Map(
    allRows<{ user_id: string; name: string | null; phone_number: string | null; email: string | null }>(
      db.sqlite,
      sql`SELECT user_id, name, phone_number, email FROM clients WHERE user_id IN (SELECT j.value ->> 0 FROM json_each(${json}) j)`,
    ).map((c) => [c.user_id, c]),
  )
  const lastCalls = new Map(
    allRows<{
      user_id: string
      agent_external_id: string
      at: string
      outcome: CallOutcome
      note: string | null
      next_action_date: string | null
    }>(
      db.sqlite,
      sql`SELECT user_id, agent_external_id, at, outcome, note, next_action_date FROM (
            SELECT c.*, row_number() OVER (PARTITION BY c.user_id, c.agent_external_id ORDER BY c.at DESC, c.id DESC) AS n
            FROM calls c WHERE ${clientIn('c', json)} AND c.voided_at IS NULL) WHERE n = 1`,
    ).map((c) => [clientKey(c), c]),
  )
  const lastMessages = new Map(
    allRows<{ user_id: string; agent_external_id: string; at: string; channel: 'copy' | 'email' | 'whatsapp' }>(
      db.sqlite,
      sql`SELECT user_id, agent_external_id, at, channel FROM (
            SELECT m.*, row_number() OVER (PARTITION BY m.user_id, m.agent_external_id ORDER BY m.at DESC, m.id DESC) AS n
            FROM messages m WHERE ${clientIn('m', json)}) WHERE n = 1`,
    ).map((m) => [clientKey(m), m]),
  )
  return entries.map((entry): ClientRow => {
    const key = clientKey(entry)
    const reasons = byUrgency(reasonsOf.get(key) ?? [])
    const autoCancel = reasons.find((o) => o.type === 'auto_cancel_risk')
    const person = contacts.get(entry.user_id)
    const call = lastCalls.get(key)
    const message = lastMessages.get(key)
    const lastCall = call ? { at: call.at, outcome: call.outcome, note: call.note, next_action_date: call.next_action_date } : null
    return {
      user_id: entry.user_id,
      agent_external_id: agentOfKey(entry.agent_external_id),
      client_name: person?.name ?? null,
      phone: person?.phone_number ?? null,
      email: person?.email ?? null,
      group: entry.group,
      at_stake: entry.at_stake,
      next_action_date: entry.next_action_date,
      // SPEC §8.15: whenever the client has a final warning, whatever its group.
      final_warning_date: autoCancel?.final_warning ? (autoCancel.next_debit_date ?? null) : null,
      missed_instalments: autoCancel?.missed_instalments ?? null,
      reasons: reasons.map((o) => ({ type: o.type, annual_value: o.annual_value, description: o.description })),
      last_call: lastCall,
      last_contact:
        message && (!call || message.at > call.at)
          ? { at: message.at, kind: 'message', outcome: null, channel: message.channel, note: null }
          : call
            ? { at: call.at, kind: 'call', outcome: call.outcome, channel: null, note: call.note }
            : null,
    }
  })
}

/** Clients a page of Today or Scheduled holds when the request does not say. */
const PAGE_DEFAULT = 100

/** SPEC §5: one page of the Today queue, each row with its reasons, contact details and last call. */
export function listToday(db: ReadableDb, request: RequestOf<'today:list'>, options: ReadOptions = {}): TodayPage {
  const asOf = resolveAsOf(db, request.as_of)
  const { refreshing } = freshness(db, asOf, options)
  const today = calendarToday()
  const agent = agentFilter(db, request.agent)
  const { total, groups, entries } = queuePage(db, { agent, today, limit: request.limit ?? PAGE_DEFAULT, offset: request.offset ?? 0 })
  const rows = clientRows(db, entries, today) as TodayRow[]
  return { as_of: asOf, refreshing, total, groups, rows, calls_today: callsToday(db, agent) }
}

/** SPEC §5 "Scheduled": a page of `scheduledClients`, each with its reasons, ₹ at stake and last contact, and each date's count. */
export function listScheduled(db: ReadableDb, request: RequestOf<'today:scheduled'>): ScheduledPage {
  const asOf = resolveAsOf(db, request.as_of)
  const today = calendarToday()
  const agent = agentFilter(db, request.agent)
  const scheduled = scheduledClients(db, agent, today)
  const dates: ScheduledPage['dates'] = []
  for (const { next_action_date: date } of scheduled) {
    if (dates.at(-1)?.date === date) dates.at(-1)!.clients++
    else dates.push({ date, clients: 1 })
  }
  const offset = request.offset ?? 0
  const page = scheduled.slice(offset, offset + (request.limit ?? PAGE_DEFAULT))
  const queued = entriesOf(db, { agent, today, keys: page })
  const stakes = stakesIfDue(db, page)
  const entries = page.map((s): ClientEntry => ({
    ...s,
    at_stake: queued.get(clientKey(s))?.at_stake ?? stakes.get(clientKey(s)) ?? 0,
    final_warning_date: null,
    group: queued.get(clientKey(s))?.group ?? null,
  }))
  return { as_of: asOf, total: scheduled.length, dates, rows: clientRows(db, entries, today) }
}
