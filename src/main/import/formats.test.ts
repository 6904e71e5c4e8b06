import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFiles } from '../services/imports'
import { openDb } from '../db/open'
import { writeExport, type ExportFormat } from '../generator/write'
import { XlsxWriter } from '../generator/xlsxWriter'
import { dumpContent, scratch } from '../testing/support'
import { serialToDateTime } from './xlsx'

/** What a book holds that an advisor sees: SIPs, their history, clients and the opportunities found in them. */
function bookOf(dbPath: string): Record<string, unknown[]> {
  const db = openDb(dbPath)
  try {
    const { sips, sip_history, clients } = dumpContent(db)
    const opportunities = db.sqlite.prepare('SELECT * FROM opportunities ORDER BY 1, 2').all()
    return { sips, sip_history, clients, opportunities }
  } finally {
    db.close()
  }
}

describe('the same book in every format and key style (SPEC §2.5)', () => {
  let tmp: ReturnType<typeof scratch>
  let reference: Record<string, unknown[]>
  beforeAll(async () => {
    tmp = scratch()
    reference = await importBook('json', 'sql', 'raw')
    expect(reference.sips).toHaveLength(150)
    expect(reference.clients.length).toBeGreaterThan(50)
    expect(reference.opportunities.length).toBeGreaterThan(10)
  })
  afterAll(() => tmp.cleanup())

  async function importBook(format: ExportFormat, keys: 'sql' | 'display', style: 'raw' | 'formatted'): Promise<Record<string, unknown[]>> {
    const name = `${format}-${keys}-${style}`
    const sipsFile = tmp.file(`${name}-sips.${format}`)
    const clientsFile = tmp.file(`${name}-clients.${format}`)
    await writeExport(sipsFile, { sips: 150, seed: 77, style, format, keys, clientsPath: clientsFile })
    const dbPath = tmp.file(`${name}.sqlite`)
    const reports = await importFiles(dbPath, [
      { path: sipsFile, name: 'sips' },
      { path: clientsFile, name: 'clients' },
    ])
    expect(reports.map((r) => [r.rejected, r.warnings])).toEqual([
      [0, 0],
      [0, 0],
    ])
    return bookOf(dbPath)
  }

  it.each([
    ['json', 'display', 'raw'],
    ['csv', 'sql', 'raw'],
    ['csv', 'display', 'raw'],
    ['xlsx', 'sql', 'raw'],
    ['xlsx', 'display', 'raw'],
    ['api', 'sql', 'raw'],
    ['api', 'display', 'raw'],
    ['csv', 'display', 'formatted'],
    ['xlsx', 'display', 'formatted'],
  ] as const)('%s with %s keys, %s values, imports to the same SIPs, clients and opportunities as JSON', async (format, keys, style) => {
    expect(await importBook(format, keys, style)).toEqual(reference)
  })

  it('reads an XLSX saved with the 1904 date system to the same dates', async () => {
    const rows = [
      ['Sip Meta ID', 'User ID', 'Amount', 'Start Date', 'Inserted At', 'Is Active'],
      ['9001', 'u-9', 2500, '2024-02-29', '2026-01-12T08:49:00', true],
    ]
    const books: Record<string, unknown[]>[] = []
    for (const date1904 of [false, true]) {
      const file = tmp.file(`dates-${date1904}.xlsx`)
      const writer = new XlsxWriter(file, { date1904 })
      for (const row of rows) await writer.row(row)
      await writer.close()
      const dbPath = tmp.file(`dates-${date1904}.sqlite`)
      await importFiles(dbPath, [{ path: file, name: 'dates.xlsx' }])
      books.push(bookOf(dbPath))
    }
    expect(books[0].sips).toEqual(books[1].sips)
    expect(books[1].sips[0]).toMatchObject({
      sip_meta_id: '9001',
      amount: 2500,
      start_date: '2024-02-29',
      inserted_at: '2026-01-12T08:49:00',
      is_active: 1,
    })
  })
})

describe('day-first dates as Excel saves them again (SPEC §8.5)', () => {
  let tmp: ReturnType<typeof scratch>
  beforeAll(() => (tmp = scratch()))
  afterAll(() => tmp.cleanup())
  const rows = [
    ['Sip Meta ID', 'User ID', 'Amount', 'End Date', 'Inserted At'],
    ['1', 'u-1', '2500', '31/12/2026', '1/2/2026 8:49 AM'],
    ['2', 'u-2', '1000', '1/2/2026', '12-1-2026 17:05'],
    ['3', 'u-3', '500', '31/02/2026', '1/2/2026'],
  ]

  it.each(['csv', 'xlsx'] as const)('%s: 31/12/2026 and 1/2/2026 (1 February) read day first; 31/02/2026 a warning on its row', async (format) => {
    const file = tmp.file(`day-first.${format}`)
    if (format === 'csv') fs.writeFileSync(file, rows.map((row) => row.join(',')).join('\r\n'))
    else {
      const writer = new XlsxWriter(file)
      for (const row of rows) await writer.row(row)
      await writer.close()
    }
    const dbPath = tmp.file(`day-first-${format}.sqlite`)
    const [report] = await importFiles(dbPath, [{ path: file, name: `day-first.${format}` }])
    expect(report).toMatchObject({ inserted: 3, rejected: 0, warnings: 1 })
    // The third record is on CSV line 4 and on the sheet's row 4.
    expect(report.issues).toEqual([{ level: 'warning', position: 4, sip_meta_id: '3', field: 'end_date', reason: 'not a date: "31/02/2026"' }])
    const sips = bookOf(dbPath).sips as { sip_meta_id: string; end_date: string | null; inserted_at: string }[]
    expect(sips.map((s) => [s.sip_meta_id, s.end_date, s.inserted_at])).toEqual([
      ['1', '2026-12-31', '2026-02-01T08:49:00'],
      ['2', '2026-02-01', '2026-01-12T17:05:00'],
      ['3', null, '2026-02-01T00:00:00'],
    ])
  })
})

describe('Excel serial dates', () => {
  it.each([
    [1, false, '1900-01-01T00:00:00'],
    [59, false, '1900-02-28T00:00:00'],
    [61, false, '1900-03-01T00:00:00'],
    [46034.367361111, false, '2026-01-12T08:49:00'],
    [44572.367361111, true, '2026-01-12T08:49:00'],
    [45000.99999999, false, '2023-03-16T00:00:00'],
  ])('serial %s (1904: %s) is %s, rounded to the second', (serial, date1904, expected) => {
    expect(serialToDateTime(serial, date1904)).toBe(expected)
  })
})
