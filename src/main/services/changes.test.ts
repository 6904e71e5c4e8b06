import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { importFile } from '../import/importer'
import { dumpContent, freshDbEachTest, generatedExport } from '../testing/support'
import { parseRequest } from '../../shared/contract'
import { AppError } from '../../shared/errors'
import { undoSummary, type ChangeSet } from '../../shared/changes'
import { FOLLOW_UP_STATES } from '../../shared/detection'
import { backupDatabase, restoreInto } from './backup'
import { logCall } from './calls'
import { getChanges } from './changes'
import { clearData } from './data'
import { applyFollowUpChange, getFollowUp, updateFollowUp } from './followUps'
import { importFiles, listImports } from './imports'
import { createServices } from './index'
import { listOpportunities } from './opportunities'
import { updateSettings } from './settings'
import { UNDO_KEPT_FOR, undoLastImport } from './undo'
import { rawSip as sip } from '../testing/rawSip'

const t = freshDbEachTest()

const FEB = '2026-02-12T08:00:00'

let files = 0
const write = (records: unknown[]): string => {
  const file = t.tmp.file(`export-${++files}.json`)
  fs.writeFileSync(file, JSON.stringify(records))
  return file
}
const importRecords = async (...exports: unknown[][]): Promise<ChangeSet> => {
  await importFiles(
    t.db.path,
    exports.map((records) => ({ path: write(records), name: `export-${files}.json` })),
  )
  return getChanges(t.db, { limit: 1000 })
}
const eventsOf = (c: ChangeSet): [string, string, unknown, unknown][] =>
  c.sip_events.map((e) => [e.sip_meta_id, e.event, e.before, e.after] as [string, string, unknown, unknown]).sort()
const opportunitiesOf = (c: ChangeSet): string[] =>
  c.opportunities.map((o) => `${o.change} ${o.type} ${o.user_id}${o.credited ? ' credited' : ''}${o.reopened ? ' reopened' : ''}`).sort()
const book = (): unknown => {
  const { sips, sip_history, clients } = dumpContent(t.db)
  const opportunities = t.db.sqlite.prepare('SELECT * FROM opportunities ORDER BY type, user_id').all()
  return { sips, sip_history, clients, opportunities }
}

