import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatedExport, scratch } from '../../testing/support'
import { runCli, spawnCli } from './cliProcess'
import { openDb } from '../../db/open'
import { commandHelp } from './command'
import { COMMANDS } from './commands'
import { twoYearSip } from '../../testing/rawSip'

const cli = runCli

let tmp: ReturnType<typeof scratch>
let book: string
let db: string
/** The book imported once by the CLI, for the tests that start from it (each on a copy of its own). */
let imported: string

beforeAll(async () => {
  tmp = scratch()
  book = await generatedExport(tmp.dir, 'book.json', { sips: 300, seed: 11, quirks: 0.05 })
  db = tmp.file('cli.sqlite')
  imported = tmp.file('imported.sqlite')
  expect(cli('import', book, '--db', imported).code).toBe(0)
  expect(fs.existsSync(`${imported}-wal`)).toBe(false) // closed: the file alone is the book
})
afterAll(() => tmp.cleanup())

/** A copy of the imported book, as `cli('import', book, '--db', name)` would leave it. */
function importedBook(name: string): string {
  const file = tmp.file(name)
  fs.copyFileSync(imported, file)
  return file
}

describe('partner-dashboard import', () => {
  it('prints one summary line per file and exits 0', () => {
    const second = tmp.file('again.json')
    fs.copyFileSync(book, second)
    const { code, stdout, stderr } = cli('import', book, second, '--db', db)
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const lines = stdout.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^book\.json: 300 read, \d+ inserted, 0 updated, 0 unchanged, \d+ rejected, \d+ warnings \(\d+\.\d s\)$/)
    expect(lines[1]).toMatch(/^again\.json: 300 read, 0 inserted, 0 updated, \d+ unchanged/)
  })

  it('prints one JSON object per file with --json, issues included', () => {
    const { code, stdout } = cli('import', book, '--db', tmp.file('json.sqlite'), '--json')
    expect(code).toBe(0)
    const report = JSON.parse(stdout) as {
      file: string
      read: number
      inserted: number
      rejected: number
      warnings: number
      issues: { level: string; position: number }[]
    }
    expect(report).toMatchObject({ file: 'book.json', read: 300 })
    expect(report.rejected + report.warnings).toBeGreaterThan(0)
    expect(report.issues).toHaveLength(report.rejected + report.warnings)
    expect(Object.keys(report)).toEqual([
      'file',
      'read',
      'inserted',
      'updated',
      'unchanged',
      'rejected',
      'warnings',
      'mapping_saved_at',
      'issues',
    ])
    expect(Object.keys(report.issues[0])).toEqual(['position', 'sip_meta_id', 'field', 'reason', 'level'])
    expect(report.inserted + report.rejected).toBe(300)
  })

  it.each([
    ['a missing file', () => [tmp.file('nope.json')], /nope\.json: file not found/],
    ['a folder', () => [tmp.dir], /is a folder/],
    ['an empty file', () => [write('empty.json', '')], /empty\.json: the file is empty/],
    [
      'text that is not JSON',
      () => [write('notes.txt', 'hello')],
      /notes\.txt: expected a JSON array or JSON Lines of objects, found 'h' \(line 1, byte 0\)/,
    ],
    ['JSON of the wrong shape', () => [write('string.json', '"a string"')], /string\.json: expected a JSON array/],
    [
      'truncated JSON',
      () => [write('cut.json', fs.readFileSync(book, 'utf8').slice(0, 5000))],
      /cut\.json: the file ends unexpectedly.*\(line \d+, byte \d+\); nothing was imported/,
    ],
    ['an unknown flag', () => [book, '--frobnicate'], /import: Unknown option '--frobnicate'/],
    ['no file at all', () => [], /name at least one export file/],
  ])('exits 1 with one line on stderr for %s, database unchanged', (name, args, message) => {
    const target = tmp.file(`${name.replaceAll(' ', '-')}.sqlite`)
    const { code, stdout, stderr } = cli('import', ...args(), '--db', target)
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stderr).toMatch(message)
    expect(stderr).not.toMatch(/\n\s+at /)
    if (fs.existsSync(target)) {
      const after = openDb(target)
      expect(after.sqlite.prepare('SELECT (SELECT count(*) FROM sips) + (SELECT count(*) FROM imports) AS n').get()).toEqual({ n: 0 })
      after.close()
    }
  })

  it('rejects an unknown command', () => {
    const { code, stderr } = cli('frobnicate')
    expect(code).toBe(1)
    expect(stderr).toMatch(/unknown command "frobnicate"/)
  })
})

