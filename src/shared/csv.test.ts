import { describe, expect, it } from 'vitest'
import { issuesCsv, neutraliseCell, opportunitiesCsv, toCsv } from './csv'
import type { Opportunity } from './detection'

/** The cells of simple CSV rows (RFC 4180 quoting, CRLF between records). */
const cells = (csv: string): string[][] =>
  csv
    .replace(/^\uFEFF/, '')
    .split(/\r\n(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .filter((line) => line !== '')
    .map((line) =>
      [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map(([, cell]) =>
        cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell,
      ),
    )

describe('CSV exports', () => {
  it('neutralises every cell a spreadsheet would run as a formula', () => {
    const hostile = ['=HYPERLINK("http://evil.example","Click")', '+91 98765 43210', '-2+3', '@SUM(A1:A9)', '\tx', '\rx', '＝1+1']
    const [, row] = cells(toCsv(['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'], [hostile]))
    expect(row).toEqual(hostile.map((text) => `'${text}`))
    for (const text of ['Asha Rao', 'a=b', 'x+1', ''] as const) expect(neutraliseCell(text)).toBe(text)
  })

  it('keeps numbers as numbers, negatives included, and writes booleans as true/false', () => {
    const [, row] = cells(toCsv(['amount', 'change', 'failing', 'mandate', 'none'], [[5000, -250.5, true, false, '']]))
    expect(row).toEqual(['5000', '-250.5', 'true', 'false', ''])
  })

  it('neutralises a client name in the opportunities export and a reason in the issues export', () => {
    const opportunity = {
      type: 'failed_sips',
      user_id: 'u1',
      client_name: '=HYPERLINK("http://evil.example")',
      agent_id: null,
      agent_external_id: 'ag',
      agent_name: '@agent',
      sip_meta_ids: ['1', '2'],
      current_sip_amount: 5000,
      potential_value: 60000,
      total_invested: 100000,
      failed_amount: 15000,
      last_activity_date: '2026-01-05',
      days_since_activity: 10,
      score: 7.5,
      description: 'desc',
      status: 'open',
      next_action_date: null,
      failure_rate: 0.5,
      currently_failing: true,
      mandate_missing: false,
    } as unknown as Opportunity
    const [header, row] = cells(opportunitiesCsv([opportunity]))
    const field = (name: string): string => row[header.indexOf(name)]
    expect(field('client_name')).toBe(`'=HYPERLINK("http://evil.example")`)
    expect(field('agent_name')).toBe(`'@agent`)
    expect(field('currently_failing')).toBe('true')
    expect(field('mandate_missing')).toBe('false')
    expect(field('sip_meta_ids')).toBe('1;2')

    const [, issue] = cells(issuesCsv([{ level: 'warning', position: 3, sip_meta_id: '-1', field: 'amount', reason: '=cmd|calc' }]))
    expect(issue).toEqual(['3', 'warning', "'-1", 'amount', "'=cmd|calc"])
  })
})
