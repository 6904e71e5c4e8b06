import { agentOption, ask } from '../ask'
import { OUTCOME_LABELS, TYPE_LABELS, type ClientSip } from '../../../../shared/detection'
import { formatDate, formatDateTime, formatInr } from '../../../../shared/format'
import { defineCommand, usageError } from '../command'
import { printJson, render, REPORT_OPTIONS, say, type Column } from '../output'

const SIP_COLUMNS: Column<ClientSip>[] = [
  { header: 'sip_meta_id', value: (s) => s.sip_meta_id },
  { header: 'schemes', value: (s) => s.schemes.join('; ') },
  { header: 'amount', value: (s) => s.amount, numeric: true },
  { header: 'debit_days', value: (s) => s.sip_days.join(' ') },
  { header: 'monthly_amount', value: (s) => s.monthly_amount, numeric: true },
  { header: 'status', value: (s) => (s.deleted ? 'deleted' : s.status) },
  { header: 'active', value: (s) => s.is_active },
  { header: 'start_date', value: (s) => s.start_date },
  { header: 'latest_success', value: (s) => s.latest_success_order_date },
  { header: 'success_amount', value: (s) => s.success_amount, numeric: true },
  { header: 'failed_amount', value: (s) => s.failed_amount, numeric: true },
]

export default defineCommand({
  name: 'client',
  args: '<user_id>',
  summary: "One client's SIPs and opportunities.",
  options: { agent: { type: 'string', value: 'ID', help: 'the agent, when the client has SIPs under several' }, ...REPORT_OPTIONS },
  async run({ values, positionals, openBook }) {
    if (positionals.length !== 1) throw usageError('client', 'name exactly one user_id')
    const [userId] = positionals
    const db = openBook(values['as-of'])
    const agent = await agentOption(db, userId, values.agent, { live: false })
    const client = await ask(db, 'client:get', { user_id: userId, agent_external_id: agent, as_of: values['as-of'] })
    if (values.format === 'json') return printJson(client)
    if (values.format === 'csv') return void process.stdout.write(render('csv', SIP_COLUMNS, client.sips))
    say(`${client.name ?? client.user_id}${client.name ? ` (${client.user_id})` : ''}`)
    if (client.phone_number || client.email) say([client.phone_number, client.email].filter(Boolean).join(' · '))
    if (client.agent_name || client.agent_external_id)
      say(`Agent: ${client.agent_external_id ?? ''}${client.agent_name ? ` (${client.agent_name})` : ''}`)
    for (const other of client.other_agents)
      say(
        `Also a client under agent ${other.agent_external_id ?? "''"}${other.agent_name ? ` (${other.agent_name})` : ''}: client ${client.user_id} --agent ${other.agent_external_id ?? "''"}`,
      )
    say(`As of ${formatDate(client.as_of)}\n`)
    process.stdout.write(
      render('table', SIP_COLUMNS, client.sips, (c, s) => {
        const v = c.value(s)
        return c.numeric
          ? formatInr(v as number | null)
          : c.header.endsWith('date') || c.header === 'latest_success'
            ? formatDate(v as string | null)
            : String(v ?? '—')
      }),
    )
    say(client.opportunities.length === 0 ? '\nNo opportunities.' : '\nOpportunities:')
    for (const o of client.opportunities)
      say(`- ${TYPE_LABELS[o.type]} (score ${o.score}, ${formatInr(o.annual_value)} a year, ${o.status}): ${o.description}`)
    if (client.calls.length > 0) say('\nCalls:')
    for (const call of client.calls) say(`- ${formatDateTime(call.at)} ${OUTCOME_LABELS[call.outcome]}${call.note ? `: ${call.note}` : ''}`)
  },
})