describe('partner-dashboard opportunities, stats, agents, client', () => {
  let reportDb: string
  beforeAll(() => {
    reportDb = importedBook('reports.sqlite')
  })

  it('prints the §3.5 fields in snake_case as one JSON array, and --type and --limit narrow it', () => {
    const all = JSON.parse(cli('opportunities', '--db', reportDb, '--format', 'json').stdout) as Record<string, unknown>[]
    expect(all.length).toBeGreaterThan(10)
    for (const field of [
      'type',
      'user_id',
      'client_name',
      'agent_id',
      'agent_external_id',
      'agent_name',
      'sip_meta_ids',
      'current_sip_amount',
      'potential_value',
      'annual_value',
      'total_invested',
      'failed_amount',
      'last_activity_date',
      'days_since_activity',
      'score',
      'description',
      'status',
    ]) {
      expect(all[0]).toHaveProperty(field)
    }
    const failed = JSON.parse(
      cli('opportunities', '--db', reportDb, '--format', 'json', '--type', 'failed_sips', '--limit', '3').stdout,
    ) as { type: string; failure_rate: number }[]
    expect(failed).toHaveLength(3)
    expect(failed.every((o) => o.type === 'failed_sips' && typeof o.failure_rate === 'number')).toBe(true)
    const stats = JSON.parse(cli('stats', '--db', reportDb, '--format', 'json').stdout) as { total_opportunities: number }
    expect(stats.total_opportunities).toBe(all.length)
  })

  it('writes CSV a spreadsheet opens: BOM, header row, plain numbers', () => {
    const { code, stdout } = cli('opportunities', '--db', reportDb, '--format', 'csv')
    expect(code).toBe(0)
    expect(stdout.startsWith('\uFEFFtype,user_id,client_name,phone_number,agent_id,')).toBe(true)
    const firstRow = stdout.split('\r\n')[1]
    // current_sip_amount, potential_value, annual_value, total_invested, failed_amount as plain numbers, then the date
    expect(firstRow).toMatch(/,\d+(\.\d+)?,\d+(\.\d+)?,\d+(\.\d+)?,\d+(\.\d+)?,\d+(\.\d+)?,(\d{4}-\d{2}-\d{2})?,/)
  })

  it('filters by agent and shows one client', () => {
    const agents = JSON.parse(cli('agents', '--db', reportDb, '--format', 'json').stdout) as {
      agent_external_id: string
      opportunities: Record<string, number>
      annual_at_stake: number
    }[]
    const top = agents[0]
    expect(top.annual_at_stake).toBeGreaterThanOrEqual(agents[agents.length - 1].annual_at_stake)
    const mine = JSON.parse(cli('opportunities', '--db', reportDb, '--format', 'json', '--agent', top.agent_external_id).stdout) as {
      agent_external_id: string
      type: string
      user_id: string
    }[]
    expect(mine.every((o) => o.agent_external_id === top.agent_external_id)).toBe(true)
    for (const [type, count] of Object.entries(top.opportunities)) expect(mine.filter((o) => o.type === type)).toHaveLength(count)
    const client = cli('client', mine[0].user_id, '--db', reportDb)
    expect(client.code).toBe(0)
    expect(client.stdout).toMatch(/Opportunities:/)
    expect(client.stdout).toMatch(/₹/)
  })

  it.each([
    [
      ['opportunities', '--type', 'bogus'],
      /--type: expected one of no_sip_increase, failed_sips, high_value_inactive, auto_cancel_risk, sip_ending, all/,
    ],
    [['today', '--format', 'csv'], /--format: expected one of table, json, got "csv"/],
    [['settings', 'auto_cancel_after', '13'], /auto_cancel_after: must be a whole number from 2 to 12, got "13"/],
    [['settings', 'min_invested', ''], /min_invested: expected a whole number, got ""/],
    [['settings', 'min_invested', '12.5'], /min_invested: must be a whole number from 0 to 10,00,00,00,00,000, got "12.5"/],
    [['settings', 'bogus'], /unknown setting "bogus"/],
    [['log-call', '--client', 'nobody', '--outcome', 'reached'], /no client nobody/],
    [['log-call', '--client', 'x', '--outcome', 'call_back'], /a call back needs a next action date/],
    [['opportunities', '--as-of', '2026-02-30'], /as_of: not a real date/],
    [['opportunities', '--format', 'xml'], /--format: expected one of table, json, csv/],
    [['opportunities', '--limit', '0'], /--limit: expected a whole number/],
    [['client', 'nobody-here'], /no client nobody-here/],
    [['stats', '--wat'], /stats: Unknown option '--wat'/],
  ])('exits 1 with one clear line for %j', (args, message) => {
    const { code, stderr } = cli(...args, '--db', reportDb)
    expect(code).toBe(1)
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stderr).toMatch(message)
  })
})

