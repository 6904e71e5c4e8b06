import { ask } from '../ask'
import { formatCount, formatDate, formatInr } from '../../../../shared/format'
import type { ResultsAgent, ResultsImport, ResultsWeek } from '../../../../shared/results'
import { defineCommand } from '../command'
import { printJson, render, say, type Column } from '../output'

const WEEK_COLUMNS: Column<ResultsWeek>[] = [
  { header: 'week', value: (w) => formatDate(w.week_start) },
  { header: 'reached', value: (w) => w.calls.reached, numeric: true },
  { header: 'no_answer', value: (w) => w.calls.no_answer, numeric: true },
  { header: 'call_back', value: (w) => w.calls.call_back, numeric: true },
  { header: 'converted', value: (w) => w.calls.converted, numeric: true },
  { header: 'not_interested', value: (w) => w.calls.not_interested, numeric: true },
  { header: 'clients_called', value: (w) => w.clients_called, numeric: true },
  { header: 'messages', value: (w) => w.messages, numeric: true },
  { header: 'credited', value: (w) => w.credited, numeric: true },
  { header: 'won_annual', value: (w) => formatInr(w.won_annual), numeric: true },
]

const IMPORT_COLUMNS: Column<ResultsImport>[] = [
  { header: 'import', value: (i) => `#${i.import_id}${i.computed_later ? ' (computed later)' : ''}` },
  { header: 'as_of', value: (i) => formatDate(i.as_of) },
  { header: 'live_sips', value: (i) => formatCount(i.live_sips), numeric: true },
  { header: 'monthly_active', value: (i) => formatInr(i.monthly_active), numeric: true },
  { header: 'failing', value: (i) => formatCount(i.failing), numeric: true },
  { header: 'final_warnings', value: (i) => formatCount(i.final_warnings), numeric: true },
  { header: 'at_stake', value: (i) => formatInr(i.at_stake), numeric: true },
]

const AGENT_COLUMNS: Column<ResultsAgent>[] = [
  { header: 'agent', value: (a) => (a.agent_name ? `${a.agent_name} (${a.agent_external_id ?? '—'})` : (a.agent_external_id ?? '—')) },
  { header: 'calls', value: (a) => formatCount(a.calls), numeric: true },
  { header: 'clients_called', value: (a) => formatCount(a.clients_called), numeric: true },
  { header: 'credited', value: (a) => formatCount(a.credited), numeric: true },
  { header: 'won_annual', value: (a) => formatInr(a.won_annual), numeric: true },
]

export default defineCommand({
  name: 'results',
  summary: 'Calls and credits week by week, the book across imports and per agent (default: the last 12 weeks).',
  options: {
    agent: { type: 'string', value: 'ID', help: "only this agent's calls, credits and book" },
    from: { type: 'string', value: 'YYYY-MM-DD', help: 'first day (default: the Monday 11 weeks before this week)' },
    to: { type: 'string', value: 'YYYY-MM-DD', help: 'last day (default: today)' },
    format: { type: 'string', choices: ['table', 'json'], help: 'table for a terminal (default) or json' },
  },
  async run({ values, openDb }) {
    const r = await ask(openDb('existing'), 'results:get', { agent: values.agent, from: values.from, to: values.to })
    if (values.format === 'json') {
      return printJson({
        from: r.from,
        to: r.to,
        weeks: r.weeks,
        imports: r.imports.map(({ started_at: _, ...i }) => i),
        agents: r.agents,
        conversion: r.conversion,
      })
    }
    say(`Results from ${formatDate(r.from)} to ${formatDate(r.to)}${values.agent ? `, agent ${values.agent}` : ''}`)
    process.stdout.write(`\nWeek by week\n${render('table', WEEK_COLUMNS, r.weeks)}`)
    process.stdout.write(
      r.imports.length > 0
        ? `\nThe book across imports\n${render('table', IMPORT_COLUMNS, r.imports)}`
        : '\nNo import yet: open an export first.\n',
    )
    const { planned, called, credited } = r.conversion
    say(
      planned > 0
        ? `\nConversion: ${formatCount(planned)} clients planned, ${formatCount(called)} called, ${formatCount(credited)} credited`
        : '\nConversion: no day plan in this period (Today fixes one each day it is opened).',
    )
    process.stdout.write(
      r.agents.length > 0 ? `\nPer agent\n${render('table', AGENT_COLUMNS, r.agents)}` : '\nNo calls or credits in this period.\n',
    )
  },
})
