import { describe, expect, it } from 'vitest'
import type { ClientDetail, Opportunity } from '@shared/detection'
import { debitsLine, formatCompactInr, formatDate, formatDateTime, formatDayMonth, formatInr } from '@shared/format'
import { dateStanding, parseTypedDate } from './dates'
import { historyMarks, historySeries } from './history'
import { tickLines } from './labels'
import { DEFAULT_LIST, listHref, listSearch, parseListState } from './listState'
import { clientOpportunities, clientStanding, clientSuggestion, keepDatesWhole } from './report'

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
    // Chart axes: the same month names (en-IN's own short September is "Sept").
    expect(formatDayMonth('2026-09-21')).toBe('21 Sep')
    // A printed report keeps each date on one line.
    expect(keepDatesWhole('one more failure on 28 Jan 2026 and on 5 Feb 2026.')).toBe(
      'one more failure on 28\u00a0Jan\u00a02026 and on 5\u00a0Feb\u00a02026.',
    )
  })
})

describe('typed dates (en-IN, day first)', () => {
  it('take a complete date in the ways people type it', () => {
    for (const typed of ['15 Feb 2026', '15 february 2026', '15-Feb-2026', '15/02/2026', '15.2.2026', '15022026', '2026-02-15'])
      expect(parseTypedDate(typed)).toBe('2026-02-15')
  })
  it('refuse what is partial, US-ordered or not on the calendar', () => {
    for (const typed of [
      '15 Feb 202',
      '02152026',
      '31/02/2026',
      '15 Fbr 2026',
      '0002-02-15',
      '',
      '15/02',
      '+',
      '3',
      '+3d',
      '31 Feb',
      'yesterday',
    ])
      expect(parseTypedDate(typed, '2026-12-07')).toBeNull()
  })
  it('count from today: +3, today, tomorrow, and a day and month without a year is the next one to come', () => {
    const today = '2026-12-07'
    expect(parseTypedDate('+3', today)).toBe('2026-12-10')
    expect(parseTypedDate(' + 30 ', today)).toBe('2027-01-06')
    expect(parseTypedDate('+0', today)).toBe(today)
    expect(parseTypedDate('today', today)).toBe(today)
    expect(parseTypedDate('Tomorrow', today)).toBe('2026-12-08')
    expect(parseTypedDate('12 Feb', today)).toBe('2027-02-12') // February has passed this year
    expect(parseTypedDate('7 dec', today)).toBe('2026-12-07')
    expect(parseTypedDate('6 December', today)).toBe('2027-12-06')
    expect(parseTypedDate('31-Dec', today)).toBe('2026-12-31')
    expect(parseTypedDate('12 Feb 2027', today)).toBe('2027-02-12')
  })
  it('say whether a follow-up date is overdue, today or snoozed', () => {
    expect(dateStanding('2026-01-11', '2026-01-12')).toBe('overdue')
    expect(dateStanding('2026-01-12', '2026-01-12')).toBe('today')
    expect(dateStanding('2026-01-13', '2026-01-12')).toBe('snoozed')
    expect(dateStanding(null, '2026-01-12')).toBe('none')
  })
})

describe('the list in the address', () => {
  it('writes only what differs from the default list and reads it back', () => {
    expect(listHref()).toBe('/opportunities')
    const state = {
      ...DEFAULT_LIST,
      type: 'failed_sips' as const,
      search: 'ravi',
      minScore: 2,
      states: ['open' as const],
      sort: 'client' as const,
      direction: 'asc' as const,
      row: 7,
      top: 3,
    }
    const search = listSearch(state)
    expect(search).toBe('type=failed_sips&q=ravi&score=2-10&state=open&sort=client&dir=asc&row=7&top=3')
    expect(parseListState(search)).toEqual(state)
  })
  it('falls back to the default for anything it does not know', () => {
    expect(parseListState('type=nope&sort=drop%20table&score=x-y&row=-5&state=open,lost')).toEqual({ ...DEFAULT_LIST, states: ['open'] })
  })
})

describe('debit days', () => {
  it('spell out a SIP debited on several days, and give a one-day SIP its monthly amount', () => {
    expect(debitsLine({ amount: 7200, sip_days: [1, 7, 13, 19, 25], monthly_amount: 36000 })).toBe(
      '₹7,200 × 5 debits a month: 1, 7, 13, 19, 25',
    )
    expect(debitsLine({ amount: 5000, sip_days: [5], monthly_amount: 5000 })).toBe('₹5,000')
    expect(debitsLine({ amount: 5000, sip_days: [], monthly_amount: 5000 })).toBe('₹5,000')
  })
})