describe('terminal escapes in the book', () => {
  it('today and client print a client name carrying a title change and an OSC 52 clipboard write as visible escapes', () => {
    const desk = importedBook('escapes.sqlite')
    const first = (JSON.parse(cli('today', '--db', desk, '--format', 'json', '--limit', '1').stdout) as { user_id: string }[])[0]
    const hostile = 'Evil\x1b]0;pwned\x07\x1b]52;c;cm0gLXJmIH4=\x07\x9b2J'
    const opened = openDb(desk)
    opened.sqlite
      .prepare("INSERT OR REPLACE INTO clients (user_id, name, row_hash, import_id) VALUES (?, ?, 'x', 1)")
      .run(first.user_id, hostile)
    opened.close()
    for (const args of [['today'], ['client', first.user_id]]) {
      const { code, stdout } = cli(...args, '--db', desk)
      expect(code).toBe(0)
      // eslint-disable-next-line no-control-regex -- no control character but the line ends
      expect(stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/)
      expect(stdout).toContain('Evil\\x1b]0;pwned\\x07\\x1b]52;c;cm0gLXJmIH4=\\x07\\x9b2J')
    }
  }, 120_000)
})

describe('partner-dashboard client', () => {
  it('refuses a user_id under two agents without --agent, listing them, and shows one agent each with it', () => {
    const sip = (id: string, agent: string, amount: number) => twoYearSip(id, 'meera', agent, amount)
    const two = tmp.file('two-agents.sqlite')
    const file = write('two-agents.json', JSON.stringify([sip('101', 'ag_A', 1000), sip('201', 'ag_B', 4000)]))
    const names = write(
      'two-agents-clients.json',
      JSON.stringify([{ user_id: 'meera', name: 'Meera Iyer', agent_external_id: 'ag_B', agent_name: 'Bala K' }]),
    )
    expect(cli('import', file, names, '--db', two).code).toBe(0)
    const refused = cli('client', 'meera', '--db', two)
    expect(refused.code).toBe(1)
    expect(refused.stdout).toBe('')
    expect(refused.stderr.trim()).toBe(
      'partner-dashboard: client meera has SIPs under 2 agents: ag_A, ag_B (Bala K); name one with --agent',
    )
    const a = cli('client', 'meera', '--agent', 'ag_A', '--db', two)
    expect(a.code).toBe(0)
    expect(a.stdout).toMatch(/^Agent: ag_A$/m)
    expect(a.stdout).toMatch(/^101 /m)
    expect(a.stdout).not.toMatch(/^201 /m)
    expect(a.stdout).toMatch(/^Also a client under agent ag_B \(Bala K\): client meera --agent ag_B$/m)
    const b = JSON.parse(cli('client', 'meera', '--agent', 'ag_B', '--db', two, '--format', 'json').stdout) as {
      sips: { sip_meta_id: string }[]
      opportunities: { agent_external_id: string }[]
    }
    expect(b.sips.map((s) => s.sip_meta_id)).toEqual(['201'])
    expect(b.opportunities.map((o) => o.agent_external_id)).toEqual(['ag_B'])
    // A call to her under an agent she has no SIP with is refused, and nothing is written (issue #22 point 2).
    const wrongAgent = cli('log-call', '--client', 'meera', '--agent', 'ag_Z', '--outcome', 'reached', '--db', two)
    expect([wrongAgent.code, wrongAgent.stderr.trim()]).toEqual([1, 'partner-dashboard: client meera has no live SIP under agent ag_Z'])
    expect(cli('log-call', '--client', 'meera', '--outcome', 'reached', '--db', two).stderr.trim()).toBe(
      'partner-dashboard: client meera has SIPs under 2 agents: ag_A, ag_B (Bala K); name one with --agent',
    )
    const calls = JSON.parse(cli('client', 'meera', '--agent', 'ag_A', '--db', two, '--format', 'json').stdout) as { calls: unknown[] }
    expect(calls.calls).toEqual([])
  })
})

