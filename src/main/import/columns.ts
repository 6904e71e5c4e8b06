/**
 * Key and column matching (SPEC §2.5, §8.10): a file's key or column matches a field when both are
 * equal after lowercasing and dropping every character that is not a letter or digit, so
 * `sip_meta_id`, `Sip Meta ID` and `sipMetaId` are one field. A column mapping (field → column)
 * wins over the names. The answer for one set of columns is a `Shape`: the record kind and a
 * compiled reader of that kind's fields, or the reason no kind can be read from those columns.
 */
import type { Invalid } from './normalise'
import { CLIENT_KIND, SIP_KIND, type RecordKind } from './records'

/** Field source name → the file's column it is read from. */
export type ColumnMapping = Readonly<Record<string, string>>

export const normaliseName = (name: string): string => name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')

/** §8.10: a set of columns is compared as its sorted normalised names. */
export const columnsKey = (columns: readonly string[]): string => columns.map(normaliseName).sort().join(',')

/** A mapping saved for one set of columns. */
export interface SavedMapping {
  columnsKey: string
  mapping: ColumnMapping
  savedAt: string
}

/** The fields without which a record of each kind is rejected (SPEC §2.4, §8.10). */
export const REQUIRED_FIELDS: Readonly<Record<RecordKind['name'], readonly string[]>> = {
  sip: ['sip_meta_id', 'user_id', 'amount'],
  client: ['user_id', 'name'],
}

/** Every field of a record of the shape's kind, normalised (an `Invalid` where a value is unusable). */
export type ReadFields = (record: unknown) => (string | number | boolean | null | Invalid)[]

export interface Shape {
  kind: RecordKind
  /** The kind's fields of one record (an object keyed by the columns, or a row in column order). */
  read: ReadFields
  /** Field source → column, for every field found. */
  columns: ReadonlyMap<string, string>
}

export type ShapeResult = { shape: Shape } | { problem: 'duplicate' | 'unknown'; reason: string; missing: readonly string[] }

/** Where each field of `kind` is among `columns` (index, or -1), and the first field two columns claim. */
function place(kind: RecordKind, columns: readonly string[], mapping: ColumnMapping | null): { at: number[]; duplicate: string | null } {
  const mapped = new Set(mapping ? Object.values(mapping) : [])
  const byName = new Map<string, number[]>()
  columns.forEach((column, index) => {
    if (mapped.has(column)) return
    const name = normaliseName(column)
    byName.set(name, [...(byName.get(name) ?? []), index])
  })
  let duplicate: string | null = null
  const at = kind.fields.map((field) => {
    const target = mapping?.[field.source]
    if (target !== undefined) return columns.indexOf(target)
    const found = byName.get(normaliseName(field.source)) ?? []
    if (found.length > 1 && duplicate === null) {
      duplicate = `columns ${found.map((i) => `"${columns[i]}"`).join(' and ')} both match the field ${field.source}`
    }
    return found.length > 0 ? found[0] : -1
  })
  return { at, duplicate }
}

/** Field → column for the fields of `kind` that `columns` name by themselves (without a mapping). */
export function columnsByName(kind: RecordKind, columns: readonly string[]): Map<string, string> {
  const { at } = place(kind, columns, null)
  return new Map(kind.fields.flatMap((field, i) => (at[i] >= 0 ? [[field.source, columns[at[i]]] as const] : [])))
}

/** Every field a mapping can name: the fields of SIP and client records. */
export const MAPPABLE_FIELDS: ReadonlySet<string> = new Set([...SIP_KIND.fields, ...CLIENT_KIND.fields].map((f) => f.source))

/**
 * Why a mapping given for a file with these columns cannot read it (a field that does not exist, a
 * column the file lacks, a required field still unplaced, two columns for one field), or null.
 */
