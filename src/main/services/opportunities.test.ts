import { describe, expect, it } from 'vitest'
import { importFile } from '../import/importer'
import { freshDbEachTest, generatedExport, startEachTestFrom } from '../testing/support'
import { parseRequest, type OpportunityQuery } from '../../shared/contract'
import { FOLLOW_UP_STATES, type Opportunity } from '../../shared/detection'
import { everyOpportunity } from '../../shared/paging'
import { updateFollowUp } from './followUps'
import { listOpportunities } from './opportunities'
import { localToday as today } from '../../shared/format'
import { refreshIfStale } from './derived'

const shift = (days: number): string => {
  const d = new Date(`${today()}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

const ctx = freshDbEachTest()

startEachTestFrom(ctx, async () => {
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

describe('an export pages by keyset', () => {
  const key = (o: Opportunity): string => `${o.type}|${o.user_id}|${o.agent_external_id ?? ''}`
  const sorts: OpportunityQuery['sort'][] = [
    'score',
    'type',
    'status',
    'next_action_date',
    'client',
    'agent',
    'days_since_activity',
    'annual_value',
  ]

  it.each(sorts)(
    'by %s, both ways: every row once, in the one-query order, as many as the total (ties on the key included)',
    async (sort) => {
      for (const direction of ['asc', 'desc'] as const) {
        const query: OpportunityQuery = { states: [...FOLLOW_UP_STATES], show_snoozed: true, sort, direction }
        const whole = listOpportunities(ctx.db, { ...query, limit: 100_000 })
        const exported = await everyOpportunity((page) => listOpportunities(ctx.db, page), query, { pageSize: 37 })
        expect(whole.total).toBeGreaterThan(3 * 37)
        expect(exported.total).toBe(whole.total)
        expect(exported.rows.length).toBe(whole.total)
        expect(new Set(exported.rows.map(key)).size).toBe(whole.total)
        expect(exported.rows.map(key)).toEqual(whole.rows.map(key))
      }
    },
  )

  it('pins the as-of the screen shows, and stops when the list changes under it', async () => {
    const asOf = listOpportunities(ctx.db, { limit: 1 }).as_of
    const seen: (string | undefined)[] = []
    await everyOpportunity(
      (page) => {
        seen.push(page.as_of)
        return listOpportunities(ctx.db, page)
      },
      { as_of: asOf },
      { pageSize: 100 },
    )
    expect(seen.length).toBeGreaterThan(2)
    expect(new Set(seen)).toEqual(new Set([asOf]))
    let pages = 0
    const changing = everyOpportunity(
      (page) => {
        if (++pages === 2) updateFollowUp(ctx.db, { ...firstOf(page), state: 'dismissed' })
        return listOpportunities(ctx.db, page)
      },
      {},
      { pageSize: 50 },
    )
    await expect(changing).rejects.toThrow(/changed while it was being read/)
  })

  it('refuses a cursor of another sort, and after with offset', () => {
    const page = listOpportunities(ctx.db, { limit: 5 })
    expect(() => listOpportunities(ctx.db, { sort: 'type', limit: 5, after: page.next! })).toThrow(/not a cursor of this sort/)
    expect(() => parseRequest('opportunities:list', { after: page.next, offset: 5 })).toThrow(/after or offset/)
  })
})

const firstOf = (query: OpportunityQuery) => {
  const o = listOpportunities(ctx.db, { ...query, limit: 1 }).rows[0]
  return { type: o.type, user_id: o.user_id, agent_external_id: o.agent_external_id }
}
