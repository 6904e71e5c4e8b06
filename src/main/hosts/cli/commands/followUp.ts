import { say } from '../output'
import { agentOption, ask } from '../ask'
import { FOLLOW_UP_STATES, OPPORTUNITY_TYPES, TYPE_LABELS } from '../../../../shared/detection'
import { formatDate } from '../../../../shared/format'
import { defineCommand, usageError } from '../command'
import { agentOfKey } from '../../../../shared/agentKey'

export default defineCommand({
  name: 'follow-up',
  summary: "Changes one opportunity's follow-up: its state, next action date or note.",
  options: {
    type: { type: 'string', choices: OPPORTUNITY_TYPES, help: 'the opportunity type (required)' },
    client: { type: 'string', value: 'USER_ID', help: 'the client (required)' },
    agent: { type: 'string', value: 'ID', help: 'the agent, when the client has SIPs under several' },
    state: { type: 'string', choices: FOLLOW_UP_STATES, help: 'the new state' },
    next: { type: 'string', value: 'YYYY-MM-DD|none', help: 'the next action date, or none to clear it' },
    note: { type: 'string', value: 'TEXT', help: 'the note' },
  },
  async run({ values, openDb }) {
    if (!values.type || !values.client) throw usageError('follow-up', '--type and --client are required')
    const db = openDb('change')
    const agent = await agentOption(db, values.client, values.agent, { live: true })
    const followUp = await ask(db, 'followup:update', {
      type: values.type,
      user_id: values.client,
      agent_external_id: agentOfKey(agent ?? null),
      state: values.state,
      next_action_date: values.next === 'none' ? null : values.next,
      note: values.note,
    })
    say(
      `${TYPE_LABELS[followUp.type]} for ${followUp.user_id}: ${followUp.state}` +
        (followUp.next_action_date ? `, next action ${formatDate(followUp.next_action_date)}` : ''),
    )
  },
})
