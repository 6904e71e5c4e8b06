import { ask } from '../ask'
import { parseRequest } from '../../../../shared/contract'
import { opportunitiesCsv } from '../../../../shared/csv'
import { FOLLOW_UP_STATES, OPPORTUNITY_TYPES, type Opportunity } from '../../../../shared/detection'
import { formatCount, formatDate, formatInr } from '../../../../shared/format'
import { everyOpportunity } from '../../../../shared/paging'
import { defineCommand, wholeNumber } from '../command'
import { MONEY, printJson, render, REPORT_OPTIONS, say, type Column } from '../output'

/** The terminal table shows what fits a line; CSV and JSON carry every field. */
const COLUMNS: Column<Opportunity>[] = [
  { header: 'score', value: (o) => o.score, numeric: true },
  { header: 'type', value: (o) => o.type },
  { header: 'client', value: (o) => o.client_name ?? o.user_id },
  { header: 'agent', value: (o) => o.agent_name ?? o.agent_external_id },
  { header: 'sip_meta_ids', value: (o) => o.sip_meta_ids.join(';') },
  { header: 'current_sip_amount', value: (o) => o.current_sip_amount, numeric: true },
  { header: 'annual_value', value: (o) => o.annual_value, numeric: true },
  { header: 'status', value: (o) => o.status },
]

export default defineCommand({
  name: 'opportunities',
  summary: 'Every qualifying opportunity, best first, whatever its follow-up state unless --state narrows it.',
  options: {
    type: { type: 'string', choices: [...OPPORTUNITY_TYPES, 'all'], help: 'one type of opportunity, or all (the default)' },
    agent: { type: 'string', value: 'ID', help: "only this agent's clients" },
    state: { type: 'string', multiple: true, choices: FOLLOW_UP_STATES, help: 'only opportunities in this follow-up state' },
    limit: { type: 'string', value: 'N', check: wholeNumber(1), help: 'at most N rows (default: all)' },
    ...REPORT_OPTIONS,
  },
  async run({ values, openBook }) {
    const limit = values.limit === undefined ? Infinity : Number(values.limit)
    // SPEC §4: the CLI lists every qualifying opportunity whatever its follow-up state, unless --state.
    const base = parseRequest('opportunities:list', {
      type: values.type,
      agent: values.agent,
      as_of: values['as-of'],
      states: values.state ?? [...FOLLOW_UP_STATES],
      show_snoozed: true,
    })
    const db = openBook(values['as-of'])
    const page = await everyOpportunity((query) => ask(db, 'opportunities:list', query), base, { max: limit })
    const { rows } = page
    if (values.format === 'json') return printJson(rows)
    if (values.format === 'csv') return void process.stdout.write(opportunitiesCsv(rows))
    process.stdout.write(
      render('table', COLUMNS, rows, (c, o) => (MONEY.has(c.header) ? formatInr(c.value(o) as number) : String(c.value(o) ?? '—'))),
    )
    say(`${formatCount(rows.length)} of ${formatCount(page.total)} opportunities, as of ${formatDate(page.as_of)}`)
  },
})
