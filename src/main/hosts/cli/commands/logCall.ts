import { say } from '../output'
import { clientAgent, logCall } from '../../../services/calls'
import { parseRequest } from '../../../../shared/contract'
import { CALL_OUTCOMES, OUTCOME_LABELS, TYPE_LABELS } from '../../../../shared/detection'
import { formatDate, formatDateTime } from '../../../../shared/format'
import { defineCommand, usageError } from '../command'

export default defineCommand({
  name: 'log-call',
  summary: "Logs a call to a client; its outcome applies to all the client's active opportunities.",
  options: {
    client: { type: 'string', value: 'USER_ID', help: 'the client (required)' },
    agent: { type: 'string', value: 'ID', help: 'the agent, when the client has SIPs under several' },
    outcome: { type: 'string', choices: CALL_OUTCOMES, help: 'how the call went (required)' },
    note: { type: 'string', value: 'TEXT', help: 'what was said' },
    next: { type: 'string', value: 'YYYY-MM-DD', help: 'the next action date (required for call_back)' },
  },
  run({ values, openDb }) {
    if (!values.client || !values.outcome) throw usageError('log-call', '--client and --outcome are required')
    const call = parseRequest('calls:log', {
      user_id: values.client,
      outcome: values.outcome,
      note: values.note,
      next_action_date: values.next,
    })
    const db = openDb('change')
    const result = logCall(db, { ...call, agent_external_id: clientAgent(db, call.user_id, values.agent) })
    say(`Logged ${OUTCOME_LABELS[result.call.outcome].toLowerCase()} for ${result.call.user_id} at ${formatDateTime(result.call.at)}`)
    for (const a of result.applied)
      say(`  ${TYPE_LABELS[a.type]}: ${a.state}${a.next_action_date ? `, next action ${formatDate(a.next_action_date)}` : ''}`)
  },
})
