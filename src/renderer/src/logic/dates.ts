/** Calendar dates as the advisor types and sees them (en-IN, day first), always as `YYYY-MM-DD` inside. */

import { addDays, isoOfLocal, localToday } from '@shared/format'

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
/** `feb`, `february` or `sept` → 2, …; anything else → 0. */
const monthOfWord = (word: string): number =>
  MONTHS.findIndex((m) => m === word || m.slice(0, 3) === word || (word === 'sept' && m === 'september')) + 1

function isoIfReal(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return null
  const date = new Date(year, month - 1, day)
  return date.getMonth() === month - 1 && date.getDate() === day ? isoOfLocal(date) : null
}

/**
 * A complete typed date, day first: `15 Feb 2026`, `15 february 2026`, `15-Feb-2026`, `15/02/2026`,
 * `15.2.2026`, `15022026` or `2026-02-15`; or from `today`: `15 Feb` (its next one, this year or the
 * next), `+3` (in three days), `today`, `tomorrow`. Anything partial, ambiguous or not on the calendar
 * → null, so a half-typed date is never saved.
 */
export function parseTypedDate(text: string, today = localToday()): string | null {
  const t = text.trim().toLowerCase().replace(/,/g, ' ')
  if (t === 'today') return today
  if (t === 'tomorrow') return addDays(today, 1)
  let match = /^\+\s*(\d{1,3})$/.exec(t)
  if (match) return addDays(today, Number(match[1]))
  match = /^(\d{1,2})[\s./-]+([a-z]{3,9})\.?$/.exec(t)
  if (match) {
    const month = monthOfWord(match[2])
    const year = Number(today.slice(0, 4))
    const thisYear = month === 0 ? null : isoIfReal(year, month, Number(match[1]))
    return thisYear === null || thisYear >= today ? thisYear : isoIfReal(year + 1, month, Number(match[1]))
  }
  match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t)
  if (match) return isoIfReal(Number(match[1]), Number(match[2]), Number(match[3]))
  match = /^(\d{1,2})[\s./-]+([a-z]{3,9})\.?[\s./-]+(\d{4})$/.exec(t)
  if (match) {
    const month = monthOfWord(match[2])
    return month === 0 ? null : isoIfReal(Number(match[3]), month, Number(match[1]))
  }
  match = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(t) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(t)
  if (match) return isoIfReal(Number(match[3]), Number(match[2]), Number(match[1]))
  return null
}

/** Where a follow-up date stands against today's calendar date (SPEC §4). */
export function dateStanding(iso: string | null, today = localToday()): 'none' | 'overdue' | 'today' | 'snoozed' {
  if (!iso) return 'none'
  return iso < today ? 'overdue' : iso === today ? 'today' : 'snoozed'
}
