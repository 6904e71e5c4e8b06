/**
 * XLSX exports (SPEC §2.5, §8.5, §8.9): the first worksheet, header in its first row, read as a
 * stream (yauzl for the zip, saxes for the XML; docs/performance.md says why these). Cells keep
 * their type: numbers, booleans, text, and date cells (a number with a date format) as
 * `YYYY-MM-DDTHH:MM:SS` by the workbook's 1900 or 1904 date system, rounded to the second. Each
 * part of the zip is inflated under the same caps as a gzip stream (200× its size, 8 GB).
 */
import { Transform, type Readable } from 'node:stream'
import { SaxesParser, type SaxesTagPlain } from 'saxes'
import yauzl from 'yauzl'
import { counted, FileFormatError, MAX_RECORD_BYTES, type Table, type TableBatch } from './source'
import { MAX_INFLATE_RATIO, MAX_INFLATED_BYTES } from './valueDomain'

const BATCH_ROWS = 1000

const megabytes = (bytes: number): string => `${(bytes / 1_048_576).toLocaleString('en-IN', { maximumFractionDigits: 1 })} MB`

/** Refuses inflated content (a gzip stream, a part of an XLSX file) past the caps of SPEC §2.4 while it streams. */
export function inflationGuard(compressedBytes: number, what: string): Transform {
  const limit = Math.min(MAX_INFLATED_BYTES, MAX_INFLATE_RATIO * compressedBytes)
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length
      if (seen > limit) {
        const cap =
          limit === MAX_INFLATED_BYTES
            ? `${megabytes(MAX_INFLATED_BYTES)}`
            : `${MAX_INFLATE_RATIO}× its size (${megabytes(compressedBytes)} compressed, over ${megabytes(limit)} unpacked)`
        done(new FileFormatError(`${what} inflates to more than ${cap}; refused as a possible zip bomb`))
      } else done(null, chunk)
    },
  })
}

const openZip = (file: string): Promise<yauzl.ZipFile> =>
  new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, zip) => (error ? reject(error) : resolve(zip))),
  )

async function entriesOf(zip: yauzl.ZipFile): Promise<Map<string, yauzl.Entry>> {
  const entries = new Map<string, yauzl.Entry>()
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry)
      zip.readEntry()
    })
    zip.once('end', resolve)
    zip.once('error', reject)
    zip.readEntry()
  })
  return entries
}

/** Excel's serial day number → `YYYY-MM-DDTHH:MM:SS`, rounded to the second (§8.5). */
export function serialToDateTime(serial: number, date1904: boolean): string | null {
  if (!Number.isFinite(serial) || serial < 0) return null
  // 1900 system: day 1 is 1900-01-01 and Excel counts a 29 February 1900 (day 60) that never was.
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : serial < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30)
  const at = new Date(epoch + Math.round(serial * 86_400) * 1000)
  return at.toISOString().slice(0, 19)
}

/** Built-in number formats that show a date or time (ECMA-376 §18.8.30, and the East Asian ones). */
const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
])

/** A custom format shows a date when it has a date or time code outside quotes, brackets and escapes. */
export const isDateFormat = (code: string): boolean => /[dmyhs]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]|\\.|_.|\*./g, ''))

interface Part {
  open(name: string): Promise<Readable | null>
  /** Compressed bytes per inflated byte of a part, to tell progress in bytes of the file. */
  ratio(name: string): number
  close(): void
}

async function zipParts(file: string): Promise<Part> {
  let zip: yauzl.ZipFile
  try {
    zip = await openZip(file)
  } catch (error) {
    throw new FileFormatError(`XLSX: not a readable workbook (${(error as Error).message})`)
  }
  const entries = await entriesOf(zip)
  return {
    async open(name) {
      const entry = entries.get(name)
      if (!entry) return null
      const what = `XLSX part ${name}`
      if (entry.uncompressedSize > Math.min(MAX_INFLATED_BYTES, MAX_INFLATE_RATIO * entry.compressedSize)) {
        throw new FileFormatError(
          `${what} says it inflates to ${counted(entry.uncompressedSize)} bytes from ${counted(entry.compressedSize)}; refused as a possible zip bomb`,
        )
      }
      const stream = await new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entry, (error, s) => (error ? reject(error) : resolve(s))),
      )
      const guard = inflationGuard(entry.compressedSize, what)
      stream.on('error', (error) => guard.destroy(error))
      return stream.pipe(guard)
    },
    ratio(name) {
      const entry = entries.get(name)
      return entry && entry.uncompressedSize > 0 ? entry.compressedSize / entry.uncompressedSize : 0
    },
    close: () => zip.close(),
  }
}

