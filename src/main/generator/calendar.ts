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
