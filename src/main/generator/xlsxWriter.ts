/**
 * Writes records as an XLSX workbook the way Excel saves one: a header row, then one row per
 * record with typed cells (numbers, booleans, ISO dates as date cells in the 1900 or 1904 date
 * system) and text in the shared-strings table. The sheet streams into the zip; the shared strings
 * are held until the end, as Excel does.
 */
import fs from 'node:fs'
import { once } from 'node:events'
import { PassThrough } from 'node:stream'
import yazl from 'yazl'

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/

/** XML text: the three markup characters escaped, control characters XML 1.0 cannot hold dropped. */
const escapeXml = (text: string): string =>
  // eslint-disable-next-line no-control-regex
  text.replace(/[&<>]|[\x00-\x08\x0b\x0c\x0e-\x1f]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? '')

/** 0 → A, 27 → AB. */
const columnName = (index: number): string => {
  let name = ''
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name
  return name
}

/** Style indexes of `styles.xml` below: general, a date, a date and time. */
const DATE_STYLE = 1
const DATE_TIME_STYLE = 2

const STYLES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="d/m/yyyy\\ h:mm:ss"/></numFmts>' +
  '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>' +
  '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>'

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
  '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'

const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'

const BOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
  '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'

const workbookXml = (date1904: boolean): string =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
  `<workbookPr${date1904 ? ' date1904="1"' : ''}/><sheets><sheet name="Query result" sheetId="1" r:id="rId1"/></sheets></workbook>`

export interface XlsxOptions {
  /** Dates counted from 1904 (Excel for Mac's old default) instead of 1900. */
  date1904?: boolean
}

export class XlsxWriter {
  private readonly zip = new yazl.ZipFile()
  private readonly sheet = new PassThrough()
  private readonly strings = new Map<string, number>()
  private readonly done: Promise<unknown>
  private rowNumber = 0
  private readonly epoch: number

  constructor(file: string, options: XlsxOptions = {}) {
    this.epoch = options.date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30)
    const out = fs.createWriteStream(file)
    this.zip.outputStream.pipe(out)
    this.done = once(out, 'finish')
    this.zip.addBuffer(Buffer.from(CONTENT_TYPES), '[Content_Types].xml')
    this.zip.addBuffer(Buffer.from(ROOT_RELS), '_rels/.rels')
    this.zip.addBuffer(Buffer.from(workbookXml(options.date1904 ?? false)), 'xl/workbook.xml')
    this.zip.addBuffer(Buffer.from(BOOK_RELS), 'xl/_rels/workbook.xml.rels')
    this.zip.addBuffer(Buffer.from(STYLES), 'xl/styles.xml')
    this.zip.addReadStream(this.sheet, 'xl/worksheets/sheet1.xml')
    this.sheet.write(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
    )
  }

  private stringIndex(text: string): number {
    let index = this.strings.get(text)
    if (index === undefined) {
      index = this.strings.size
      this.strings.set(text, index)
    }
    return index
  }

  private cell(ref: string, value: unknown): string {
    if (value === null || value === undefined || value === '') return ''
    if (typeof value === 'number') return `<c r="${ref}"><v>${value}</v></c>`
    if (typeof value === 'boolean') return `<c r="${ref}" t="b"><v>${value ? 1 : 0}</v></c>`
    const text = String(value)
    const iso = ISO_DATE.exec(text)
    if (iso) {
      const [, y, mo, d, h = '0', mi = '0', s = '0'] = iso
      const serial = (Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) - this.epoch) / 86_400_000
      return `<c r="${ref}" s="${iso[4] === undefined ? DATE_STYLE : DATE_TIME_STYLE}"><v>${serial}</v></c>`
    }
    return `<c r="${ref}" t="s"><v>${this.stringIndex(text)}</v></c>`
  }

  /** Adds one row of values (the header is the first row). */
  async row(values: readonly unknown[]): Promise<void> {
    const r = ++this.rowNumber
    const cells = values.map((value, i) => this.cell(`${columnName(i)}${r}`, value)).join('')
    if (!this.sheet.write(`<row r="${r}">${cells}</row>`)) await once(this.sheet, 'drain')
  }

  async close(): Promise<void> {
    this.sheet.end('</sheetData></worksheet>')
    const items = [...this.strings.keys()].map((text) => `<si><t xml:space="preserve">${escapeXml(text)}</t></si>`)
    const shared =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
      `count="${items.length}" uniqueCount="${items.length}">${items.join('')}</sst>`
    this.zip.addBuffer(Buffer.from(shared), 'xl/sharedStrings.xml')
    this.zip.end()
    await this.done
  }
}
