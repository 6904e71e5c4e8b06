import { ask } from '../ask'
import { OPPORTUNITY_TYPES, type AgentSummary } from '../../../../shared/detection'
import { formatInr } from '../../../../shared/format'
import { defineCommand } from '../command'
import { MONEY, printJson, render, REPORT_OPTIONS, type Column } from '../output'

const COLUMNS: Column<AgentSummary>[] = [
  { header: 'agent_external_id', value: (a) => a.agent_external_id },
  { header: 'agent_id', value: (a) => a.agent_id },
  { header: 'agent_name', value: (a) => a.agent_name },
  { header: 'live_sips', value: (a) => a.live_sips, numeric: true },
  { header: 'clients', value: (a) => a.clients, numeric: true },
  { header: 'total_invested', value: (a) => a.total_invested, numeric: true },
  { header: 'monthly_sip_amount', value: (a) => a.monthly_sip_amount, numeric: true },
  ...OPPORTUNITY_TYPES.map((t): Column<AgentSummary> => ({ header: t, value: (a) => a.opportunities[t], numeric: true })),
  { header: 'annual_at_stake', value: (a) => a.annual_at_stake, numeric: true },
]

export default defineCommand({
  name: 'agents',
  summary: 'The agents table: book and opportunities per agent.',
  options: REPORT_OPTIONS,
  async run({ values, openBook }) {
    const { agents } = await ask(openBook(values['as-of']), 'agents:list', { as_of: values['as-of'] })
    if (values.format === 'json') return printJson(agents)
    process.stdout.write(
      render(values.format ?? 'table', COLUMNS, agents, (c, a) =>
        MONEY.has(c.header) ? formatInr(c.value(a) as number) : String(c.value(a) ?? '—'),
      ),
    )
  },
})
