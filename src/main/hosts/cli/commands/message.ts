import { say } from '../output'
import { agentOption, ask } from '../ask'
import { OPPORTUNITY_TYPES, typeInSentence } from '../../../../shared/detection'
import { AppError } from '../../../../shared/errors'
import { LANGUAGES } from '../../../../shared/messages'
import { defineCommand, usageError } from '../command'

/** SPEC §6: prints the message the app's dialog offers a client — the same function fills both. */
export default defineCommand({
  name: 'message',
  summary:
    "Prints the message the app would offer a client (its most urgent reason with a message, unless --type), in the client's language unless --lang.",
  options: {
    client: { type: 'string', value: 'USER_ID', help: 'the client (required)' },
    agent: { type: 'string', value: 'ID', help: 'the agent, when the client has SIPs under several' },
    type: { type: 'string', choices: OPPORTUNITY_TYPES, help: 'the reason the message is about' },
    lang: { type: 'string', choices: LANGUAGES, help: "the language (default: the client's)" },
  },
  async run({ values, openBook }) {
    if (!values.client) throw usageError('message', '--client is required')
    const db = openBook(undefined)
    const agent = await agentOption(db, values.client, values.agent, { live: true })
    const answer = await ask(db, 'messages:get', { user_id: values.client, agent_external_id: agent, language: values.lang })
    if (answer.advisor_missing) {
      throw new AppError('invalid_request', 'no advisor name is set: set it first with partner-dashboard settings advisor_name "Your Name"')
    }
    const offered = values.type ? answer.messages.find((m) => m.type === values.type) : answer.messages.find((m) => m.text !== null)
    if (!offered) {
      const why = values.type ? `no active ${typeInSentence(values.type)} opportunity` : 'no active opportunity with a message'
      throw new AppError('not_found', `client ${values.client}: ${why}`)
    }
    if (offered.text === null)
      throw new AppError('invalid_request', `client ${values.client}: no ${typeInSentence(offered.type)} message: ${offered.reason}`)
    say(offered.text)
  },
})
