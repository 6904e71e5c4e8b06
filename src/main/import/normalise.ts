/**
 * Per-field normalisers (SPEC §2.3). Each takes a raw JSON value and returns the normalised value,
 * null for "missing", or an `Invalid` naming the reason; the caller turns that into a warning.
 * They are plain functions picked once per field, so the hot path never switches on a kind.
 */

import { amountOutside, MAX_TEXT, MAX_YEAR, MIN_YEAR, yearInDomain } from './valueDomain'

export class Invalid {
  constructor(readonly reason: string) {}
}

/** A value kept in a shortened form, with the warning that says so. */
export class Cut {
  constructor(
    readonly value: string,
    readonly reason: string,
  ) {}
}

export type Normaliser<T> = (raw: unknown) => T | null | Invalid | Cut

/**
 * Remembers a normaliser's answers for string inputs. Exports repeat the same dates and amounts
 * on thousands of rows, so most calls become one map lookup. Answers are immutable (strings,
 * numbers, shared `Invalid`s), and the cache is emptied when full to bound its memory.
 */
function memoised<T>(normalise: Normaliser<T>, limit = 20_000): Normaliser<T> {
  const cache = new Map<string, ReturnType<Normaliser<T>>>()
  return (raw) => {
    if (typeof raw !== 'string') return normalise(raw)
    let answer = cache.get(raw)
    if (answer === undefined) {
      answer = normalise(raw)
      if (cache.size >= limit) cache.clear()
      cache.set(raw, answer)
    }
    return answer
  }
}

const describe = (raw: unknown): string => {
  if (typeof raw === 'string') return `"${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}"`
  if (Array.isArray(raw)) return 'a list'
  if (raw !== null && typeof raw === 'object') return 'an object'
  return String(raw)
}

/** Trimmed text, null for empty; no length bound (ids, dates and lists bound their own). */
function trimmed(raw: unknown): string | null | Invalid {
  if (raw === null || raw === undefined) return null
  if (typeof raw === 'string') {
    const value = raw.trim()
    return value === '' ? null : value
  }
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw)
  return new Invalid(`expected text, got ${describe(raw)}`)
}

const TOO_LONG = `longer than ${MAX_TEXT.toLocaleString('en-IN')} characters`

/** Text fields: trimmed, at most `MAX_TEXT` characters (longer is cut, with a warning). */
export const text: Normaliser<string> = (raw) => {
  const value = trimmed(raw)
  if (typeof value !== 'string' || value.length <= MAX_TEXT) return value
  return new Cut(value.slice(0, MAX_TEXT), `${TOO_LONG} (${value.length.toLocaleString('en-IN')}); cut`)
}

const GROUPED_DIGITS = /^\d{1,3}(?:,\d{2,3})+$/

export const id: Normaliser<string> = (raw) => {
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) return new Invalid(`expected an id, got the number ${raw}`)
    if (!Number.isSafeInteger(raw)) {
      return new Invalid(`id ${raw} is a JSON number with more than 15 digits, so digits may be lost; export ids as text`)
    }
    return String(raw)
  }
  const value = trimmed(raw)
  if (typeof value !== 'string') return value
  if (value.length > MAX_TEXT) return new Invalid(`id ${TOO_LONG}`)
  return GROUPED_DIGITS.test(value) ? value.replaceAll(',', '') : value
}

/** Currency marks, longest first, a trailing `/-` (`5,000/-`), spaces and grouping commas (SPEC §8.8). */
const NUMBER_NOISE = /INR|Rs\.|Rs|₹|\/-$|[\s,]/g
/** SPEC §2.3: decimal digits with at most one `.` and an optional leading `-`; nothing JavaScript alone reads (`0x10`, `1e3`). */
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)$/

/**
 * Digits, with or without grouping commas ("45,000", most amounts in an export), read directly:
 * what `numberByRules` answers for them, without its cache lookup. Null for anything else.
 */
