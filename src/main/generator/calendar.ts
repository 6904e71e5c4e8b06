/** Day arithmetic on epoch days (days since 1970-01-01, UTC), for the generator. */

const MS_PER_DAY = 86_400_000
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

export const dayOf = (iso: string): number => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / MS_PER_DAY)

const parts = (day: number): [number, number, number] => {
  const d = new Date(day * MS_PER_DAY)
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n))

export const isoDate = (day: number): string => {
  const [y, m, d] = parts(day)
  return `${y}-${pad2(m)}-${pad2(d)}`
}

/** `2026-01-12T08:49:00` for a day and minute of the day. */
export const isoDateTime = (day: number, minute: number): string =>
  `${isoDate(day)}T${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}:00`

/** Metabase's formatted style: `January 5, 2026`. */
export const wordyDate = (day: number): string => {
  const [y, m, d] = parts(day)
  return `${MONTH_NAMES[m - 1]} ${d}, ${y}`
}

/** Metabase's formatted style: `January 12, 2026, 8:49 AM`. */
export const wordyDateTime = (day: number, minute: number): string => {
  const hour = Math.floor(minute / 60)
  const h12 = hour % 12 === 0 ? 12 : hour % 12
  return `${wordyDate(day)}, ${h12}:${pad2(minute % 60)} ${hour < 12 ? 'AM' : 'PM'}`
}

/** The first day of the month `day` falls in. */
export const monthStart = (day: number): number => {
  const [y, m] = parts(day)
  return Math.floor(Date.UTC(y, m - 1, 1) / MS_PER_DAY)
}

/** The same day of the month, `months` later (clamped to the month's end). */
export const addMonths = (day: number, months: number): number => {
  const [y, m, d] = parts(day)
  const target = new Date(Date.UTC(y, m - 1 + months, 1))
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  return Math.floor(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d, last)) / MS_PER_DAY)
}

const monthLength = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate()

/** A month's debit dates, oldest first: each of `sipDays` (ascending) clamped to the month's end, once. */
function debitsInMonth(year: number, month: number, sipDays: readonly number[]): number[] {
  const first = Date.UTC(year, month - 1, 1) / MS_PER_DAY
  const last = monthLength(year, month)
  const dates: number[] = []
  for (const day of sipDays) {
    const date = first + Math.min(day, last) - 1
    if (dates[dates.length - 1] !== date) dates.push(date)
  }
  return dates
}

/**
 * The debit dates of a SIP debited on `sipDays` (ascending) every month, after `after` and up to
 * `upTo`, oldest first; at most `limit` of them.
 */
export function debitDates(sipDays: readonly number[], after: number, upTo: number, limit = Infinity): number[] {
  const out: number[] = []
  let [year, month] = parts(after + 1)
  while (out.length < limit) {
    for (const date of debitsInMonth(year, month, sipDays)) {
      if (date > upTo) return out
      if (date > after && out.length < limit) out.push(date)
    }
    if (++month > 12) [year, month] = [year + 1, 1]
  }
  return out
}

/** The `k`-th debit date before `day` (k = 1: the latest one before it). */
export function debitBefore(sipDays: readonly number[], day: number, k: number): number {
  let [year, month] = parts(day - 1)
  for (;;) {
    const dates = debitsInMonth(year, month, sipDays)
    for (let i = dates.length - 1; i >= 0; i--) if (dates[i] < day && --k === 0) return dates[i]
    if (--month < 1) [year, month] = [year - 1, 12]
  }
}