/** Streams one XML part through saxes, calling `onTag`/`onText`/`onClose`; `between` runs after each chunk. */
async function walk(
  part: Readable,
  handlers: { open?: (tag: SaxesTagPlain) => void; text?: (text: string) => void; close?: (name: string) => void },
  between?: () => void,
): Promise<void> {
  const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false })
  if (handlers.open) parser.on('opentag', handlers.open)
  if (handlers.text) parser.on('text', handlers.text)
  if (handlers.close) parser.on('closetag', (tag) => handlers.close!(tag.name))
  const decoder = new TextDecoder()
  try {
    for await (const chunk of part) {
      parser.write(decoder.decode(chunk as Buffer, { stream: true }))
      between?.()
    }
    parser.close()
  } catch (error) {
    if (error instanceof FileFormatError) throw error
    throw new FileFormatError(`XLSX: damaged XML (${(error as Error).message.slice(0, 120)})`)
  }
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1)

/** The first sheet's part and whether dates count from 1904. */
async function workbook(parts: Part): Promise<{ sheet: string; date1904: boolean }> {
  const book = await parts.open('xl/workbook.xml')
  if (!book) throw new FileFormatError('XLSX: the file has no workbook (xl/workbook.xml); is it an Excel workbook?')
  let date1904 = false
  let firstSheetRel: string | null = null
  await walk(book, {
    open(tag) {
      const name = localName(tag.name)
      if (name === 'workbookPr') date1904 = ['1', 'true'].includes(String(tag.attributes.date1904))
      if (name === 'sheet' && firstSheetRel === null) firstSheetRel = String(tag.attributes['r:id'] ?? '')
    },
  })
  if (firstSheetRel === null) throw new FileFormatError('XLSX: the workbook has no sheet')
  let target = 'worksheets/sheet1.xml'
  const rels = await parts.open('xl/_rels/workbook.xml.rels')
  if (rels) {
    await walk(rels, {
      open(tag) {
        if (localName(tag.name) === 'Relationship' && tag.attributes.Id === firstSheetRel) target = String(tag.attributes.Target)
      },
    })
  }
  return { sheet: target.startsWith('/') ? target.slice(1) : `xl/${target}`, date1904 }
}

/** Per cell style index: does it show a date? */
async function dateStyles(parts: Part): Promise<boolean[]> {
  const styles = await parts.open('xl/styles.xml')
  if (!styles) return []
  const custom = new Map<number, string>()
  const dated: boolean[] = []
  let inCellXfs = false
  await walk(styles, {
    open(tag) {
      const name = localName(tag.name)
      if (name === 'numFmt') custom.set(Number(tag.attributes.numFmtId), String(tag.attributes.formatCode ?? ''))
      else if (name === 'cellXfs') inCellXfs = true
      else if (name === 'xf' && inCellXfs) {
        const id = Number(tag.attributes.numFmtId ?? 0)
        const code = custom.get(id)
        dated.push(code !== undefined ? isDateFormat(code) : BUILT_IN_DATE_FORMATS.has(id))
      }
    },
    close(name) {
      if (localName(name) === 'cellXfs') inCellXfs = false
    },
  })
  return dated
}

/** A shared string too large for any record (§8.9): the row that uses it is refused. */
const OVERSIZED = Symbol('oversized')

async function sharedStrings(parts: Part): Promise<(string | typeof OVERSIZED)[]> {
  const part = await parts.open('xl/sharedStrings.xml')
  if (!part) return []
  const strings: (string | typeof OVERSIZED)[] = []
  let current: string | null = null
  let inText = false
  let inPhonetic = false
  await walk(part, {
    open(tag) {
      const name = localName(tag.name)
      if (name === 'si') current = ''
      else if (name === 'rPh') inPhonetic = true
      else if (name === 't' && !inPhonetic) inText = true
    },
    text(text) {
      if (inText && current !== null) current += text
    },
    close(name) {
      const local = localName(name)
      if (local === 't') inText = false
      else if (local === 'rPh') inPhonetic = false
      else if (local === 'si' && current !== null) {
        strings.push(current.length > MAX_RECORD_BYTES ? OVERSIZED : current)
        current = null
      }
    },
  })
  return strings
}

/** `AB12` → 27 (0-based column). */
function columnOf(ref: string): number {
  let column = 0
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i)
    if (c < 65 || c > 90) break
    column = column * 26 + (c - 64)
  }
  return column - 1
}

/** Reads an XLSX workbook's first sheet; resolves once its header row is read. */
export async function readXlsx(file: string): Promise<Table> {
  const parts = await zipParts(file)
  try {
    const { sheet, date1904 } = await workbook(parts)
    const dated = await dateStyles(parts)
    const strings = await sharedStrings(parts)
    const sheetPart = await parts.open(sheet)
    if (!sheetPart) throw new FileFormatError(`XLSX: the first sheet (${sheet}) is missing`)
    return await readSheet(sheetPart, { strings, dated, date1904, ratio: parts.ratio(sheet), close: () => parts.close() })
  } catch (error) {
    parts.close()
    throw error
  }
}

