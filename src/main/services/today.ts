import type { Db } from '../db/open'
import { sql } from '../db/sql'
import { OPPORTUNITY_TYPES, type TodayPage, type TodayRow } from '../../shared/detection'
import type { RequestOf } from '../../shared/contract'
import { agentFilter } from './bookFigures'
import { callsToday, listCalls } from './calls'
import { freshness, type ReadOptions } from './derived'
import { due } from './followUpRules'
import { selectOpportunities, textContext } from './opportunities'
import { queuePage } from './queue'
import { resolveAsOf } from './settings'
import { localToday as calendarToday } from '../../shared/format'
import { agentOfKey } from '../../shared/agentKey'

const NO_DATE = '9999-12-31'

/** SPEC §5: one page of the Today queue, each row with its reasons, contact details and last call. */
export function listToday(db: Db, request: RequestOf<'today:list'>, options: ReadOptions = {}): TodayPage {
  const asOf = resolveAsOf(db, request.as_of)
  const { refreshing } = freshness(db, asOf, options)
  const today = calendarToday()
  const agent = agentFilter(db, request.agent)
  const { total, groups, entries } = queuePage(db, { agent, today, limit: request.limit ?? 100, offset: request.offset ?? 0 })
  const context = textContext(db)
  const contact = db.sqlite.prepare('SELECT name, phone_number, email FROM clients WHERE user_id = ?')
  const rows = entries.map((entry): TodayRow => {
    const opportunities = selectOpportunities(
      db,
      sql`o.user_id = ${entry.user_id} AND o.agent_external_id = ${entry.agent_external_id} AND ${due(today)}`,
      context,
    ).sort((a, b) => OPPORTUNITY_TYPES.indexOf(a.type) - OPPORTUNITY_TYPES.indexOf(b.type))
    const autoCancel = opportunities.find((o) => o.type === 'auto_cancel_risk')
    const person = contact.get(entry.user_id) as { name: string | null; phone_number: string | null; email: string | null } | undefined
    const [lastCall] = listCalls(db, entry.user_id, entry.agent_external_id)
    return {
      user_id: entry.user_id,
      agent_external_id: agentOfKey(entry.agent_external_id),
      client_name: person?.name ?? null,
      phone: person?.phone_number ?? null,
      email: person?.email ?? null,
      group: entry.group,
      at_stake: entry.at_stake,
      next_action_date: entry.next_action_date,
      overdue: entry.group === 1,
      final_warning_date: entry.group === 3 && entry.final_warning_date !== NO_DATE ? entry.final_warning_date : null,
      missed_instalments: autoCancel?.missed_instalments ?? null,
      reasons: opportunities.map((o) => ({ type: o.type, annual_value: o.annual_value, description: o.description })),
      opportunities,
      last_call: lastCall
        ? { at: lastCall.at, outcome: lastCall.outcome, note: lastCall.note, next_action_date: lastCall.next_action_date }
        : null,
      as_of: asOf,
    }
  })
  return { as_of: asOf, refreshing, total, groups, rows, calls_today: callsToday(db, agent) }
}
