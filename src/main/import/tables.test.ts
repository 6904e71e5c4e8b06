import crypto from 'node:crypto'
import fs from 'node:fs'
import { once } from 'node:events'
import { gzipSync } from 'node:zlib'
import yazl from 'yazl'
import { describe, expect, it } from 'vitest'
import { freshDbEachTest } from '../testing/support'
import { importFile } from './importer'
import type { AppError } from '../../shared/errors'

const t = freshDbEachTest()
const count = (table: string): number => (t.db.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
const sip = (id: string): Record<string, unknown> =>
  t.db.sqlite.prepare('SELECT * FROM sips WHERE sip_meta_id = ?').get(id) as Record<string, unknown>

const write = (name: string, content: string | Buffer): string => {
  const file = t.tmp.file(name)
  fs.writeFileSync(file, content)
  return file
}

const HEADER = 'Sip Meta ID,User ID,Amount,Goal Name,Start Date'

/** The refusal of an import, which must leave the book empty. */
async function refusal(file: string): Promise<string> {
  const error = (await importFile(t.db.sqlite, file).catch((e: unknown) => e)) as AppError
  expect(error.code).toBe('import_failed')
  expect(count('sips')).toBe(0)
  expect(count('imports')).toBe(0)
  return error.message
}

/** A workbook of the given parts beside a minimal workbook and its relationships. */
async function workbook(name: string, sheet: string | Buffer, parts: Record<string, string | Buffer> = {}): Promise<string> {
  const zip = new yazl.ZipFile()
  const file = t.tmp.file(name)
  const out = fs.createWriteStream(file)
  zip.outputStream.pipe(out)
  const all: Record<string, string | Buffer> = {
    'xl/workbook.xml': '<workbook xmlns:r="r"><workbookPr/><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/worksheets/sheet1.xml': sheet,
    ...parts,
  }
  for (const [part, content] of Object.entries(all)) zip.addBuffer(Buffer.from(content), part)
  zip.end()
  await once(out, 'finish')
  return file
}

const cells = (r: number, values: (string | number)[]): string =>
  `<row r="${r}">${values.map((v) => (typeof v === 'number' ? `<c><v>${v}</v></c>` : `<c t="inlineStr"><is><t>${v}</t></is></c>`)).join('')}</row>`
const sheetXml = (rows: string): string =>
  `<worksheet><sheetData>${cells(1, ['Sip Meta ID', 'User ID', 'Amount'])}${rows}</sheetData></worksheet>`

describe('CSV exports', () => {
  it('refuses an unterminated quoted field naming the CSV line where it starts; nothing is written', async () => {
    const lines = [
      HEADER,
      ...Array.from({ length: 1202 }, (_, i) => `${i + 1},u-${i},"1,000",Goal,2024-01-05`),
      '1300,u-x,"1,000,Goal',
      '1301,u-y,5,G,2024-01-05',
    ]
    expect(await refusal(write('open-quote.csv', lines.join('\r\n')))).toBe(
      'open-quote.csv: CSV line 1,204: unterminated quoted field; nothing was imported',
    )
  })

  it('reports rows whose quoted fields span lines at the line they start, and refuses ragged rows by line', async () => {
    const csv = [
      HEADER,
      '1,u-1,"1,000","A goal\nover two lines",2024-01-05',
      '2,u-2,"2,000",B,2024-01-05,extra',
      '3,u-3,abc,C,2024-01-05',
      '',
      '4,u-4,500,"D ""quoted""",2024-01-05',
    ].join('\n')
    const report = await importFile(t.db.sqlite, write('lines.csv', csv))
    expect(report).toMatchObject({ read: 4, inserted: 2, rejected: 2 })
    expect(report.issues.map((i) => [i.position, i.reason])).toEqual([
      [4, 'CSV line 4: 6 fields where the header has 5'],
      [5, 'not a number: "abc"'],
    ])
    expect(sip('1')).toMatchObject({ goal_name: 'A goal\nover two lines', amount: 1000 })
    expect(sip('4')).toMatchObject({ goal_name: 'D "quoted"', amount: 500 })
  })

  it.each(['\n', '\r\n'])(
    'rejects a record over 1 MB by the line it starts on, unread, and imports the others at their own lines (line ends %j)',
    async (eol) => {
      // 1,100,001 bytes of UTF-8 over two lines (a break inside a cell is LF, as Excel writes it)
      const big = `"${'x'.repeat(700_000)}\n${'é'.repeat(200_000)}"`
      const csv = [
        HEADER,
        '1,u-1,500,A,2024-01-05',
        `2,u-2,700,${big},2024-01-05`,
        '3,u-3,abc,C,2024-01-05',
        '4,u-4,900,D,2024-01-05',
      ].join(eol)
      const report = await importFile(t.db.sqlite, write('big-record.csv', csv))
      expect(report).toMatchObject({ read: 4, inserted: 2, rejected: 2 })
      const bytes = Buffer.byteLength(`2,u-2,700,${big},2024-01-05`)
      expect(report.issues.map((i) => [i.position, i.reason])).toEqual([
        [3, `CSV line 3: record is larger than 1.0 MB (${bytes.toLocaleString('en-IN')} bytes); skipped unread`],
        [5, 'not a number: "abc"'],
      ])
      expect([sip('1')?.amount, sip('2'), sip('4')?.amount]).toEqual([500, undefined, 900])
    },
  )

  it('refuses text that stops being UTF-8 after its first megabyte, naming the line; nothing is written', async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => `${i + 1},u-${i},500,Goal,2024-01-05`)
    const file = write(
      'mixed-encoding.csv',
      Buffer.concat([Buffer.from([HEADER, ...rows, '9999,u-z,5,'].join('\n')), Buffer.from([0xff, 0x0a])]),
    )
    expect(await refusal(file)).toMatch(/^mixed-encoding\.csv: CSV after line [\d,]+: the text is not valid UTF-8; nothing was imported$/)
  })

  it('counts a record over 1 MB by its UTF-8 bytes when it straddles two reads of the file', async () => {
    const filler = Array.from({ length: 25_000 }, (_, i) => `${i + 10},u-${i},500,Goal,2024-01-05`) // about 7,00,000 bytes
    const csv = [HEADER, ...filler, `1,u-1,500,"${'é'.repeat(600_000)}",2024-01-05`, '2,u-2,700,B,2024-01-05'].join('\n')
    const report = await importFile(t.db.sqlite, write('straddling.csv', csv))
    expect(report).toMatchObject({ read: 25_002, inserted: 25_001, rejected: 1 })
    expect(report.issues[0]).toMatchObject({
      position: 25_002,
      reason: expect.stringMatching(/^CSV line 25,002: record is larger than 1\.0 MB/),
    })
  })

  it('refuses a header row over 1 MB; nothing is written', async () => {
    const file = write('wide-header.csv', `${HEADER},${'c'.repeat(1_100_000)}\n1,u-1,500,A,2024-01-05,x\n`)
    expect(await refusal(file)).toBe('wide-header.csv: CSV line 1: the header row is larger than 1 MB; nothing was imported')
  })

  it('takes the delimiter from the header line and reads UTF-16 with a BOM (Excel "Unicode text") and Windows-1252', async () => {
    await importFile(
      t.db.sqlite,
      write('semicolon.csv', 'sip_meta_id;user_id;amount;goal_name\n1;u-1;1.000,5;Café\n'.replace('1.000,5', '1000')),
    )
    const tabbed = 'sip_meta_id\tuser_id\tamount\tgoal_name\r\n2\tu-2\t2000\tरिटायरमेंट\r\n'
    await importFile(t.db.sqlite, write('unicode.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tabbed, 'utf16le')])))
    const big = Buffer.from(tabbed.replace('2\tu-2', '3\tu-3').replace('रिटायरमेंट', 'x'), 'utf16le').swap16()
    await importFile(t.db.sqlite, write('unicode-be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), big])))
    await importFile(
      t.db.sqlite,
      write('ansi.csv', Buffer.from('sip_meta_id,user_id,amount,goal_name\n4,u-4,4000,R\xe9sum\xe9 \x80\n', 'latin1')),
    )
    expect([sip('1').goal_name, sip('2').goal_name, sip('3').amount, sip('4').goal_name]).toEqual(['Café', 'रिटायरमेंट', 2000, 'Résumé €'])
  })

  it('keeps a formula in a cell as the text it is, never evaluated', async () => {
    await importFile(t.db.sqlite, write('formula.csv', `${HEADER}\n1,u-1,100,"=HYPERLINK(""http://x"",""y"")",2024-01-05\n`))
    expect(sip('1').goal_name).toBe('=HYPERLINK("http://x","y")')
  })

  it('refuses two columns for one field, naming both', async () => {
    expect(await refusal(write('twice.csv', 'sip_meta_id,User ID,amount,Sip Meta ID\n1,u,5,1\n'))).toMatch(
      /CSV: columns "sip_meta_id" and "Sip Meta ID" both match the field sip_meta_id; nothing was imported/,
    )
  })

  it('asks for a mapping when the columns do not name the required fields, listing them and the columns', async () => {
    expect(await refusal(write('unknown.csv', 'SIP #,Investor,Instalment\n1,u,5\n'))).toBe(
      'unknown.csv: CSV: the columns do not name sip_meta_id, user_id, amount; map them with --map FIELD=COLUMN (the file\'s columns: "SIP #", "Investor", "Instalment"); nothing was imported',
    )
  })

  it('reads a gzipped CSV, told by content whatever its name', async () => {
    const report = await importFile(t.db.sqlite, write('export.json', gzipSync(`${HEADER}\n1,u-1,100,G,2024-01-05\n`)))
    expect(report).toMatchObject({ inserted: 1 })
  })
})

describe('XLSX exports', () => {
  it('refuses a zip bomb named .xlsx by the 200× cap on its parts; nothing is written', async () => {
    const file = await workbook('bomb.xlsx', `<worksheet><sheetData>${' '.repeat(64 * 1_048_576)}</sheetData></worksheet>`)
    expect(fs.statSync(file).size).toBeLessThan(1_048_576)
    expect(await refusal(file)).toMatch(
      /^bomb\.xlsx: XLSX part xl\/worksheets\/sheet1\.xml says it inflates to 6,71,08,9\d\d bytes from [\d,]+; refused as a possible zip bomb/,
    )
  })

  it('rejects a row with a 50 MB cell by its sheet row, and imports the others', async () => {
    const huge = crypto.randomBytes(38 * 1_048_576).toString('base64')
    const sst = `<sst><si><t>${huge}</t></si><si><t>u-1</t></si></sst>`
    const sheet = sheetXml(
      `<row r="2"><c><v>1</v></c><c t="s"><v>1</v></c><c><v>100</v></c></row><row r="3"><c><v>2</v></c><c t="s"><v>0</v></c><c><v>5</v></c></row>`,
    )
    const report = await importFile(t.db.sqlite, await workbook('huge.xlsx', sheet, { 'xl/sharedStrings.xml': sst }))
    expect(report).toMatchObject({ read: 2, inserted: 1, rejected: 1 })
    expect(report.issues).toMatchObject([{ position: 3, reason: 'XLSX row 3: over 1 MB' }])
  }, 120_000)

  it('reads a sheet whose last row is row 1,048,576, reporting it by its row', async () => {
    const report = await importFile(
      t.db.sqlite,
      await workbook('tall.xlsx', sheetXml(`${cells(2, [1, 'u-1', 100])}${cells(1_048_576, [2, 'u-2', 'n/a'])}`)),
    )
    expect(report).toMatchObject({ read: 2, inserted: 1, rejected: 1 })
    expect(report.issues).toMatchObject([{ position: 1_048_576, field: 'amount', reason: 'not a number: "n/a"' }])
  })

  it("takes a formula cell's saved value, never the formula", async () => {
    const sheet = sheetXml(
      '<row r="2"><c><v>1</v></c><c t="str"><f>CONCAT("u-","1")</f><v>u-1</v></c><c><f>SUM(40,60)</f><v>100</v></c></row>',
    )
    await importFile(t.db.sqlite, await workbook('formula.xlsx', sheet))
    expect(sip('1')).toMatchObject({ user_id: 'u-1', amount: 100 })
  })

  it('reads a gzipped workbook', async () => {
    const file = await workbook('plain.xlsx', sheetXml(cells(2, [7, 'u-7', 700])))
    const report = await importFile(t.db.sqlite, write('book.xlsx.gz', gzipSync(fs.readFileSync(file))))
    expect(report).toMatchObject({ inserted: 1 })
  })
})

describe("Metabase's API answer", () => {
  const answer = (rows: unknown[][]): string =>
    JSON.stringify({ data: { rows, cols: [{ name: 'sip_meta_id' }, { name: 'user_id' }, { name: 'amount' }] } })

  it('warns that an answer of exactly 2,000 rows may be partial', async () => {
    const report = await importFile(
      t.db.sqlite,
      write('answer.json', answer(Array.from({ length: 2000 }, (_, i) => [i + 1, `u-${i}`, 100]))),
    )
    expect(report).toMatchObject({ read: 2000, inserted: 2000, warnings: 1 })
    expect(report.issues[0].reason).toMatch(/exactly 2,000 rows.*may be partial/)
  })

  it('reads cols given after rows, and reports a row that is not a list by its place', async () => {
    const report = await importFile(t.db.sqlite, write('answer.json', answer([[1, 'u-1', 100], { x: 1 } as unknown as unknown[]])))
    expect(report).toMatchObject({ read: 2, inserted: 1, rejected: 1 })
    expect(report.issues[0]).toMatchObject({ position: 2, reason: 'API answer row 2: not a list of values' })
  })
})

describe('JSON keys', () => {
  it('rejects a record with two keys for one field, naming both', async () => {
    const records = [
      { 'Sip Meta ID': '1', 'User ID': 'u-1', Amount: '100' },
      { sip_meta_id: '2', 'Sip Meta ID': '3', user_id: 'u', amount: 5 },
    ]
    const report = await importFile(t.db.sqlite, write('keys.json', JSON.stringify(records)))
    expect(report).toMatchObject({ inserted: 1, rejected: 1 })
    expect(report.issues[0]).toMatchObject({
      position: 2,
      reason: 'columns "sip_meta_id" and "Sip Meta ID" both match the field sip_meta_id',
    })
  })
})
