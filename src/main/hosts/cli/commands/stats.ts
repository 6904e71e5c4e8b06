import { ask } from '../ask'
import { OPPORTUNITY_TYPES } from '../../../../shared/detection'
import { formatCount, formatDate, formatInr } from '../../../../shared/format'
import { defineCommand } from '../command'
import { printJson, render, REPORT_OPTIONS, type Column } from '../output'

type Row = [metric: string, value: number | string]

const COLUMNS: Column<Row>[] = [
  { header: 'metric', value: (r) => r[0] },
  { header: 'value', value: (r) => r[1], numeric: true },
]

export default defineCommand({
  name: 'stats',
  summary: 'Opportunity and book totals.',
  options: {
    agent: { type: 'string', value: 'ID', help: "only this agent's clients" },
    ...REPORT_OPTIONS,
  },
  async run({ values, openBook }) {
    const stats = await ask(openBook(values['as-of']), 'stats:get', { agent: values.agent, as_of: values['as-of'] })
    if (values.format === 'json') return printJson(stats)
    const rows: Row[] = [
      ['as_of', stats.as_of],
      ['total_opportunities', stats.total_opportunities],
      ['listed_opportunities', stats.listed_opportunities],
      ['clients_with_opportunities', stats.clients_with_opportunities],
      ['annual_at_stake', stats.annual_at_stake],
      ['failed_over_lives', stats.failed_over_lives],
      ...OPPORTUNITY_TYPES.flatMap((t): Row[] => [
        [`${t}_count`, stats.by_type[t].count],
        [`${t}_listed`, stats.by_type[t].listed],
        [`${t}_annual_value`, stats.by_type[t].annual_value],
        [`${t}_potential`, stats.by_type[t].potential],
      ]),
      ['overdue_follow_ups', stats.overdue_follow_ups],
      ['due_clients', stats.due_clients],
      ['calls_today', stats.calls_today],
      ['live_sips', stats.book.live_sips],
      ['clients', stats.book.clients],
      ['agents', stats.book.agents],
      ['monthly_sip_amount', stats.book.monthly_sip_amount],
      ['total_invested', stats.book.total_invested],
    ]
    process.stdout.write(
      render(values.format ?? 'table', COLUMNS, rows, (c, [metric, value]) =>
        c.header === 'metric'
          ? metric
          : typeof value === 'string'
            ? formatDate(value)
            : /potential|amount|invested|annual|stake|lives/.test(metric)
              ? formatInr(value)
              : formatCount(value),
      ),
    )
  },
})