describe('SIP events (SPEC §7.1)', () => {
  it('records each event at its boundary, only for SIPs the import wrote', async () => {
    const first = await importRecords([
      sip('same'),
      sip('up'),
      sip('down', { amount: 2000 }),
      sip('stop'),
      sip('gone'),
      sip('nullact'),
      sip('fail'),
      sip('heal', { currentSipStatus: 'Failed', failed_amount: 6000 }),
      sip('pause'),
      sip('resume', { currentSipStatus: 'Paused' }),
      sip('left'),
      sip('older'),
      sip('equal'),
      sip('twice'),
    ])
    expect(first).toMatchObject({ previous_as_of: null, as_of: '2026-01-12' })
    expect(first.event_counts.new_sip).toBe(14)

    const second = await importRecords([
      sip('same', { inserted_at: FEB }), // written (a newer snapshot) but equal amounts: no event
      sip('up', { inserted_at: FEB, amount: 1500 }),
      sip('down', { inserted_at: FEB, amount: 1500 }),
      sip('stop', { inserted_at: FEB, is_active: false }),
      sip('gone', { inserted_at: FEB, deleted: true }),
      sip('nullact', { inserted_at: FEB, is_active: null }),
      sip('fail', { inserted_at: FEB, currentSipStatus: 'Failed', failed_amount: 1000 }),
      sip('heal', { inserted_at: FEB, currentSipStatus: 'Success' }),
      sip('pause', { inserted_at: FEB, currentSipStatus: 'Paused' }),
      sip('resume', { inserted_at: FEB, currentSipStatus: 'In Progress' }),
      // 'left' is left out of this export
      sip('older', { inserted_at: '2026-01-01T08:00:00', amount: 9000 }), // an older snapshot is not written
      sip('equal', { amount: 1100 }), // the same snapshot time with other values replaces the row
      sip('twice', { inserted_at: FEB, amount: 5000 }),
      sip('twice', { inserted_at: FEB, amount: 1200 }), // the later of two equal snapshots wins
      sip('fresh', { inserted_at: FEB, currentSipStatus: 'Failed', failed_amount: 2000 }),
    ])
    expect(second).toMatchObject({ previous_as_of: '2026-01-12', as_of: '2026-02-12' })
    const wasActive = { is_active: true, deleted: false }
    expect(eventsOf(second)).toEqual(
      [
        ['up', 'stepped_up', { amount: 1000 }, { amount: 1500 }],
        ['down', 'reduced', { amount: 2000 }, { amount: 1500 }],
        ['stop', 'stopped', wasActive, { is_active: false, deleted: false }],
        ['gone', 'stopped', wasActive, { is_active: true, deleted: true }],
        ['nullact', 'stopped', wasActive, { is_active: null, deleted: false }],
        ['fail', 'started_failing', { status: 'Success' }, { status: 'Failed' }],
        ['fail', 'more_failed', { failed_amount: 0 }, { failed_amount: 1000 }],
        ['heal', 'recovered', { status: 'Failed' }, { status: 'Success' }],
        ['pause', 'paused', { status: 'Success' }, { status: 'Paused' }],
        ['resume', 'resumed', { status: 'Paused' }, { status: 'In Progress' }],
        ['equal', 'stepped_up', { amount: 1000 }, { amount: 1100 }],
        ['twice', 'stepped_up', { amount: 1000 }, { amount: 1200 }],
        ['fresh', 'new_sip', null, { amount: 1000, status: 'Failed' }],
      ].sort(),
    )
    expect(second.event_counts).toMatchObject({ stepped_up: 3, stopped: 3, new_sip: 1, more_failed: 1 })
    // Filters for the screen: by event and by agent.
    expect(
      getChanges(t.db, { event: 'stopped' })
        .sip_events.map((e) => e.sip_meta_id)
        .sort(),
    ).toEqual(['gone', 'nullact', 'stop'])
    expect(getChanges(t.db, { agent: 'ag_2' })).toMatchObject({ sip_event_total: 0, opportunity_total: 0 })
    expect(getChanges(t.db, { import_id: first.import_id }).sip_event_total).toBe(14)
  })

  it('treats the files opened together as one import: one set of changes, and a refused file leaves nothing', async () => {
    await importRecords([sip('a'), sip('b')])
    const before = book()
    const good = write([sip('a', { inserted_at: FEB, amount: 2000 })])
    const broken = t.tmp.file('broken.json')
    fs.writeFileSync(broken, '[{"sip_meta_id": "b", "user_id": "u-b", "amount": 5')
    await expect(
      importFiles(t.db.path, [
        { path: good, name: 'good.json' },
        { path: broken, name: 'broken.json' },
      ]),
    ).rejects.toThrow(/^broken\.json: .*nothing was imported$/)
    expect(book()).toEqual(before)
    expect(listImports(t.db)).toHaveLength(1)

    const both = await importRecords([sip('a', { inserted_at: FEB, amount: 2000 })], [sip('b', { inserted_at: FEB, amount: 500 })])
    expect(eventsOf(both).map(([id, event]) => `${id} ${event}`)).toEqual(['a stepped_up', 'b reduced'])
    expect(both.files).toHaveLength(2)
    expect(listImports(t.db).map((s) => s.files.length)).toEqual([2, 1])
  })
})

/** Client `p`: ₹5,000 a month for two years, never stepped up (SPEC §3.2). */
const stalled = (id: string, overrides: Record<string, unknown> = {}) =>
  sip(id, { amount: 5000, start_date: '2024-01-05', success_amount: 120_000, success_count: 24, ...overrides })
/** A SIP failing with ₹6,000 failed (SPEC §3.3), one instalment missed (§3.4a), as of January. */
const failing = (id: string, overrides: Record<string, unknown> = {}) =>
  sip(id, { currentSipStatus: 'Failed', failed_amount: 6000, latest_success_order_date: '2025-12-05', ...overrides })
/** The same SIP in February, paying again. */
const recovered = (id: string, overrides: Record<string, unknown> = {}) =>
  failing(id, { inserted_at: FEB, currentSipStatus: 'Success', failed_amount: 0, latest_success_order_date: '2026-02-05', ...overrides })

