/**
 * SPEC §3.4a: a SIP's instalment dates, from its debit days, end date and pause, on ISO dates
 * (`YYYY-MM-DD` compares as text). Pure functions, so the rule is testable on its own.
 */
export interface Schedule {
  /** Days of the month it is debited on (clamped to each month's last day). */
  days: readonly number[]
  end_date: string | null
  paused_from: string | null
  paused_till: string | null
}

const lastDay = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate()
const iso = (year: number, month: number, day: number): string =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
const monthOf = (date: string): number => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1

/** The month's instalment dates, ascending, each once, without those after the end or inside the pause. */
function datesOfMonth(schedule: Schedule, index: number): string[] {
  const year = Math.floor(index / 12)
  const month = (index % 12) + 1
  const last = lastDay(year, month)
  const dates = [...new Set(schedule.days.map((d) => Math.min(d, last)))].sort((a, b) => a - b).map((d) => iso(year, month, d))
  const paused = schedule.paused_from !== null && schedule.paused_till !== null
  return dates.filter(
    (d) => (schedule.end_date === null || d <= schedule.end_date) && !(paused && d >= schedule.paused_from! && d <= schedule.paused_till!),
  )
}

/** Instalment dates `d` with `from ≤ d < before` (`from < d` unless `inclusive`), in order. */
export function* instalmentDates(schedule: Schedule, from: string, before: string, inclusive: boolean): Generator<string> {
  if (schedule.days.length === 0) return
  for (let index = monthOf(from); index <= monthOf(before); index++) {
    for (const d of datesOfMonth(schedule, index)) {
      if ((inclusive ? d >= from : d > from) && d < before) yield d
    }
  }
}

/**
 * How many instalment dates `instalmentDates` gives, without listing them: a month wholly inside
 * the range and clear of the end and the pause holds as many dates as its length allows, so only
 * the months at the edges are listed. Failing SIPs can be years behind; this keeps a rebuild fast.
 */
export function countInstalments(schedule: Schedule, from: string, before: string, inclusive: boolean): number {
  if (schedule.days.length === 0) return 0
  const perLength = new Map<number, number>()
  const ofLength = (length: number): number => {
    let n = perLength.get(length)
    if (n === undefined) perLength.set(length, (n = new Set(schedule.days.map((d) => Math.min(d, length))).size))
    return n
  }
  const first = monthOf(from)
  let last = monthOf(before)
  if (schedule.end_date !== null) last = Math.min(last, monthOf(schedule.end_date))
  const pausedFrom = schedule.paused_from !== null && schedule.paused_till !== null ? monthOf(schedule.paused_from) : Infinity
  const pausedTill = pausedFrom === Infinity ? -Infinity : monthOf(schedule.paused_till!)
  const endMonth = schedule.end_date === null ? Infinity : monthOf(schedule.end_date)
  let count = 0
  for (let index = first; index <= last; index++) {
    const edge = index === first || index === monthOf(before) || index === endMonth || (index >= pausedFrom && index <= pausedTill)
    if (!edge) {
      count += ofLength(lastDay(Math.floor(index / 12), (index % 12) + 1))
      continue
    }
    for (const d of datesOfMonth(schedule, index)) if ((inclusive ? d >= from : d > from) && d < before) count++
  }
  return count
}

/** The first instalment date on or after `from`, looking a year ahead; null when the SIP has ended by then. */
export function nextInstalment(schedule: Schedule, from: string): string | null {
  const year = Number(from.slice(0, 4))
  for (const d of instalmentDates(schedule, from, `${year + 1}-12-31`, true)) return d
  return null
}

/** SIP fields the auto-cancel count reads. */
export interface SipDates {
  sip_days: readonly number[] | null
  latest_success_order_date: string | null
  start_date: string | null
  end_date: string | null
  paused_from: string | null
  paused_till: string | null
}

/** The debit days: the list, else the day of the last success, else the day of the start. */
export function scheduleOf(sip: SipDates): Schedule {
  const anchor = sip.latest_success_order_date ?? sip.start_date
  const days = sip.sip_days && sip.sip_days.length > 0 ? sip.sip_days : anchor ? [Number(anchor.slice(8, 10))] : []
  return { days, end_date: sip.end_date, paused_from: sip.paused_from, paused_till: sip.paused_till }
}

/**
 * Instalments missed before `asOf`: dates after the last success, or from the start when it never
 * succeeded; null when the SIP has neither date. A debit due on the as-of day is not counted.
 */
export function missedInstalments(sip: SipDates, asOf: string): number | null {
  const since = sip.latest_success_order_date ?? sip.start_date
  if (!since) return null
  return countInstalments(scheduleOf(sip), since, asOf, sip.latest_success_order_date === null)
}