function groupedDigits(raw: string): number | null {
  let value = 0
  let digits = 0
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48)
      digits++
    } else if (c !== 44) return null
  }
  // Up to 12 digits: exact, and within the domain (at most 10^12).
  return digits > 0 && digits <= 12 ? value : null
}

const numberByRules: Normaliser<number> = memoised((raw) => {
  if (raw === null || raw === undefined) return null
  let value: number
  if (typeof raw === 'number') {
    value = raw
  } else if (typeof raw === 'string') {
    const cleaned = raw.trim().replace(NUMBER_NOISE, '')
    if (cleaned === '') return raw.trim() === '' ? null : new Invalid(`not a number: ${describe(raw)}`)
    if (!DECIMAL.test(cleaned)) return new Invalid(`not a number: ${describe(raw)}`)
    value = Number(cleaned)
  } else {
    return new Invalid(`expected a number, got ${describe(raw)}`)
  }
  const outside = amountOutside(value)
  if (outside !== null) return new Invalid(`${outside}: ${describe(raw)}`)
  return value === 0 ? 0 : value // folds -0
})

/** Money and counts (SPEC §2.3): finite, 0 ≤ v ≤ 10^12; anything else is unusable. */
export const number: Normaliser<number> = (raw) => (typeof raw === 'string' ? groupedDigits(raw) : null) ?? numberByRules(raw)

const TRUE_WORDS = new Set(['true', '1', 'yes'])
const FALSE_WORDS = new Set(['false', '0', 'no'])

export const bool: Normaliser<boolean> = (raw) => {
  if (raw === null || raw === undefined) return null
  if (typeof raw === 'boolean') return raw
  if (raw === 1 || raw === 0) return raw === 1
  if (typeof raw === 'string') {
    const word = raw.trim().toLowerCase()
    if (word === '') return null
    if (TRUE_WORDS.has(word)) return true
    if (FALSE_WORDS.has(word)) return false
  }
  return new Invalid(`not a yes/no value: ${describe(raw)}`)
}

const MONTHS = new Map<string, number>()
;['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'].forEach(
  (name, i) => {
    MONTHS.set(name, i + 1)
    MONTHS.set(name.slice(0, 3), i + 1)
  },
)
MONTHS.set('sept', 9)

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/
/** `January 5, 2026`, `Jan 5, 2026`, optionally followed by `, 8:49 AM`. */
const WORDY = /^([A-Za-z]+)\.? (\d{1,2}), (\d{4})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp][Mm]))?$/
/** SPEC §8.5: `d/m/yyyy` or `d-m-yyyy`, day first as Indian Excel writes it, optionally followed by `h:mm[:ss]` and AM/PM. */
const DAY_FIRST = /^(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?)?$/

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n))

const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31

interface Parts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

function parseDateParts(value: string): Parts | null {
  let m = ISO.exec(value)
  if (m) {
    return {
      year: +m[1],
      month: +m[2],
      day: +m[3],
      hour: m[4] ? +m[4] : 0,
      minute: m[5] ? +m[5] : 0,
      second: m[6] ? +m[6] : 0,
    }
  }
  m = DAY_FIRST.exec(value)
  if (m) {
    const hour = hourOf(m[5], m[8])
    return hour === null ? null : { year: +m[4], month: +m[3], day: +m[1], hour, minute: m[6] ? +m[6] : 0, second: m[7] ? +m[7] : 0 }
  }
  m = WORDY.exec(value)
  if (!m) return null
  const month = MONTHS.get(m[1].toLowerCase())
  const hour = hourOf(m[4], m[7])
  if (month === undefined || hour === null) return null
  return { year: +m[3], month, day: +m[2], hour, minute: m[5] ? +m[5] : 0, second: m[6] ? +m[6] : 0 }
}

