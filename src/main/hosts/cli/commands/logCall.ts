import { say } from '../output'
import { agentOption, ask } from '../ask'
import { CALL_OUTCOMES, OUTCOME_LABELS, TYPE_LABELS, type CallResult } from '../../../../shared/detection'
import { formatDate, formatDateTime } from '../../../../shared/format'
import { defineCommand, usageError } from '../command'

const printApplied = (result: CallResult): void => {
  for (const a of result.applied)
    say(`  ${TYPE_LABELS[a.type]}: ${a.state}${a.next_action_date ? `, next action ${formatDate(a.next_action_date)}` : ''}`)
}

export default defineCommand({
  name: 'log-call',
  summary:
    "Logs a call to a client; its outcome applies to all the client's active opportunities, with the outcome's default next date " +
    'unless --next is given. --void-last voids the latest call instead.',
  options: {
    client: { type: 'string', value: 'USER_ID', help: 'the client (required)' },
    agent: { type: 'string', value: 'ID', help: 'the agent, when the client has SIPs under several' },
    outcome: { type: 'string', choices: CALL_OUTCOMES, help: 'how the call went (required unless --void-last)' },
    note: { type: 'string', value: 'TEXT', help: 'what was said' },
    next: {
      type: 'string',
      value: 'YYYY-MM-DD|none',
      help: 'the next action date (required for call_back); none for no date; default: no_answer → tomorrow, reached → after the next debit',
    },
    'void-last': { type: 'boolean', help: 'void the latest call (within 24 hours, no import since); its changes go back' },
  },
  async run({ values, openDb }) {
    if (!values.client) throw usageError('log-call', '--client is required')
    if (values['void-last'] && (values.outcome || values.note || values.next))
      throw usageError('log-call', '--void-last takes only --client and --agent')
    if (!values['void-last'] && !values.outcome) throw usageError('log-call', '--outcome is required')
    const db = openDb('change')
    const client = { user_id: values.client, agent_external_id: await agentOption(db, values.client, values.agent, { live: true }) }
    if (values['void-last']) {
      const result = await ask(db, 'calls:voidLast', client)
      say(
        `Voided the ${OUTCOME_LABELS[result.call.outcome].toLowerCase()} call of ${formatDateTime(result.call.at)} for ${result.call.user_id}`,
      )
      return printApplied(result)
    }
    const result = await ask(db, 'calls:log', {
      ...client,
      outcome: values.outcome!,
      note: values.note,
      next_action_date: values.next === 'none' ? null : values.next,
    })
    say(
      `Logged ${OUTCOME_LABELS[result.call.outcome].toLowerCase()} for ${result.call.user_id} at ${formatDateTime(result.call.at)}` +
        (result.call.next_action_date ? `, next action ${formatDate(result.call.next_action_date)}` : ', no next action date'),
    )
    printApplied(result)
  },
})
