import { describe, expect, it } from 'vitest'
import type { ClientDetail, Opportunity } from '@shared/detection'
import { formatCompactInr, formatDate, formatDateTime, formatInr } from '@shared/format'
import { historySeries } from './history'
import { talkingPoints } from './talkingPoints'

const base: Opportunity = {
  type: 'no_sip_increase',
  user_id: 'u1',
  client_name: 'Asha Rao',
  agent_id: '1',
  agent_external_id: 'ag',
  agent_name: null,
  sip_meta_ids: ['1'],
  current_sip_amount: 7500,
  potential_value: 9000,
  total_invested: 250000,
  failed_amount: 0,
  last_activity_date: '2025-11-05',
  days_since_activity: 68,
  score: 5,
  description: '',
  status: 'open',
  next_action_date: null,
  monthly_increase: 750,
  expected_increments: 2,
  running_months: 30,
}

describe('talking points', () => {
  it('turn a missed step-up into a concrete ask', () => {
    expect(talkingPoints(base)).toEqual([
      'Running 30 months at ₹7,500 a month with no step-up; 2 step-ups were due by now.',
      'Suggest raising by ₹750 a month: ₹9,000 more invested each year.',
    ])
  })
  it('say what to fix for failed instalments', () => {
    const points = talkingPoints({
      ...base,
      type: 'failed_sips',
      failed_amount: 120000,
      failure_rate: 0.4,
      mandate_missing: true,
      currently_failing: true,
    })
    expect(points).toEqual([
      "₹1,20,000 of instalments failed; up to 40% of a SIP's instalments.",
      'The bank mandate is missing: register a new one.',
      'The latest instalment failed: act before the next debit date.',
    ])
  })
  it('date a quiet client’s last instalment', () => {
    expect(talkingPoints({ ...base, type: 'high_value_inactive', potential_value: 45000 })[0]).toBe(
      '₹2,50,000 invested; no successful instalment for 68 days (last on 5 Nov 2025).',
    )
  })
})

describe('SIP history series', () => {
  const detail = (history: ClientDetail['history']) => ({ history }) as ClientDetail
  it('lines up each SIP’s amount by snapshot and says whether anything changed', () => {
    const series = historySeries(
      detail([
        { sip_meta_id: '1', snapshot_at: '2026-01-12T08:49:00', amount: 5000, status: 'Success' },
        { sip_meta_id: '1', snapshot_at: '2026-02-12T09:00:00', amount: 5500, status: 'Success' },
        { sip_meta_id: '2', snapshot_at: '2026-02-12T09:00:00', amount: 1000, status: 'Failed' },
      ]),
    )
    expect(series.changed).toBe(true)
    expect(series.labels).toEqual(['12 Jan 2026, 08:49', '12 Feb 2026, 09:00'])
    expect(series.series).toEqual([
      { name: '1', values: [5000, 5500] },
      { name: '2', values: [null, 1000] },
    ])
  })
  it('has nothing to chart when every SIP was seen once', () => {
    expect(historySeries(detail([{ sip_meta_id: '1', snapshot_at: '2026-01-12T08:49:00', amount: 5000, status: null }])).changed).toBe(
      false,
    )
  })
})

describe('Indian formats', () => {
  it('group rupees in lakhs and crores', () => {
    expect(formatInr(120000)).toBe('₹1,20,000')
    expect(formatInr(12345678.4)).toBe('₹1,23,45,678')
    expect(formatInr(null)).toBe('—')
    expect(formatCompactInr(212821930)).toBe('₹21.28 Cr')
    expect(formatCompactInr(427000)).toBe('₹4.27 L')
    expect(formatCompactInr(9500)).toBe('₹9,500')
  })
  it('write dates as 5 Jan 2026', () => {
    expect(formatDate('2026-01-05')).toBe('5 Jan 2026')
    expect(formatDate('2026-12-31T23:59:00')).toBe('31 Dec 2026')
    expect(formatDate(null)).toBe('—')
    expect(formatDateTime('2026-01-12T08:49:00')).toBe('12 Jan 2026, 08:49')
  })
})