describe('opportunities new and resolved, and credits', () => {
  it('compares against the book before with the thresholds in force at the import', async () => {
    await importRecords([failing('x'), failing('y', { failed_amount: 8000 })])
    updateSettings(t.db, { thresholds: { min_failed_amount: 10_000 } })
    const c = await importRecords([
      failing('x', { inserted_at: FEB }), // no longer qualifies, but only because of the threshold: not resolved by this import
      failing('y', { inserted_at: FEB, failed_amount: 12_000 }),
    ])
    expect(opportunitiesOf(c).filter((o) => o.includes('failed_sips'))).toEqual(['new failed_sips u-y'])
  })

  it('credits a contacted follow-up only when the import explains it on its own SIPs', async () => {
    await importRecords([
      stalled('p'),
      stalled('q'),
      stalled('r'),
      failing('s1', { user_id: 'u-s' }),
      failing('s2', { user_id: 'u-s' }),
      failing('v'),
    ])
    for (const user of ['u-p', 'u-r', 'u-s', 'u-v']) logCall(t.db, parseRequest('calls:log', { user_id: user, outcome: 'reached' }))
    logCall(t.db, parseRequest('calls:log', { user_id: 'u-q', outcome: 'no_answer' }))
    const c = await importRecords([
      stalled('p', { inserted_at: FEB, amount: 6000, success_amount: 126_000, success_count: 25 }), // stepped up
      stalled('q', { inserted_at: FEB, amount: 6000, success_amount: 126_000, success_count: 25 }), // stepped up, but never contacted
      stalled('r', { inserted_at: FEB, is_active: false }), // stopped: resolved, not credited
      recovered('s1', { user_id: 'u-s' }),
      failing('s2', { user_id: 'u-s', inserted_at: FEB, deleted: true }), // one recovered, the other stopped
      recovered('v'),
    ])
    expect(opportunitiesOf(c)).toEqual([
      'resolved auto_cancel_risk u-s',
      'resolved auto_cancel_risk u-v credited',
      'resolved failed_sips u-s',
      'resolved failed_sips u-v credited',
      'resolved no_sip_increase u-p credited',
      'resolved no_sip_increase u-q',
      'resolved no_sip_increase u-r',
    ])
    // ₹ a year won at the values before, each SIP once: p's 10 % of ₹5,000 a month, and v's failing ₹1,000 a month.
    expect(c.totals).toEqual({ new: 0, resolved: 7, credited: 3, reopened: 0, won_annual: 12 * 500 + 12 * 1000 })
    const credited = getFollowUp(t.db, { type: 'no_sip_increase', user_id: 'u-p', agent_external_id: 'ag_1' })
    expect(credited.state).toBe('converted')
    expect(credited.events[0]).toMatchObject({
      kind: 'state',
      from_value: 'contacted',
      to_value: 'converted',
      import_id: c.import_id,
      detail: `credited by import #${c.import_id} (export-${files}.json): SIP p stepped up`,
    })
    expect(getFollowUp(t.db, { type: 'no_sip_increase', user_id: 'u-q', agent_external_id: 'ag_1' }).state).toBe('open')
    expect(getFollowUp(t.db, { type: 'failed_sips', user_id: 'u-s', agent_external_id: 'ag_1' }).state).toBe('contacted')
    // What changed leads with what the calls did: the credited ones alone, counted as such.
    const creditedOnly = getChanges(t.db, { import_id: c.import_id, opportunity: 'credited' })
    expect(opportunitiesOf(creditedOnly)).toEqual([
      'resolved auto_cancel_risk u-v credited',
      'resolved failed_sips u-v credited',
      'resolved no_sip_increase u-p credited',
    ])
    expect(creditedOnly.opportunity_total).toBe(3)
    expect(getChanges(t.db, { import_id: c.import_id, opportunity: 'resolved' }).opportunity_total).toBe(7)
    expect(getChanges(t.db, { import_id: c.import_id, opportunity: 'new' }).opportunity_total).toBe(0)
  })

  it('reopens a converted opportunity that qualifies again, and its undo says it put a reopened follow-up back', async () => {
    await importRecords([failing('w')])
    updateFollowUp(t.db, { type: 'failed_sips', user_id: 'u-w', agent_external_id: 'ag_1', state: 'converted' })
    await importRecords([recovered('w')])
    const c = await importRecords([failing('w', { inserted_at: '2026-03-12T08:00:00', failed_amount: 7000 })])
    expect(opportunitiesOf(c)).toContain('new failed_sips u-w reopened')
    expect(getFollowUp(t.db, { type: 'failed_sips', user_id: 'u-w', agent_external_id: 'ag_1' }).state).toBe('open')
    const undone = undoLastImport(t.db)
    expect(undone).toMatchObject({ sips_restored: 1, sips_removed: 0, credits_reversed: 0, reopenings_reversed: 1 })
    expect(undoSummary(undone)).toBe('1 SIP back as it was; 1 reopened follow-up back to its state before the import')
    expect(getFollowUp(t.db, { type: 'failed_sips', user_id: 'u-w', agent_external_id: 'ag_1' }).state).toBe('converted')
  })
})

