import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookSnapshot as snapshot, generatedExport, scratch } from '../../testing/support'
import { runCli } from './cliProcess'

const cli = runCli

let tmp: ReturnType<typeof scratch>
let month1: string
let month2: string

beforeAll(async () => {
  tmp = scratch()
  month1 = await generatedExport(tmp.dir, 'month1.json', { sips: 300, seed: 31 })
  month2 = await generatedExport(tmp.dir, 'month2.json', { sips: 300, seed: 31, month: 2 })
})
afterAll(() => tmp.cleanup())

describe('partner-dashboard changes and undo-import', () => {
  it('names the agents in its tables when a client export gave their names, not only their ids', async () => {
    const db = tmp.file('named.sqlite')
    const clients = tmp.file('named-clients.json')
    const sips = await generatedExport(tmp.dir, 'named.json', { sips: 200, seed: 32, clientsPath: clients })
    expect(cli('import', sips, clients, '--db', db).code).toBe(0)
    const table = cli('changes', '--db', db)
    expect(table.code).toBe(0)
    const agents = new Map(
      (JSON.parse(fs.readFileSync(clients, 'utf8')) as { agent_external_id: string; agent_name: string }[]).map((c) => [
        c.agent_external_id,
        c.agent_name,
      ]),
    )
    const rows = table.stdout.split('\n')
    for (const [id, name] of agents) {
      expect(rows.some((row) => row.includes(name))).toBe(true)
      expect(rows.filter((row) => row.includes(id))).toEqual([])
    }
  })

  it('prints the latest import’s changes as a table or as the JSON of SPEC §7.1, and undoes it only when confirmed', () => {
    const db = tmp.file('cli.sqlite')
    expect(cli('import', month1, '--db', db).code).toBe(0)
    expect(cli('import', month2, '--db', db).code).toBe(0)

    const table = cli('changes', '--db', db)
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/^Import #2: month2\.json, .*; as of 12 Feb 2026, previous export 12 Jan 2026\n/)
    expect(table.stdout).toMatch(/\nSIP events: .*\d+ stepped up/)
    expect(table.stdout).toMatch(/\nOpportunities: \d+ new, \d+ resolved; \d+ credited, ₹[\d,]+ a year won\n/)

    const json = JSON.parse(cli('changes', '--db', db, '--format', 'json', '--import', '1').stdout) as Record<string, unknown> & {
      sip_events: Record<string, unknown>[]
      opportunities: Record<string, unknown>[]
    }
    expect(Object.keys(json)).toEqual([
      'import_id',
      'undone',
      'previous_as_of',
      'as_of',
      'totals',
      'sip_events',
      'opportunities',
      'reopened',
    ])
    expect(json).toMatchObject({ import_id: 1, undone: false, previous_as_of: null, as_of: '2026-01-12' })
    expect(json.sip_events.every((e) => e.event === 'new_sip')).toBe(true)
    expect(Object.keys(json.sip_events[0])).toEqual(['sip_meta_id', 'user_id', 'agent_external_id', 'event', 'before', 'after'])
    expect(Object.keys(json.opportunities[0])).toEqual(['type', 'user_id', 'agent_external_id', 'change', 'annual_value', 'credited'])
    expect(json.totals).toMatchObject({ new: json.opportunities.length, resolved: 0 })

    const before = snapshot(db)
    const unconfirmed = cli('undo-import', '--db', db)
    expect(unconfirmed).toMatchObject({ code: 1, stdout: '' })
    expect(unconfirmed.stderr).toMatch(
      /^partner-dashboard: undo-import: not confirmed; add --yes to undo without being asked \(see partner-dashboard undo-import --help\)\n$/,
    )
    expect(snapshot(db)).toEqual(before)

    const undone = cli('undo-import', '--yes', '--db', db)
    expect(undone.code).toBe(0)
    expect(undone.stdout).toMatch(
      /^Undid import #2 \(month2\.json\): [\d,]+ new SIPs removed; [\d,]+ SIPs back as they were; as of 12 Jan 2026\n$/,
    )
    expect(JSON.parse(cli('changes', '--db', db, '--format', 'json', '--import', '2').stdout)).toMatchObject({ undone: true })
    expect(cli('undo-import', '--yes', '--db', db).code).toBe(0)
    const nothing = cli('undo-import', '--yes', '--db', db)
    expect(nothing).toMatchObject({
      code: 1,
      stderr: 'partner-dashboard: nothing to undo: every import has been undone, or none was made\n',
    })
    expect(cli('changes', '--db', db, '--import', '9').stderr).toBe('partner-dashboard: no import #9\n')
  }, 180_000)
})
