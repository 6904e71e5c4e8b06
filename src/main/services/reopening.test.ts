import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { freshDbEachTest, generatedExport } from '../testing/support'
import type { ChangeSet } from '../../shared/changes'
import type { FollowUpState, Opportunity, OpportunityType } from '../../shared/detection'
import { getChanges } from './changes'
import { getFollowUp, updateFollowUp } from './followUps'
import { importFiles } from './imports'
import { listOpportunities } from './opportunities'
import { addDays, localToday as today } from '../../shared/format'
import { undoLastImport } from './undo'
import { rawSip } from '../testing/rawSip'

const t = freshDbEachTest()

/** One SIP of client `u-<id>`, six instalments in, ₹6,000 failed before. */
const sip = (id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  rawSip(id, { start_date: '2025-06-05', success_amount: 6000, success_count: 6, failed_amount: 6000, ...overrides })
const FEB = { inserted_at: '2026-02-12T08:00:00' }

let files = 0
const importRecords = async (records: unknown[]): Promise<ChangeSet> => {
  const file = t.tmp.file(`export-${++files}.json`)
  fs.writeFileSync(file, JSON.stringify(records))
  await importFiles(t.db.path, [{ path: file, name: `export-${files}.json` }])
  return getChanges(t.db, { limit: 1000 })
}

const key = (id: string, type: OpportunityType) => ({ type, user_id: `u-${id}`, agent_external_id: 'ag_1' })
const LATER = addDays(today(), 20)

describe('reopening by import (SPEC §4, §8.2)', () => {
  it('reopens a contacted opportunity that still qualifies on each trigger, at its boundary, and undo puts it back', async () => {
    const failing = { currentSipStatus: 'Failed', failed_amount: 1000 }
    await importRecords([
      sip('sf'),
      sip('mf'),
      sip('st'),
      sip('pa'),
      sip('ok'),
      sip('mg', { ...failing, latest_success_order_date: '2025-12-05' }), // 1 missed
      sip('ce', { ...failing, latest_success_order_date: '2025-11-05' }), // 2 missed: final warning already
      sip('cv', { ...failing, latest_success_order_date: '2025-12-05' }),
      sip('cm'),
      sip('dm'),
      sip('nq', { failed_amount: 0, start_date: '2024-01-05', success_count: 24, success_amount: 24000 }),
    ])
    const set = (id: string, type: OpportunityType, state: FollowUpState) =>
      updateFollowUp(t.db, { ...key(id, type), state, next_action_date: state === 'contacted' ? LATER : null })
    for (const id of ['sf', 'mf', 'st', 'pa', 'ok']) set(id, 'failed_sips', 'contacted')
    set('mg', 'auto_cancel_risk', 'contacted')
    set('ce', 'auto_cancel_risk', 'contacted')
    set('cv', 'auto_cancel_risk', 'converted')
    set('cm', 'failed_sips', 'converted')
    set('dm', 'failed_sips', 'dismissed')
    set('nq', 'no_sip_increase', 'contacted')

    const changes = await importRecords([
      sip('sf', { ...FEB, currentSipStatus: 'Failed' }),
      sip('mf', { ...FEB, failed_amount: 7000, latest_success_order_date: '2026-02-05' }),
      sip('st', { ...FEB, is_active: false }),
      sip('pa', { ...FEB, currentSipStatus: 'Paused' }),
      sip('ok', { ...FEB, latest_success_order_date: '2026-02-05' }),
      sip('mg', { ...FEB, ...failing, latest_success_order_date: '2025-12-05' }), // 2 missed: final warning
      sip('ce', { ...FEB, ...failing, latest_success_order_date: '2025-11-05' }), // 3 missed: ceased
      sip('cv', { ...FEB, ...failing, latest_success_order_date: '2025-12-05' }),
      sip('cm', { ...FEB, failed_amount: 7000, latest_success_order_date: '2026-02-05' }),
      sip('dm', { ...FEB, currentSipStatus: 'Failed' }),
      sip('nq', {
        ...FEB,
        failed_amount: 0,
        start_date: '2024-01-05',
        success_count: 24,
        success_amount: 24000,
        currentSipStatus: 'Failed',
      }),
    ])
    const reopened = Object.fromEntries(
      changes.reopened.map((r) => [`${r.user_id} ${r.type}`, r.events.map((e) => `${e.event}${e.sip_meta_id ? ` ${e.sip_meta_id}` : ''}`)]),
    )
    expect(reopened).toEqual({
      'u-sf failed_sips': ['started_failing sf'],
      'u-mf failed_sips': ['more_failed mf'],
      'u-st failed_sips': ['stopped st'],
      'u-pa failed_sips': ['paused pa'],
      'u-mg auto_cancel_risk': ['final_warning', 'missed_grew'],
      'u-ce auto_cancel_risk': ['ceased', 'missed_grew'],
      'u-cv auto_cancel_risk': ['final_warning'], // converted: only a final warning or ceased reopens it
    })
    expect(changes.reopened.find((r) => r.user_id === 'u-ce')!.events[0]).toEqual({
      event: 'ceased',
      sip_meta_id: null,
      before: { missed_instalments: 2 },
      after: { missed_instalments: 3 },
    })
    expect(changes.totals.reopened).toBe(7)
    // Reopened: open and due today (group 2), with an activity entry naming the import and what happened.
    const sf = getFollowUp(t.db, key('sf', 'failed_sips'))
    expect(sf).toMatchObject({ state: 'open', next_action_date: today() })
    expect(sf.events[0].detail).toBe('reopened by import #2 (export-2.json): SIP sf started failing')
    // Not reopened: no trigger, converted on a SIP event, dismissed, and one that no longer qualifies.
    expect(getFollowUp(t.db, key('ok', 'failed_sips'))).toMatchObject({ state: 'contacted', next_action_date: LATER })
    expect(getFollowUp(t.db, key('cm', 'failed_sips')).state).toBe('converted')
    expect(getFollowUp(t.db, key('dm', 'failed_sips')).state).toBe('dismissed')
    expect(getFollowUp(t.db, key('nq', 'no_sip_increase')).state).toBe('contacted')

    // A change made after the import stays; the others go back to what they were.
    updateFollowUp(t.db, { ...key('mf', 'failed_sips'), state: 'dismissed' })
    const undo = undoLastImport(t.db)
    expect(undo.reopenings_reversed).toBe(7)
    expect(getFollowUp(t.db, key('sf', 'failed_sips'))).toMatchObject({ state: 'contacted', next_action_date: LATER })
    expect(getFollowUp(t.db, key('cv', 'auto_cancel_risk'))).toMatchObject({ state: 'converted', next_action_date: null })
    expect(getFollowUp(t.db, key('mf', 'failed_sips'))).toMatchObject({ state: 'dismissed', next_action_date: LATER })
  })
})

const REOPENING_EVENTS = new Set(['started_failing', 'more_failed', 'stopped', 'paused'])

describe('reopening on a generated book, record by record', () => {
  it('reopens exactly the follow-ups §4 and §8.2 name, with their triggers', async () => {
    const m1 = await generatedExport(t.tmp.dir, 'm1.json', { sips: 1500, seed: 33 })
    const m2 = await generatedExport(t.tmp.dir, 'm2.json', { sips: 1500, seed: 33, month: 2 })
    await importFiles(t.db.path, [{ path: m1, name: 'm1.json' }])
    const all = (): Opportunity[] => {
      const rows: Opportunity[] = []
      for (;;) {
        const page = listOpportunities(t.db, {
          limit: 1000,
          offset: rows.length,
          states: ['open', 'contacted', 'converted', 'dismissed'],
          show_snoozed: true,
        })
        rows.push(...page.rows)
        if (page.rows.length === 0 || rows.length >= page.total) return rows
      }
    }
    const id = (o: { type: string; user_id: string; agent_external_id: string | null }) =>
      `${o.type}|${o.user_id}|${o.agent_external_id ?? ''}`
    const before = new Map(all().map((o) => [id(o), o]))
    const states: FollowUpState[] = ['contacted', 'contacted', 'contacted', 'converted', 'dismissed']
    const followed = new Map<string, FollowUpState>()
    ;[...before.values()].forEach((o, i) => {
      if (i % 3 !== 0) return
      const state = states[(i / 3) % states.length]
      updateFollowUp(t.db, {
        type: o.type,
        user_id: o.user_id,
        agent_external_id: o.agent_external_id,
        state,
        next_action_date: state === 'contacted' ? LATER : null,
      })
      followed.set(id(o), state)
    })
    await importFiles(t.db.path, [{ path: m2, name: 'm2.json' }])
    const changes = getChanges(t.db, { limit: 1000 })
    const events = [...changes.sip_events]
    for (let offset = 1000; offset < changes.sip_event_total; offset += 1000)
      events.push(...getChanges(t.db, { limit: 1000, offset }).sip_events)
    const after = new Map(all().map((o) => [id(o), o]))
    const credited = new Set(changes.opportunities.filter((o) => o.credited).map(id))

    const expected = new Map<string, string[]>()
    for (const [key, state] of followed) {
      const now = after.get(key)
      if (!now || (state !== 'contacted' && state !== 'converted') || credited.has(key)) continue
      const was = before.get(key)!
      const triggers: string[] = []
      if (state === 'contacted') {
        const own = new Set([...was.sip_meta_ids, ...now.sip_meta_ids])
        for (const e of events) if (own.has(e.sip_meta_id) && REOPENING_EVENTS.has(e.event)) triggers.push(`${e.event} ${e.sip_meta_id}`)
        if (now.type === 'auto_cancel_risk' && (now.missed_instalments ?? 0) > (was.missed_instalments ?? 0)) triggers.push('missed_grew')
      }
      if (now.type === 'auto_cancel_risk' && now.final_warning && !was.final_warning) triggers.push('final_warning')
      if (now.type === 'auto_cancel_risk' && now.ceased && !was.ceased) triggers.push('ceased')
      if (triggers.length > 0) expected.set(key, triggers.sort())
    }
    const actual = new Map(
      changes.reopened.map((r) => [id(r), r.events.map((e) => (e.sip_meta_id ? `${e.event} ${e.sip_meta_id}` : e.event)).sort()]),
    )
    expect(expected.size).toBeGreaterThan(10)
    expect(actual).toEqual(expected)
    for (const key of expected.keys()) {
      const [type, user_id, agent] = key.split('|')
      expect(getFollowUp(t.db, { type: type as OpportunityType, user_id, agent_external_id: agent || null })).toMatchObject({
        state: 'open',
        next_action_date: today(),
      })
    }
  })
})