interface SheetContext {
  strings: (string | typeof OVERSIZED)[]
  dated: boolean[]
  date1904: boolean
  /** Bytes of the file per inflated byte of the sheet. */
  ratio: number
  close: () => void
}

async function readSheet(part: Readable, context: SheetContext): Promise<Table> {
  const { strings, dated, date1904 } = context
  let header: string[] | null = null
  let ready: TableBatch = { rows: [], positions: [], refused: [], bytesConsumed: 0 }
  let rowNumber = 0
  let cells: unknown[] = []
  let rowBytes = 0
  let oversized = false
  let filled = 0
  let column = 0
  let type = 'n'
  let style = 0
  let value: string | null = null
  let capturing = false

  const cellValue = (): unknown => {
    if (value === null) return undefined
    switch (type) {
      case 's': {
        const shared = strings[Number(value)]
        if (shared !== OVERSIZED) return shared
        oversized = true
        return undefined
      }
      case 'b':
        return value === '1' || value === 'true'
      case 'str':
      case 'inlineStr':
      case 'e':
      case 'd':
        return value
      default: {
        const number = Number(value)
        if (value.trim() === '' || Number.isNaN(number)) return value
        return dated[style] ? serialToDateTime(number, date1904) : number
      }
    }
  }

  const handlers = {
    open(tag: SaxesTagPlain) {
      switch (tag.name) {
        case 'row':
          rowNumber = tag.attributes.r ? Number(tag.attributes.r) : rowNumber + 1
          cells = []
          rowBytes = 0
          oversized = false
          filled = 0
          column = 0
          break
        case 'c': {
          const ref = tag.attributes.r
          if (ref) column = columnOf(String(ref))
          type = String(tag.attributes.t ?? 'n')
          style = Number(tag.attributes.s ?? 0)
          value = null
          break
        }
        case 'v':
        case 't':
          capturing = true
          value ??= ''
          break
      }
    },
    text(text: string) {
      if (capturing) value += text
    },
    close(name: string) {
      switch (name) {
        case 'v':
        case 't':
          capturing = false
          break
        case 'c': {
          const cell = cellValue()
          if (cell !== undefined && cell !== '') {
            cells[column] = cell
            filled++
            if (typeof cell === 'string') rowBytes += cell.length * 3
          }
          column++
          break
        }
        case 'row':
          if (filled === 0 && !oversized) break
          if (header === null) {
            header = []
            for (let i = 0; i < cells.length; i++) header.push(cells[i] === undefined ? '' : String(cells[i]).trim())
          } else if (
            oversized ||
            (rowBytes > MAX_RECORD_BYTES && Buffer.byteLength(cells.filter((c) => typeof c === 'string').join('')) > MAX_RECORD_BYTES)
          ) {
            ready.refused.push({ position: rowNumber, reason: `XLSX row ${counted(rowNumber)}: over 1 MB` })
          } else {
            cells.length = header.length
            ready.rows.push(cells)
            ready.positions.push(rowNumber)
          }
          break
      }
    },
  }

  const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false })
  parser.on('opentag', handlers.open)
  parser.on('text', handlers.text)
  parser.on('closetag', (tag) => handlers.close(tag.name))
  const chunks = part[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  let bytesConsumed = 0
  const decoder = new TextDecoder()
  /** Feeds the parser until a batch is full or the part ends; false at the end. */
  const fill = async (): Promise<boolean> => {
    while (ready.rows.length + ready.refused.length < BATCH_ROWS) {
      const next = await chunks.next()
      try {
        if (next.done) {
          parser.close()
          return false
        }
        bytesConsumed += next.value.length
        parser.write(decoder.decode(next.value, { stream: true }))
      } catch (error) {
        throw new FileFormatError(`XLSX row ${counted(rowNumber)}: damaged sheet XML (${(error as Error).message.slice(0, 120)})`)
      }
    }
    return true
  }
  let more = await fill()
  while (header === null && more) more = await fill()
  if (header === null) {
    context.close()
    throw new FileFormatError('XLSX: the first sheet is empty (no header row)')
  }
  async function* batches(): AsyncGenerator<TableBatch, void, undefined> {
    try {
      for (;;) {
        const batch = ready
        ready = { rows: [], positions: [], refused: [], bytesConsumed: 0 }
        batch.bytesConsumed = Math.round(bytesConsumed * context.ratio)
        if (batch.rows.length + batch.refused.length > 0) yield batch
        if (!more) return
        more = await fill()
      }
    } finally {
      part.destroy()
      context.close()
    }
  }
  return { format: 'XLSX', header, batches: batches() }
}