/** The hour on a 24-hour clock (0 without a time); null for an hour AM/PM cannot have. */
function hourOf(hour: string | undefined, amPm: string | undefined): number | null {
  const h = hour ? +hour : 0
  if (!amPm) return h
  if (h < 1 || h > 12) return null
  return (h % 12) + (amPm.toLowerCase() === 'pm' ? 12 : 0)
}

const validParts = (p: Parts): boolean =>
  p.month >= 1 && p.month <= 12 && p.day >= 1 && p.day <= daysInMonth(p.year, p.month) && p.hour <= 23 && p.minute <= 59 && p.second <= 59

function temporal(withTime: boolean): Normaliser<string> {
  return (raw) => {
    const value = trimmed(raw)
    if (typeof value !== 'string') return value
    const parts = parseDateParts(value)
    if (!parts || !validParts(parts)) return new Invalid(`not a date: ${describe(raw)}`)
    if (!yearInDomain(parts.year)) return new Invalid(`year outside ${MIN_YEAR}–${MAX_YEAR}: ${describe(raw)}`)
    const date = `${parts.year}-${pad2(parts.month)}-${pad2(parts.day)}`
    return withTime ? `${date}T${pad2(parts.hour)}:${pad2(parts.minute)}:${pad2(parts.second)}` : date
  }
}

/** → `YYYY-MM-DD`; a datetime keeps its date. */
export const date = memoised(temporal(false))
/** → `YYYY-MM-DDTHH:MM:SS`, the time as exported (no time-zone shift); a bare date gets 00:00:00. */
export const datetime = memoised(temporal(true))

/** `"[A, B, A]"` → `["A","B"]` (distinct, in order), stored as JSON text. A JSON array works too. */
export const schemeList: Normaliser<string> = memoised((raw) => {
  let names: unknown[]
  if (Array.isArray(raw)) {
    names = raw
  } else {
    const value = trimmed(raw)
    if (typeof value !== 'string') return value
    const inner = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value
    names = inner.split(',')
  }
  const distinct = new Set<string>()
  for (const name of names) {
    if (typeof name !== 'string') return new Invalid('expected a list of scheme names')
    const clean = name.trim()
    if (clean !== '') distinct.add(clean)
  }
  if (distinct.size === 0) return null
  const kept = [...distinct]
  const list = JSON.stringify(kept)
  if (list.length <= MAX_TEXT) return list
  // Whole names are dropped from the end until the list fits, so what is kept stays a list.
  while (kept.length > 1 && JSON.stringify(kept).length > MAX_TEXT) kept.pop()
  if (JSON.stringify(kept).length > MAX_TEXT) kept[0] = kept[0].slice(0, MAX_TEXT / 2)
  return new Cut(JSON.stringify(kept), `scheme list ${TOO_LONG} (${list.length.toLocaleString('en-IN')}); cut to ${kept.length} names`)
})

/**
 * SPEC §2.3: the days of the month a SIP is debited on, as JSON text (`"10,15"` → `[10,15]`, a JSON
 * number → `[n]`), distinct and ascending. Only whole days 1–31 count; anything else is unusable.
 */
export const sipDays: Normaliser<string> = memoised((raw) => {
  if (raw === null || raw === undefined) return null
  let parts: unknown[]
  if (typeof raw === 'number') parts = [raw]
  else if (typeof raw === 'string') {
    if (raw.trim() === '') return null
    parts = raw.split(',').map((part) => (/^\s*\d{1,2}\s*$/.test(part) ? Number(part) : NaN))
  } else if (Array.isArray(raw)) parts = raw
  else return new Invalid(`expected days of the month, got ${describe(raw)}`)
  const days = new Set<number>()
  for (const day of parts) {
    if (typeof day !== 'number' || !Number.isInteger(day) || day < 1 || day > 31) {
      return new Invalid(`not days of the month (whole numbers 1–31): ${describe(raw)}`)
    }
    days.add(day)
  }
  return JSON.stringify([...days].sort((a, b) => a - b))
})
