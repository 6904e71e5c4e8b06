/**
 * CLI `message` (SPEC §6, §8 item 14), run as a user runs it: the text it prints is the text the
 * app's message dialog offers (the same function fills both); a type with no message and a book
 * with no advisor name are refused, exit 1, with the reason. Slow: it starts the CLI many times.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { FOLLOW_UP_STATES } from '../../../shared/detection'
import { LANGUAGES } from '../../../shared/messages'
import { openDb } from '../../db/open'
import { importFile } from '../../import/importer'
import { refreshIfStale } from '../../services/derived'
import { clientMessages } from '../../services/messages'
import { listOpportunities } from '../../services/opportunities'
import { updateSettings } from '../../services/settings'
import { generatedExport, scratch } from '../../testing/support'
import { runCli } from './cliProcess'

const tmp = scratch()
const book = tmp.file('book.sqlite')
let clients: { user_id: string; agent_external_id: string }[]

beforeAll(async () => {
  const db = openDb(book)
  const clientsPath = tmp.file('clients.json')
  await importFile(db.sqlite, await generatedExport(tmp.dir, 'sips.json', { sips: 300, seed: 2106, clientsPath }))
  await importFile(db.sqlite, clientsPath)
  refreshIfStale(db)
  const rows = listOpportunities(db, { limit: 1000, states: [...FOLLOW_UP_STATES], show_snoozed: true }).rows
  clients = [
    ...new Map(
      rows.map((o) => [`${o.user_id}|${o.agent_external_id}`, { user_id: o.user_id, agent_external_id: o.agent_external_id ?? '' }]),
    ).values(),
  ]
  db.close()
  return () => tmp.cleanup()
}, 120_000)

/** What the app offers `client` in `lang` (the dialog opens on the first message with a text). */
function offered(client: { user_id: string; agent_external_id: string }, lang: 'en' | 'hi') {
  const db = openDb(book)
  try {
    return clientMessages(db, { ...client, language: lang }).messages
  } finally {
    db.close()
  }
}

describe('partner-dashboard message', () => {
  it('with no advisor name set, exits 1 naming the setting and prints no message', () => {
    const result = runCli('message', '--client', clients[0].user_id, '--agent', clients[0].agent_external_id, '--db', book)
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/no advisor name is set.*settings advisor_name/)
  })

  it('prints exactly the text the app offers, in English and Hindi, and refuses a type with no message naming the reason', () => {
    const db = openDb(book)
    updateSettings(db, { advisor: { name: 'Anita Desai' } })
    db.close()
    let printed = 0
    let refused = 0
    for (const client of clients.slice(0, 12)) {
      const args = ['message', '--client', client.user_id, '--agent', client.agent_external_id, '--db', book]
      for (const lang of LANGUAGES) {
        const messages = offered(client, lang)
        const first = messages.find((m) => m.text !== null)
        const result = runCli(...args, '--lang', lang)
        if (first) {
          expect(result, `${client.user_id} ${lang}`).toMatchObject({ code: 0, stdout: `${first.text}\n`, stderr: '' })
          printed++
        } else {
          expect(result.code).toBe(1)
          expect(result.stderr).toMatch(/no active opportunity with a message/)
        }
      }
      for (const m of offered(client, 'en').filter((x) => x.text === null)) {
        const result = runCli(...args, '--type', m.type)
        expect(result.code, `${client.user_id} ${m.type}`).toBe(1)
        expect(result.stdout).toBe('')
        expect(result.stderr).toContain(`: ${m.reason}`)
        refused++
      }
    }
    expect(printed).toBeGreaterThan(5)
    expect(refused).toBeGreaterThan(0)
  })

  it('refuses a type the client has no opportunity of', () => {
    const client = clients.find((c) => !offered(c, 'en').some((m) => m.type === 'sip_ending'))!
    const result = runCli('message', '--client', client.user_id, '--agent', client.agent_external_id, '--type', 'sip_ending', '--db', book)
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(`partner-dashboard: client ${client.user_id}: no active SIP ending opportunity\n`)
  })
})
