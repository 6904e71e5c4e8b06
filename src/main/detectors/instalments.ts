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

/** The month's instalment dates, ascending, each once, without those after the end or inside the pause. */
function datesOfMonth(schedule: Schedule, year: number, month: number): string[] {
  const last = lastDay(year, month)
  const dates = [...new Set(schedule.days.map((d) => Math.min(d, last)))].sort((a, b) => a - b).map((d) => iso(year, month, d))
  const paused = schedule.paused_from !== null && schedule.paused_till !== null
  return dates.filter(
    (d) =>
      (schedule.end_date === null || d <= schedule.end_date) &&
      !(paused && d >= schedule.paused_from! && d <= schedule.paused_till!),
  )
}

/** Instalment dates `d` with `from ≤ d < before` (`from < d` unless `inclusive`), in order. */
export function* instalmentDates(schedule: Schedule, from: string, before: string, inclusive: boolean): Generator<string> {
  if (schedule.days.length === 0) return
  let year = Number(from.slice(0, 4))
  let month = Number(from.slice(5, 7))
  const endYear = Number(before.slice(0, 4))
  const endMonth = Number(before.slice(5, 7))
  while (year < endYear || (year === endYear && month <= endMonth)) {
    for (const d of datesOfMonth(schedule, year, month)) {
      if ((inclusive ? d >= from : d > from) && d < before) yield d
    }
    month++
    if (month > 12) {
      month = 1
      year++
    }
  }
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
  let missed = 0
  for (const _ of instalmentDates(scheduleOf(sip), since, asOf, sip.latest_success_order_date === null)) missed++
  return missed
}
