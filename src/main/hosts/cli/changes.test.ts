import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dumpContent, generatedExport, scratch } from '../../testing/support'
import { runCli, spawnCli } from './cliProcess'
import { openDb } from '../../db/open'
import { undoLastImport } from '../../services/undo'

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

/** The book and everything the advisor did with it, and whether the file is sound, read as one snapshot. */
function snapshot(file: string): unknown {
  const db = openDb(file)
  try {
    return db.sqlite.transaction(() => ({
      content: dumpContent(db),
      sets: db.sqlite.prepare('SELECT id, undone_at IS NOT NULL AS undone FROM import_sets ORDER BY id').all(),
      integrity: db.sqlite.pragma('integrity_check', { simple: true }),
    }))()
  } finally {
    db.close()
  }
}

describe('partner-dashboard changes and undo-import', () => {
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
    expect(Object.keys(json)).toEqual(['import_id', 'undone', 'previous_as_of', 'as_of', 'totals', 'sip_events', 'opportunities'])
    expect(json).toMatchObject({ import_id: 1, undone: false, previous_as_of: null, as_of: '2026-01-12' })
    expect(json.sip_events.every((e) => e.event === 'new_sip')).toBe(true)
    expect(Object.keys(json.sip_events[0])).toEqual(['sip_meta_id', 'user_id', 'agent_external_id', 'event', 'before', 'after'])
    expect(Object.keys(json.opportunities[0])).toEqual(['type', 'user_id', 'agent_external_id', 'change', 'annual_value', 'credited'])
    expect(json.totals).toMatchObject({ new: json.opportunities.length, resolved: 0 })

    const before = snapshot(db)
    const unconfirmed = cli('undo-import', '--db', db)
    expect(unconfirmed).toMatchObject({ code: 1, stdout: '' })
    expect(unconfirmed.stderr).toMatch(/^partner-dashboard: undo-import: not confirmed; add --yes to undo without being asked \(see partner-dashboard undo-import --help\)\n$/)
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

  it('leaves one state or the other when an undo is killed part-way', async () => {
    const target = tmp.file('crash.sqlite')
    const book = await generatedExport(tmp.dir, 'big1.json', { sips: 20_000, seed: 32 })
    const later = await generatedExport(tmp.dir, 'big2.json', { sips: 20_000, seed: 32, month: 2 })
    expect(cli('import', book, '--db', target).code).toBe(0)
    expect(cli('import', later, '--db', target).code).toBe(0) // the undo puts back every SIP this one replaced
    const before = snapshot(target) // closing the last connection folds the WAL back into the file
    const copy = tmp.file('undone.sqlite')
    fs.copyFileSync(target, copy)
    const undone = openDb(copy)
    undoLastImport(undone)
    undone.close()
    const after = snapshot(copy)

    const child = spawnCli(['undo-import', '--yes', '--db', target], { stdio: 'ignore' })
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
    // Kill once the undo's transaction is writing: the WAL grows past its first pages.
    const started = Date.now()
    while (Date.now() - started < 30_000 && !(fs.existsSync(`${target}-wal`) && fs.statSync(`${target}-wal`).size > 1_000_000)) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(Date.now() - started).toBeLessThan(30_000) // it was writing when killed
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    const state = snapshot(target)
    expect([before, after]).toContainEqual(state)
    expect((state as { integrity: string }).integrity).toBe('ok')
  }, 180_000)
})
