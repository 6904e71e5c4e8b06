import { beforeEach, describe, expect, it } from 'vitest'
import { importFile } from '../import/importer'
import { freshDbEachTest, generatedExport } from '../testing/support'
import type { OpportunityQuery } from '../../shared/contract'
import { FOLLOW_UP_STATES } from '../../shared/detection'
import { updateFollowUp } from './followUps'
import { listOpportunities } from './opportunities'
import { today } from './settings'
import { refreshIfStale } from './derived'

const ctx = freshDbEachTest()

const shift = (days: number): string => {
  const d = new Date(`${today()}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

beforeEach(async () => {
  await importFile(ctx.db.sqlite, await generatedExport(ctx.tmp.dir, 'book.json', { sips: 600, seed: 12 }))
  refreshIfStale(ctx.db)
  // Follow-ups of every kind on the first opportunities: each state, snoozed, overdue.
  const everything = listOpportunities(ctx.db, { limit: 5000, states: [...FOLLOW_UP_STATES], show_snoozed: true }).rows
  const plans = [
    { state: 'contacted', next_action_date: shift(10) },
    { state: 'contacted', next_action_date: shift(-3) },
    { state: 'converted' },
    { state: 'dismissed' },
    { state: 'open', next_action_date: shift(5) },
    { state: 'contacted', next_action_date: null },
  ] as const
  everything
    .slice(0, 30)
    .forEach((o, i) =>
      updateFollowUp(ctx.db, { type: o.type, user_id: o.user_id, agent_external_id: o.agent_external_id, ...plans[i % plans.length] }),
    )
})

describe('the opportunity list total', () => {
  const queries: [string, OpportunityQuery][] = [
    ['the default view', {}],
    ['one type', { type: 'failed_sips' }],
    ['contacted only', { states: ['contacted'] }],
    ['closed only', { states: ['converted', 'dismissed'] }],
    ['snoozed shown', { show_snoozed: true }],
    ['overdue', { overdue: true }],
    ['a score range and a minimum ₹ a year', { min_score: 3, max_score: 8, min_annual_value: 10_000 }],
    ['a search', { search: '1' }],
    ['every state, snoozed too', { states: [...FOLLOW_UP_STATES], show_snoozed: true }],
  ]
  it.each(queries)('counts exactly the rows listed for %s', (_name, query) => {
    const page = listOpportunities(ctx.db, { ...query, limit: 5000 })
    expect(page.rows.length).toBeGreaterThan(0)
    expect(page.total).toBe(page.rows.length)
  })

  it('leaves closed and snoozed follow-ups out of the default view and counts them in the full one', () => {
    const all = listOpportunities(ctx.db, { states: [...FOLLOW_UP_STATES], show_snoozed: true, limit: 1 }).total
    const shown = listOpportunities(ctx.db, { limit: 1 }).total
    // 30 follow-ups in a cycle of 6: 5 converted, 5 dismissed and 10 snoozed (two future dates) are hidden.
    expect(all - shown).toBe(20)
  })
})
