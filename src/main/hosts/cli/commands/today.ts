import { listToday } from '../../../services/today'
import { PAGE_LIMIT, parseRequest } from '../../../../shared/contract'
import { clientLabel, OUTCOME_LABELS, TYPE_LABELS, type TodayRow } from '../../../../shared/detection'
import { formatCount, formatDate, formatDateTime, formatInr } from '../../../../shared/format'
import { defineCommand, wholeNumber } from '../command'
import { printJson, render, say, type Column } from '../output'

const COLUMNS: Column<TodayRow>[] = [
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

export default defineCommand({
  name: 'today',
  summary: 'The call queue: one row per client with a due opportunity, in the order to call them.',
  options: {
    agent: { type: 'string', value: 'ID', help: "only this agent's clients" },
    'as-of': { type: 'string', value: 'YYYY-MM-DD', help: 'judge as of this date (default: the as-of date in settings)' },
    limit: { type: 'string', value: 'N', check: wholeNumber(1), help: 'at most N clients (default: all)' },
    format: { type: 'string', choices: ['table', 'json'], help: 'table for a terminal (default) or json' },
  },
  run({ values, openBook }) {
    const limit = values.limit === undefined ? Infinity : Number(values.limit)
    const request = parseRequest('today:list', { agent: values.agent, as_of: values['as-of'] })
    const db = openBook(values['as-of'])
    const rows: TodayRow[] = []
    for (;;) {
      const page = listToday(db, { ...request, limit: Math.min(PAGE_LIMIT, limit - rows.length), offset: rows.length })
      rows.push(...page.rows)
      if (page.rows.length === 0 || rows.length >= Math.min(limit, page.total)) break
    }
    // SPEC §6: the fields of a Today row; the opportunities' full records are the `opportunities` command's.
    if (values.format === 'json') return printJson(rows.map(({ opportunities: _, email: __, ...row }) => row))
    process.stdout.write(render('table', COLUMNS, rows))
    say(`${formatCount(rows.length)} clients to call (groups: 1 overdue, 2 due today, 3 one failure from cancellation, 4 the rest)`)
  },
})