describe('undo (SPEC §7.2)', () => {
  it('puts the book back as before the import, keeps calls and notes, and reverses its credits', async () => {
    await importRecords([stalled('p'), stalled('k'), failing('v')])
    const afterFirst = book()
    logCall(t.db, parseRequest('calls:log', { user_id: 'u-p', outcome: 'reached', note: 'will step up' }))
    logCall(t.db, parseRequest('calls:log', { user_id: 'u-v', outcome: 'reached' }))
    const month2 = [
      stalled('p', { inserted_at: FEB, amount: 6000, success_amount: 126_000, success_count: 25 }),
      recovered('v'),
      sip('n', { inserted_at: FEB }),
    ]
    const c = await importRecords(month2)
    const month2File = `export-${files}.json`
    expect(c.totals.credited).toBe(3)
    const afterSecond = book()
    // One credited follow-up changes after the import (its opportunity is resolved, so only the store can): the undo leaves it alone.
    applyFollowUpChange(t.db, { type: 'failed_sips', user_id: 'u-v', agent_external_id: 'ag_1', state: 'dismissed' })

    const undone = undoLastImport(t.db)
    // SPEC §7.2: the new SIP is removed, not counted as 'back as it was'.
    expect(undone).toMatchObject({
      import_id: c.import_id,
      sips_restored: 2,
      sips_removed: 1,
      credits_reversed: 2,
      reopenings_reversed: 0,
      as_of: '2026-01-12',
    })
    expect(undoSummary(undone)).toBe('1 new SIP removed; 2 SIPs back as they were; 2 credited follow-ups back to contacted')
    expect(book()).toEqual(afterFirst)
    const p = getFollowUp(t.db, { type: 'no_sip_increase', user_id: 'u-p', agent_external_id: 'ag_1' })
    expect(p.state).toBe('contacted')
    expect(p.events[0]).toMatchObject({
      to_value: 'contacted',
      import_id: c.import_id,
      detail: `import #${c.import_id} (${month2File}) was undone`,
    })
    expect(getFollowUp(t.db, { type: 'failed_sips', user_id: 'u-v', agent_external_id: 'ag_1' }).state).toBe('dismissed')
    expect(t.db.sqlite.prepare('SELECT count(*) AS n FROM calls').get()).toEqual({ n: 2 })
    expect(getChanges(t.db, { import_id: c.import_id }).undone).toBe(true)
    expect(listImports(t.db).map((s) => [s.undone, s.undoable])).toEqual([
      [true, false],
      [false, true],
    ])

    // The same file again is imported anew and gives the same book.
    const again = await importRecords(month2)
    expect(again.import_id).not.toBe(c.import_id)
    expect(book()).toEqual(afterSecond)
  })

  it("gives back the opportunities as they were, each one's SIP ids sorted (SPEC §3.5)", async () => {
    const opportunities = () => listOpportunities(t.db, { limit: 5000, states: [...FOLLOW_UP_STATES], show_snoozed: true }).rows
    await importFiles(t.db.path, [{ path: await generatedExport(t.tmp.dir, 'm1.json', { sips: 1500, seed: 22 }), name: 'm1.json' }])
    const before = opportunities()
    await importFiles(t.db.path, [
      { path: await generatedExport(t.tmp.dir, 'm2.json', { sips: 1500, seed: 22, month: 2 }), name: 'm2.json' },
    ])
    undoLastImport(t.db)
    const after = opportunities()
    const numeric = (ids: string[]): string[] => [...ids].sort((a, b) => Number(a) - Number(b))
    expect(after.filter((o) => o.sip_meta_ids.length > 1).length).toBeGreaterThan(10)
    for (const o of after) expect(o.sip_meta_ids).toEqual(numeric(o.sip_meta_ids))
    expect(after).toEqual(before)
  })

  it('says how many new SIPs an undo removed when the import brought only new ones', async () => {
    await importRecords([sip('a')])
    await importRecords(Array.from({ length: 200 }, (_, i) => sip(`new${i}`, { inserted_at: FEB })))
    const undone = undoLastImport(t.db)
    expect(undone).toMatchObject({ sips_restored: 0, sips_removed: 200 })
    expect(undoSummary(undone)).toBe('200 new SIPs removed')
  })

  it('lists an import that changes nothing as such: no change set, not the last export, no undo slot (SPEC §8.6)', async () => {
    const records = [stalled('p'), failing('v')]
    const first = await importRecords(records)
    const second = await importRecords([sip('x')])
    const idle = await importFiles(t.db.path, [{ path: write(records), name: 'same-again.json' }])
    expect(idle.map((r) => [r.inserted, r.updated])).toEqual([[0, 0]])
    const sets = listImports(t.db)
    expect(sets.map((s) => [s.import_id, s.changed, s.undoable])).toEqual([
      [idle[0].set_id, false, false],
      [second.import_id, true, true],
      [first.import_id, true, false],
    ])
    // The last export and the default change set stay the import before it.
    expect(getChanges(t.db, {}).import_id).toBe(second.import_id)
    expect(getChanges(t.db, { last_export: true }).import_id).toBe(second.import_id)
    expect(getChanges(t.db, { import_id: idle[0].set_id })).toMatchObject({ changed: false, sip_event_total: 0, opportunity_total: 0 })
    // Undo passes over it: it takes back the import that changed something.
    expect(undoLastImport(t.db).import_id).toBe(second.import_id)
    expect(undoLastImport(t.db).import_id).toBe(first.import_id)
    expect(() => getChanges(t.db, {})).toThrow('no changes to show: every import not undone changed nothing')
  })

  it('counts imports as the Imports screen lists them: the files opened together once, undone ones too (SPEC §5)', async () => {
    await importRecords([sip('a')], [sip('b')], [sip('c')])
    await importRecords([sip('a', { inserted_at: FEB, amount: 2000 })])
    undoLastImport(t.db)
    const { handlers } = createServices({ db: t.db, host: 'web', version: '0.0.0', resourcesDir: t.tmp.dir })
    expect(listImports(t.db)).toHaveLength(2)
    expect((await handlers['app:info']({})).import_count).toBe(2)
  })

  it('walks back one import per undo, then says there is nothing to undo', async () => {
    await importRecords([sip('a')])
    await importRecords([sip('a', { inserted_at: FEB, amount: 2000 })])
    undoLastImport(t.db)
    expect(t.db.sqlite.prepare('SELECT amount FROM sips').all()).toEqual([{ amount: 1000 }])
    undoLastImport(t.db)
    expect(book()).toEqual({ sips: [], sip_history: [], clients: [], opportunities: [] })
    // SPEC §5 (rev 3): `changes` with every import undone says so, not 'no import yet'.
    expect(() => getChanges(t.db, {})).toThrow('no changes to show: every import has been undone')
    const refused = (() => {
      try {
        undoLastImport(t.db)
      } catch (error) {
        return error
      }
    })() as AppError
    expect(refused).toBeInstanceOf(AppError)
    expect(refused.code).toBe('not_found')
    expect(refused.message).toMatch(/^nothing to undo/)
  })

  it(`keeps undo data for the last ${UNDO_KEPT_FOR} imports only, and refuses an import without it`, async () => {
    for (let month = 1; month <= UNDO_KEPT_FOR + 1; month++)
      await importRecords([sip('a', { inserted_at: `2026-0${month}-12T08:00:00`, amount: 1000 * month })])
    for (let i = 0; i < UNDO_KEPT_FOR; i++) undoLastImport(t.db)
    expect(() => undoLastImport(t.db)).toThrow(/import #\d+ cannot be undone: its undo data is not kept/)
    expect(t.db.sqlite.prepare('SELECT amount FROM sips').all()).toEqual([{ amount: 1000 }])

    // An import made without undo data (as older versions did) is refused the same way.
    fs.writeFileSync(t.tmp.file('old.json'), JSON.stringify([sip('b')]))
    await importFile(t.db.sqlite, t.tmp.file('old.json'))
    expect(() => undoLastImport(t.db)).toThrow(/cannot be undone/)
  })

  it('refuses to undo an import from before a restore, and forgets every import when the data is cleared', async () => {
    await importRecords([sip('a')])
    const backup = backupDatabase(t.db, t.tmp.file('backup.sqlite')).path
    await restoreInto(t.db, backup)
    expect(listImports(t.db).map((s) => s.undoable)).toEqual([false])
    expect(() => undoLastImport(t.db)).toThrow(/import #1 cannot be undone: its undo data is not kept .*before a restore/)
    clearData(t.db)
    expect(listImports(t.db)).toEqual([])
    expect(() => undoLastImport(t.db)).toThrow(/^nothing to undo/)
  })
})
