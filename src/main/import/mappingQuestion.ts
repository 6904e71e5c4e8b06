/**
 * SPEC §2.5: what the app asks when a file's columns do not say what to read — for each field it
 * needs, the column that names it or, failing that, the column whose name comes closest; and the
 * file's first records to show beside the choice.
 */
import { distance } from 'fastest-levenshtein'
import type { MappingField, MappingQuestion } from '../../shared/types'
import { columnsByName, normaliseName, REQUIRED_FIELDS } from './columns'
import { AppError } from '../../shared/errors'
import { MappingNeededError, previewOf } from './parse'
import { CLIENT_KIND, SIP_KIND, type RecordKind } from './records'

const PREVIEW_RECORDS = 5
const PREVIEW_TEXT = 80
/** How alike a column's name must be to a field's to be offered as the guess (0–1). */
const MIN_LIKENESS = 0.5

/** Words of a name: `sip_meta_id`, `Sip Meta ID` and `sipMetaId` → sip, meta, id. */
const wordsOf = (name: string): string[] =>
  name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)

/**
 * How alike a column's name is to a field's, 0–1: the better of the edit distance of the two
 * names and the share of the field's name (in letters) whose words the column has.
 */
export function likeness(field: string, column: string): number {
  const [a, b] = [normaliseName(field), normaliseName(column)]
  if (a === '' || b === '') return 0
  const edit = 1 - distance(a, b) / Math.max(a.length, b.length)
  const columnWords = new Set(wordsOf(column))
  const fieldWords = wordsOf(field)
  const covered = fieldWords.filter((w) => columnWords.has(w)).reduce((sum, w) => sum + w.length, 0)
  return Math.max(edit, covered / a.length)
}

/**
 * The closest column for each field, each column given to one field at most (the likeliest pairs
 * first), leaving out columns in `taken`; fields with no column close enough are left out.
 */
export function guessColumns(fields: readonly string[], columns: readonly string[], taken: ReadonlySet<string>): Map<string, string> {
  const pairs = fields
    .flatMap((field) => columns.filter((c) => !taken.has(c)).map((column) => ({ field, column, score: likeness(field, column) })))
    .filter((p) => p.score >= MIN_LIKENESS)
    .sort((x, y) => y.score - x.score)
  const guesses = new Map<string, string>()
  const used = new Set<string>()
  for (const { field, column } of pairs) {
    if (guesses.has(field) || used.has(column)) continue
    guesses.set(field, column)
    used.add(column)
  }
  return guesses
}

/** The fields of `kind` the dialog asks about: the required ones, then those no column names. */
function fieldsOf(kind: RecordKind, columns: readonly string[]): MappingField[] {
  const required = new Set(REQUIRED_FIELDS[kind.name])
  const byName = columnsByName(kind, columns)
  const asked = kind.fields.map((f) => f.source).filter((field) => required.has(field) || !byName.has(field))
  const guesses = guessColumns(
    asked.filter((field) => !byName.has(field)),
    columns,
    new Set(byName.values()),
  )
  return [...asked]
    .sort((x, y) => Number(required.has(y)) - Number(required.has(x)))
    .map((field) => ({ field, required: required.has(field), by_name: byName.get(field) ?? null, guess: guesses.get(field) ?? null }))
}

/** The columns no field of `kind` reads by name. */
const freeColumns = (kind: RecordKind, columns: readonly string[]): string[] => {
  const read = new Set(columnsByName(kind, columns).values())
  return columns.filter((column) => !read.has(column))
}

/** The share of a kind's fields the columns name or come close to. */
const placedShare = (kind: RecordKind, asked: readonly MappingField[]): number =>
  1 - asked.filter((f) => (f.by_name ?? f.guess) === null).length / kind.fields.length

const previewCell = (value: unknown): string | number | boolean | null => {
  if (value === undefined || value === null) return null
  if (typeof value === 'number' || typeof value === 'boolean') return value
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > PREVIEW_TEXT ? `${text.slice(0, PREVIEW_TEXT - 1)}…` : text
}

type Refusal = MappingNeededError & { file: { path: string; name: string } }

/** The refusal for want of a mapping an import failed with, if that is why it failed. */
export const mappingRefusalOf = (error: unknown): Refusal | null =>
  error instanceof AppError && error.cause instanceof MappingNeededError && error.cause.file ? (error.cause as Refusal) : null

/** The question for a file refused for want of a mapping. */
export async function mappingQuestion(needed: Refusal): Promise<MappingQuestion> {
  const { rows } = await previewOf(needed.file.path, PREVIEW_RECORDS)
  const { columns } = needed
  const fields = { sip: fieldsOf(SIP_KIND, columns), client: fieldsOf(CLIENT_KIND, columns) }
  return {
    file: needed.file.name,
    format: needed.format,
    columns: [...columns],
    missing: [...needed.missing],
    preview: rows.map((row) => columns.map((_, i) => previewCell(row[i]))),
    kind: placedShare(CLIENT_KIND, fields.client) > placedShare(SIP_KIND, fields.sip) ? 'client' : 'sip',
    fields,
    free_columns: { sip: freeColumns(SIP_KIND, columns), client: freeColumns(CLIENT_KIND, columns) },
  }
}