describe('partner-dashboard today, log-call, follow-up and settings', () => {
  it('works the queue: a logged call takes the client out of it', () => {
    const desk = importedBook('desk.sqlite')
    const queue = JSON.parse(cli('today', '--db', desk, '--format', 'json').stdout) as Record<string, unknown>[]
    expect(queue.length).toBeGreaterThan(5)
    expect(Object.keys(queue[0])).toEqual([
      'user_id',
      'agent_external_id',
      'client_name',
      'phone',
      'group',
      'at_stake',
      'next_action_date',
      'overdue',
      'final_warning_date',
      'missed_instalments',
      'reasons',
      'last_call',
      'last_contact',
      'as_of',
    ])
    const first = queue[0] as { user_id: string; agent_external_id: string | null }
    const agent = first.agent_external_id ? ['--agent', first.agent_external_id] : []
    const logged = cli(
      'log-call',
      '--client',
      first.user_id,
      ...agent,
      '--outcome',
      'reached',
      '--note',
      'spoke',
      '--next',
      '2999-01-01',
      '--db',
      desk,
    )
    expect(logged.code).toBe(0)
    expect(logged.stdout).toMatch(/Logged reached/)
    const after = JSON.parse(cli('today', '--db', desk, '--format', 'json').stdout) as { user_id: string }[]
    expect(after.map((r) => r.user_id)).not.toContain(first.user_id)
    expect(after).toHaveLength(queue.length - 1)
    expect(cli('today', '--db', desk, '--limit', '2', '--format', 'json').stdout).toMatch(/"as_of"/)

    // SPEC §6 rev 3: the day's plan keeps the called client in place, done; voiding the call undoes that.
    const plan = () =>
      JSON.parse(cli('today', '--plan', '--db', desk, '--format', 'json').stdout) as {
        user_id: string
        done: boolean
        outcome: string | null
      }[]
    const second = after[0] as { user_id: string; agent_external_id: string | null }
    const secondAgent = second.agent_external_id ? ['--agent', second.agent_external_id] : []
    expect(plan()[0]).toMatchObject({ user_id: second.user_id, done: false, outcome: null })
    expect(cli('log-call', '--client', second.user_id, ...secondAgent, '--outcome', 'no_answer', '--db', desk).stdout).toMatch(
      /next action/,
    )
    expect(plan()[0]).toMatchObject({ user_id: second.user_id, done: true, outcome: 'no_answer' })
    // Scheduled has it on its next date (tomorrow); `--limit` takes the first of them.
    const scheduled = JSON.parse(cli('today', '--scheduled', '--db', desk, '--format', 'json').stdout) as { user_id: string }[]
    expect(scheduled.map((r) => r.user_id)).toContain(second.user_id)
    expect(JSON.parse(cli('today', '--scheduled', '--limit', '1', '--db', desk, '--format', 'json').stdout)).toEqual(scheduled.slice(0, 1))
    expect(cli('log-call', '--void-last', '--client', second.user_id, ...secondAgent, '--db', desk).stdout).toMatch(
      /Voided the no answer call/,
    )
    expect(plan()[0]).toMatchObject({ user_id: second.user_id, done: false })
    const refused = cli('follow-up', '--type', 'sip_ending', '--client', 'nobody', '--state', 'contacted', '--db', desk)
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/no client nobody/)])
  })

  it('reads and sets settings, refusing bad values without changing anything', () => {
    const desk = tmp.file('settings.sqlite')
    expect(cli('settings', 'ending_within_days', '30', '--db', desk).stdout.trim()).toBe('30')
    expect(cli('settings', 'ending_within_days', '0', '--db', desk).code).toBe(1)
    expect(cli('settings', 'ending_within_days', '--db', desk).stdout.trim()).toBe('30')
    expect(cli('settings', 'advisor_name', 'Meera Iyer', '--db', desk).stdout.trim()).toBe('Meera Iyer')
    expect(cli('settings', '--db', desk).stdout).toMatch(/^auto_cancel_after = 3$/m)
  })
})

