import { ask } from '../ask'
import { PAGE_LIMIT } from '../../../../shared/contract'
import { clientLabel, OUTCOME_LABELS, TYPE_LABELS, type PlanRow, type TodayRow } from '../../../../shared/detection'
import { formatCount, formatDate, formatDateTime, formatInr } from '../../../../shared/format'
import { GROUP_LABELS, QUEUE_GROUP, QUEUE_GROUPS } from '../../../../shared/queueGroups'
import { defineCommand, usageError, wholeNumber } from '../command'
import { printJson, render, say, type Column } from '../output'

type Row = Omit<TodayRow, 'group'> & { group: TodayRow['group'] | null }

/**
 * SPEC §6, §8.15: a row's JSON fields, in the spec's order; `overdue` and `as_of` are the group's and
 * the page's in the app's answer, written out on each row here.
 */
const jsonOf =
  (asOf: string) =>
  <R extends Row>({ user_id, agent_external_id, client_name, phone, email: _, group, at_stake, next_action_date, ...rest }: R) => {
    const { final_warning_date, missed_instalments, reasons, last_call, last_contact, ...planned } = rest
    return {
      user_id,
      agent_external_id,
      client_name,
      phone,
      group,
      at_stake,
      next_action_date,
      overdue: group === QUEUE_GROUP.overdue,
      final_warning_date,
      missed_instalments,
      reasons,
      last_call,
      last_contact,
      as_of: asOf,
      ...planned,
    }
  }

/** "1 overdue, 2 due today, …": the group numbers the table shows, in words. */
const GROUP_WORDS = QUEUE_GROUPS.map((group) => `${group} ${GROUP_LABELS[group].toLowerCase()}`).join(', ')

const COLUMNS: Column<Row>[] = [
  { header: 'group', value: (r) => r.group },
  { header: 'client', value: (r) => clientLabel(r.client_name, r.user_id) },
  { header: 'phone', value: (r) => r.phone },
  { header: 'at_stake', value: (r) => formatInr(r.at_stake), numeric: true },
  {
    header: 'next',
    value: (r) =>
      r.next_action_date ? formatDate(r.next_action_date) : r.final_warning_date ? `debit ${formatDate(r.final_warning_date)}` : '',
  },
  { header: 'reasons', value: (r) => r.reasons.map((reason) => TYPE_LABELS[reason.type]).join(', ') },
  { header: 'last_call', value: (r) => (r.last_call ? `${OUTCOME_LABELS[r.last_call.outcome]} ${formatDateTime(r.last_call.at)}` : '') },
]

const PLAN_COLUMNS: Column<PlanRow>[] = [
  { header: 'done', value: (r) => (r.resolved ? 'resolved' : r.done ? `done: ${OUTCOME_LABELS[r.outcome!]}` : '') },
  ...(COLUMNS as Column<PlanRow>[]),
]

/** The rows of a list answered a page at a time (`PAGE_LIMIT` a page), up to `limit`, and its first page. */
async function everyRow<P extends { total: number; rows: unknown[] }>(
  fetchPage: (page: { limit: number; offset: number }) => Promise<P>,
  limit: number,
): Promise<{ first: P; rows: P['rows'] }> {
  const rows: P['rows'] = []
  let first: P | undefined
  let page: P
  do {
    page = await fetchPage({ limit: Math.min(PAGE_LIMIT, limit - rows.length), offset: rows.length })
    first ??= page
    rows.push(...page.rows)
  } while (page.rows.length > 0 && rows.length < Math.min(limit, page.total))
  return { first: first!, rows }
}

export default defineCommand({
  name: 'today',
  summary: 'The call queue: one row per client with a due opportunity, in the order to call them.',
  options: {
    agent: { type: 'string', value: 'ID', help: "only this agent's clients" },
    'as-of': { type: 'string', value: 'YYYY-MM-DD', help: 'judge as of this date (default: the as-of date in settings)' },
    limit: { type: 'string', value: 'N', check: wholeNumber(1), help: 'at most N clients of the queue or of Scheduled (default: all)' },
    format: { type: 'string', choices: ['table', 'json'], help: 'table for a terminal (default) or json' },
    plan: { type: 'boolean', help: "the day's plan (fixed and stored at the day's first look), each row with done and outcome" },
    scheduled: { type: 'boolean', help: 'the clients with a next action date in the next 30 days' },
  },
  async run({ values, openBook }) {
    if (values.plan && values.scheduled) throw usageError('today', 'give --plan or --scheduled, not both')
    if (values.plan) {
      const plan = await ask(openBook(values['as-of']), 'today:plan', { agent: values.agent, as_of: values['as-of'] })
      if (values.format === 'json') return printJson(plan.rows.map(jsonOf(plan.as_of)))
      process.stdout.write(render('table', PLAN_COLUMNS, plan.rows))
      say(`${formatCount(plan.done)} of ${formatCount(plan.total)} done · Later: ${formatCount(plan.later)} more clients`)
      return
    }
    const db = openBook(values['as-of'])
    const limit = values.limit === undefined ? Infinity : Number(values.limit)
    const query = { agent: values.agent, as_of: values['as-of'] }
    if (values.scheduled) {
      const { first, rows } = await everyRow((page) => ask(db, 'today:scheduled', { ...query, ...page }), limit)
      if (values.format === 'json') return printJson(rows.map(jsonOf(first.as_of)))
      process.stdout.write(render('table', COLUMNS, rows))
      say(`${formatCount(first.total)} clients scheduled in the next 30 days`)
      return
    }
    const { first: page, rows } = await everyRow((next) => ask(db, 'today:list', { ...query, ...next }), limit)
    // SPEC §6: the fields of a Today row; the opportunities' full records are the `opportunities` command's.
    if (values.format === 'json') return printJson(rows.map(jsonOf(page.as_of)))
    process.stdout.write(render('table', COLUMNS, rows))
    say(`${formatCount(rows.length)} clients to call (groups: ${GROUP_WORDS})`)
  },
})