describe('chart labels', () => {
  it('break between words onto two lines instead of cutting a type name', () => {
    expect(tickLines('High-value inactive', 12)).toEqual(['High-value', 'inactive'])
    expect(tickLines('No SIP increase', 12)).toEqual(['No SIP', 'increase'])
    expect(tickLines('Neha Singh', 22)).toEqual(['Neha Singh'])
  })
  it('keep a third line’s words on the second, shortening only what is far too long', () => {
    expect(tickLines('Lakshmi Narayanan Subramaniam Iyer', 12)).toEqual(['Lakshmi', 'Narayanan Subramaniam Iyer'.slice(0, 17) + '…'])
    expect(tickLines('ag_xwfhy2kbcwneglzz0abc', 22)).toEqual(['ag_xwfhy2kbcwneglzz0abc'])
  })
})

describe("the client copy's words when it has no suggestion", () => {
  const sip = (id: string, status: string, is_active: boolean) => ({ sip_meta_id: id, status, is_active, deleted: false })
  const client = (...sips: ReturnType<typeof sip>[]) => ({ sips, opportunities: [] }) as unknown as ClientDetail

  it('says a paused or stopped SIP is so instead of "on track", and "on track" only when every SIP pays', () => {
    expect(clientStanding(client(sip('1', 'Paused', false)))).toBe(
      'Your SIP is paused: no instalment goes in until it restarts; we can restart it whenever it suits you.',
    )
    expect(clientStanding(client(sip('1', 'Paused', false), sip('2', 'Paused', false)))).toBe(
      'Your SIPs are paused: no instalment goes in until they restart; we can restart them whenever it suits you.',
    )
    expect(clientStanding(client(sip('1', 'Paused', false), sip('2', 'Success', true), sip('3', 'Unknown', false)))).toBe(
      '1 of your 3 SIPs is paused: no instalment goes in until it restarts; we can restart it whenever it suits you. 1 of your 3 SIPs is not active: no instalment goes in. The other one is on track.',
    )
    expect(clientStanding(client(sip('1', 'Failed', true), sip('2', 'Success', true)))).toBe(
      'The latest instalment of 1 of your 2 SIPs did not go through: please check the bank mandate and balance. The other one is on track.',
    )
    expect(clientStanding(client(sip('1', 'Success', true), sip('2', 'In Progress', true)))).toBe('Your SIPs are on track.')
  })

  it('gives the failing SIPs one suggestion, the auto-cancel one, when both types are open', () => {
    const opportunity = (type: string, annual_value = 36_000) => ({ type, status: 'open', annual_value, agent_external_id: 'ag_1' })
    const clientWith = (...types: string[]) =>
      ({ opportunities: types.map((t) => opportunity(t)) }) as unknown as Parameters<typeof clientOpportunities>[0]
    expect(clientOpportunities(clientWith('auto_cancel_risk', 'failed_sips', 'no_sip_increase')).map((o) => o.type)).toEqual([
      'auto_cancel_risk',
      'no_sip_increase',
    ])
    expect(clientOpportunities(clientWith('failed_sips', 'no_sip_increase')).map((o) => o.type)).toEqual(['failed_sips', 'no_sip_increase'])
  })

  it('says a SIP fails now only when one does, in the number of SIPs it names', () => {
    const failed = (currently_failing: boolean, ids: string[]) =>
      clientSuggestion(
        { type: 'failed_sips', sip_meta_ids: ids, currently_failing, mandate_missing: false } as unknown as Opportunity,
        '2026-12-07',
      )
    expect(failed(true, ['1'])).toBe(
      'The latest instalment of your SIP did not go through: please check the bank mandate limit and the balance on the debit dates.',
    )
    expect(failed(true, ['1', '2', '3'])).toMatch(/^The latest instalment of one or more of your 3 SIPs did not go through/)
    expect(failed(false, ['1', '2'])).toBe(
      'Some earlier instalments of your 2 SIPs did not go through, and none is failing now: keeping the mandate limit and the balance in place on the debit dates avoids missed instalments.',
    )
  })

  it('counts the SIPs probably stopped and those still at risk apart, each in its own number', () => {
    const o = {
      type: 'auto_cancel_risk',
      sip_meta_ids: ['1', '2', '3'],
      missed_instalments: 3,
      ceased: true,
      sips_missed: { 1: 3, 2: 2, 3: 3 },
      next_debit_date: '2027-01-17',
    }
    expect(clientSuggestion(o as unknown as Opportunity, '2026-12-07')).toBe(
      '2 of your SIPs missed several instalments in a row, so the fund house may have stopped them: they can be registered again with a working mandate. ' +
        'Another has missed 2 instalments: please check the bank mandate and balance before 17 Jan 2027, as after a few failures in a row the fund house stops the SIP.',
    )
  })

  it('tells the auto-cancel risk of several SIPs in the plural', () => {
    const o = {
      type: 'auto_cancel_risk',
      sip_meta_ids: ['1', '2', '3'],
      missed_instalments: 2,
      ceased: false,
      sips_missed: { 1: 2, 2: 2, 3: 2 },
      next_debit_date: '2027-01-20',
    }
    expect(clientSuggestion(o as unknown as Opportunity, '2026-12-07')).toBe(
      'The last 2 instalments of your 3 SIPs did not go through; please check the bank mandate and balance before 20 Jan 2027, as after a few failures in a row the fund house stops them.',
    )
  })
})