describe('the command line', () => {
  it('documents every option of every command in its --help', () => {
    for (const command of COMMANDS) {
      const help = commandHelp(command)
      expect(help).toMatch(new RegExp(`^usage: partner-dashboard ${command.name} `))
      for (const option of [...Object.keys(command.options), 'db', 'help']) expect(help).toContain(`--${option}`)
    }
  })

  it("prints a command's help and exits 0, touching no database", () => {
    const target = tmp.file('help.sqlite')
    const { code, stdout, stderr } = cli('opportunities', '--help', '--db', target)
    expect(code).toBe(0)
    expect(stderr).toBe('')
    expect(stdout).toMatch(/^usage: partner-dashboard opportunities \[options\]/)
    expect(stdout).toMatch(/--limit N +at most N rows/)
    expect(fs.existsSync(target)).toBe(false)
  })

  it.each([
    [['opportunities', '--limit', '-3'], /^partner-dashboard: opportunities: --limit: expected a whole number of at least 1, got "-3"/],
    [['stats', '--agent'], /^partner-dashboard: stats: Option '--agent <value>' argument missing/],
    [['import', '--json=yes', 'x.json'], /^partner-dashboard: import: Option '--json' does not take an argument/],
    [['agents', 'extra'], /^partner-dashboard: agents: Unexpected argument 'extra'/],
    [['web', '--port', '70000'], /^partner-dashboard: web: --port: expected a whole number from 0 to 65535, got "70000"/],
  ])('answers the bad flags of %j with one line and exit 1', (args, message) => {
    const { code, stdout, stderr } = cli(...args)
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stderr).toMatch(message)
  })

  it('refuses to report on a database that does not exist, creating nothing', () => {
    const missing = path.join(tmp.dir, 'missing', 'dir')
    const { code, stderr } = cli('stats', '--db', path.join(missing, 'x.sqlite'))
    expect(code).toBe(1)
    expect(stderr).toMatch(/^partner-dashboard: .*missing\/dir\/x\.sqlite: no database there/)
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(fs.existsSync(path.join(tmp.dir, 'missing'))).toBe(false)
  })

  it('ends quietly when the reader closes the pipe early (`| head`)', async () => {
    const reportDb = importedBook('pipe.sqlite')
    const child = spawnCli(['opportunities', '--format', 'json', '--db', reportDb], { stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout!.destroy() // the reader is gone before the first line is written
    let stderr = ''
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const code = await new Promise((resolve) => child.once('close', resolve))
    expect(stderr).toBe('')
    expect(code).toBe(0)
  })
})

describe('partner-dashboard backup and restore', () => {
  it('round-trips the database and refuses a file that is not a backup', () => {
    const live = importedBook('backup-live.sqlite')
    const backup = tmp.file('copy.sqlite')
    const saved = cli('backup', backup, '--db', live)
    expect(saved.code).toBe(0)
    expect(saved.stdout).toMatch(/^backed up to .*copy\.sqlite \(\d/)
    const restored = cli('restore', backup, '--db', live)
    expect(restored.code).toBe(0)
    expect(restored.stdout).toMatch(/previous database is kept as .*before-restore/)
    const bogus = cli('restore', book, '--db', live)
    expect(bogus.code).toBe(1)
    expect(bogus.stderr.trim().split('\n')).toHaveLength(1)
    expect(bogus.stderr).toMatch(/book\.json: not a Partner Dashboard database/)
    expect(cli('backup', backup, '--db', live).stderr).toMatch(/already exists/)
  })
})

function write(name: string, content: string): string {
  const file = tmp.file(name)
  fs.writeFileSync(file, content)
  return file
}
