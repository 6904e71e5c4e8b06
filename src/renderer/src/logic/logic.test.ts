import { describe, expect, it } from 'vitest'
import type { ClientDetail } from '@shared/detection'
import { formatCompactInr, formatDate, formatDateTime, formatInr } from '@shared/format'
import { historyMarks, historySeries } from './history'

describe('SIP history series', () => {
  const detail = (history: ClientDetail['history']) => ({ history }) as ClientDetail
  it('lines up each SIP’s amount by snapshot and says whether anything changed', () => {
    const series = historySeries(
      detail([
        { sip_meta_id: '1', snapshot_at: '2026-01-12T08:49:00', amount: 5000, status: 'Success', events: ['new_sip'] },
        { sip_meta_id: '1', snapshot_at: '2026-02-12T09:00:00', amount: 5500, status: 'Success', events: ['stepped_up'] },
        { sip_meta_id: '2', snapshot_at: '2026-02-12T09:00:00', amount: 1000, status: 'Failed', events: ['new_sip'] },
      ]),
    )
    expect(series.changed).toBe(true)
    expect(series.labels).toEqual(['12 Jan 2026, 08:49', '12 Feb 2026, 09:00'])
    expect(series.series).toEqual([
      { name: '1', values: [5000, 5500] },
      { name: '2', values: [null, 1000] },
    ])
  })
  it('marks the snapshots where an import saw a SIP change, leaving out new SIPs', () => {
    const marks = historyMarks(
      detail([
        { sip_meta_id: '1', snapshot_at: '2026-01-12T08:49:00', amount: 5000, status: 'Success', events: ['new_sip'] },
        { sip_meta_id: '1', snapshot_at: '2026-02-12T09:00:00', amount: 5500, status: 'Failed', events: ['stepped_up', 'started_failing'] },
      ]),
    )
    expect(marks.map((m) => m.text)).toEqual(['12 Feb 2026, 09:00 · SIP 1: stepped up, started failing'])
  })
  it('has nothing to chart when every SIP was seen once', () => {
    expect(
      historySeries(detail([{ sip_meta_id: '1', snapshot_at: '2026-01-12T08:49:00', amount: 5000, status: null, events: [] }])).changed,
    ).toBe(false)
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