export function mappingProblem(columns: readonly string[], mapping: ColumnMapping): string | null {
  const unknown = Object.keys(mapping).filter((field) => !MAPPABLE_FIELDS.has(field))
  if (unknown.length > 0) return `no field ${unknown.map((f) => `"${f}"`).join(', ')}`
  const absent = Object.values(mapping).filter((column) => !columns.includes(column))
  if (absent.length > 0) return `the file has no column ${absent.map((c) => `"${c}"`).join(', ')}`
  const result = shapeOf(columns, mapping, true)
  if ('problem' in result) return result.problem === 'duplicate' ? result.reason : `${result.missing.join(', ')} must be mapped`
  const missing = missingRequired(result.shape)
  return missing.length > 0 ? `${missing.join(', ')} must be mapped` : null
}

const has = (kind: RecordKind, at: readonly number[], source: string): boolean => at[kind.fields.findIndex((f) => f.source === source)] >= 0

/**
 * Compiles a reader that fetches each field by a literal key or index and calls its own normaliser:
 * one shape and one call site per field, which V8 optimises far better than a loop. Keys come from
 * the file but only as string literals, read from records whose own keys they are (a `__proto__`
 * key of `JSON.parse` is an own property); a field the columns lack reads as `undefined`.
 */
function compileReader(kind: RecordKind, at: readonly number[], columns: readonly string[], byIndex: boolean): ReadFields {
  const reads = at.map((i, f) => `n[${f}](${i < 0 ? 'undefined' : byIndex ? `r[${i}]` : `r[${JSON.stringify(columns[i])}]`})`)
  const compiled = new Function('n', 'r', `return [${reads.join(', ')}]`) as (n: unknown, r: unknown) => ReturnType<ReadFields>
  const normalisers = kind.fields.map((field) => field.normalise)
  return (record) => compiled(normalisers, record)
}

/**
 * The kind and reader for records with these columns (SPEC §2.2: `sip_meta_id` → SIP; `user_id` and
 * `name` → client). `byIndex`: records are rows in column order, not objects.
 */
export function shapeOf(columns: readonly string[], mapping: ColumnMapping | null, byIndex: boolean): ShapeResult {
  const sip = place(SIP_KIND, columns, mapping)
  const client = place(CLIENT_KIND, columns, mapping)
  const [kind, placed] = has(SIP_KIND, sip.at, 'sip_meta_id')
    ? [SIP_KIND, sip]
    : has(CLIENT_KIND, client.at, 'user_id') && has(CLIENT_KIND, client.at, 'name')
      ? [CLIENT_KIND, client]
      : [null, null]
  if (!kind || !placed) {
    const missing = REQUIRED_FIELDS.sip.filter((source) => !has(SIP_KIND, sip.at, source))
    return { problem: 'unknown', reason: 'unknown record shape: neither a SIP (sip_meta_id) nor a client (user_id and name)', missing }
  }
  if (placed.duplicate) return { problem: 'duplicate', reason: placed.duplicate, missing: [] }
  const found = new Map<string, string>()
  kind.fields.forEach((field, i) => placed.at[i] >= 0 && found.set(field.source, columns[placed.at[i]]))
  return { shape: { kind, read: compileReader(kind, placed.at, columns, byIndex), columns: found } }
}

/** Required fields of a shape's kind that its columns lack (a mapping is asked for then, §8.10). */
export const missingRequired = (shape: Shape): string[] => REQUIRED_FIELDS[shape.kind.name].filter((source) => !shape.columns.has(source))

/**
 * Shapes of JSON records, which may differ from record to record (JSON Lines can mix SIPs and
 * clients). Consecutive records almost always share their keys, so the last shape is kept.
 */
export class JsonShapes {
  private lastKeys: string[] = []
  private last: ShapeResult | null = null
  private readonly cache = new Map<string, ShapeResult>()

  constructor(private readonly mapping: ColumnMapping | null) {}

  of(record: object): ShapeResult {
    const keys = Object.keys(record)
    const last = this.lastKeys
    if (this.last && keys.length === last.length && keys.every((key, i) => key === last[i])) return this.last
    const signature = keys.join('\u0000')
    let result = this.cache.get(signature)
    if (!result) {
      result = shapeOf(keys, this.mapping, false)
      if (this.cache.size >= 100) this.cache.clear()
      this.cache.set(signature, result)
    }
    this.lastKeys = keys
    this.last = result
    return result
  }
}
