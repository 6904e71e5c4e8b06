import { addMonths, debitDates } from './calendar'
import type { GeneratedSip } from './generate'
import { Random } from './random'

/**
 * One month in the life of a generated book: every SIP is re-exported a month later, most paying
 * or failing as before, a few stepped up, reduced, stopped, deleted, renewed, paused, resumed,
 * starting to fail or recovering. Each month draws from its own seeded stream, so month M is the
 * same whichever later month is asked for.
 */

/** What changed in a SIP since the previous export; `deleted` also counts as stopped in SPEC §7.1. */
export type Change =
  | 'new_sip'
  | 'stepped_up'
  | 'reduced'
  | 'stopped'
  | 'deleted'
  | 'started_failing'
  | 'recovered'
  | 'paused'
  | 'resumed'
  | 'more_failed'
  | 'renewed'

const NO_CHANGE: readonly Change[] = []
/** Chance a SIP is left out of a month's export. */
const LEFT_OUT = 0.005
/** Chance a SIP ending within 90 days is renewed (its end date moved 5 years on). */
const RENEWED = 0.3
/** What a paying SIP does this month: cumulative chances, the rest pays as before. */
const PAYING = { steppedUp: 0.03, reduced: 0.04, stopped: 0.055, deleted: 0.06, startedFailing: 0.1, paused: 0.115 }
/** What a failing SIP does: one still within the mandate's grace (`missed < CANCELLED_AFTER`), or one the AMC has cancelled. */
const FAILING = { recovered: 0.3, stopped: 0.35 }
const CANCELLED = { recovered: 0.05, stopped: 0.08 }
const CANCELLED_AFTER = 3
const RESUMED = 0.25
const IN_PROGRESS_PAID = 0.8

export class MonthStep {
  readonly rng: Random
  readonly snapshotDay: number

  constructor(seed: number, month: number, firstSnapshotDay: number) {
    this.rng = new Random(seed ^ Math.imul(month, 0x9e3779b1))
    this.snapshotDay = addMonths(firstSnapshotDay, month - 1)
  }

  /** Moves a SIP from its previous export to this month's and says what changed. */
  advance(sip: GeneratedSip): readonly Change[] {
    const rng = this.rng
    const from = sip.insertedDay
    const to = addMonths(from, 1)
    sip.insertedDay = to
    sip.eventDay = addMonths(sip.eventDay, 1)
    sip.leftOut = rng.chance(LEFT_OUT)
    const roll = rng.next()
    if (sip.deleted) return NO_CHANGE
    const changes: Change[] = []
    if (sip.isActive && sip.endDay >= from && sip.endDay <= from + 90 && rng.chance(RENEWED)) {
      sip.endDay = addMonths(sip.endDay, 60)
      changes.push('renewed')
    }
    if (sip.isActive && sip.endDay >= from && sip.endDay < to) {
      sip.isActive = false
      changes.push('stopped')
    } else if (sip.status === 'Paused') {
      this.pausedMonth(sip, from, to, roll, changes)
    } else if (sip.isActive) {
      if (sip.status === 'Success') this.payingMonth(sip, from, to, roll, changes)
      else if (sip.status === 'Failed') this.failingMonth(sip, from, to, roll, changes)
      else if (sip.status === 'In Progress' && roll < IN_PROGRESS_PAID) pay(sip, debits(sip, from, to))
    }
    return changes
  }

  private payingMonth(sip: GeneratedSip, from: number, to: number, roll: number, changes: Change[]): void {
    const due = debits(sip, from, to)
    // Multi-day SIPs keep their amount, so each of their debits stays `amount`.
    const single = sip.sipDays.length === 1
    if (roll < PAYING.steppedUp) {
      if (single) {
        const pct = sip.incrementPercentage > 0 ? sip.incrementPercentage : 10
        sip.amount = Math.ceil((sip.amount * (1 + pct / 100)) / 10) * 10
        changes.push('stepped_up')
      }
      pay(sip, due)
    } else if (roll < PAYING.reduced) {
      const lower = Math.round((sip.amount * this.rng.pick([0.5, 0.6, 0.75])) / 100) * 100
      if (single && lower >= 100 && lower < sip.amount) {
        sip.amount = lower
        changes.push('reduced')
      }
      pay(sip, due)
    } else if (roll < PAYING.stopped) {
      sip.isActive = false
      changes.push('stopped')
    } else if (roll < PAYING.deleted) {
      sip.deleted = true
      changes.push('deleted')
    } else if (roll < PAYING.startedFailing) {
      fail(sip, due, changes)
      changes.push('started_failing')
    } else if (roll < PAYING.paused) {
      const pausedFrom = from + this.rng.int(1, to - from - 1)
      pay(
        sip,
        due.filter((d) => d < pausedFrom),
      )
      sip.pausedAmount += sip.amount * due.filter((d) => d >= pausedFrom).length
      sip.status = 'Paused'
      sip.pausedFromDay = pausedFrom
      sip.pausedTillDay = this.rng.chance(0.5) ? addMonths(pausedFrom, this.rng.int(1, 3)) : null
      sip.pausedReason = 'UP'
      changes.push('paused')
    } else {
      pay(sip, due)
    }
  }

  private failingMonth(sip: GeneratedSip, from: number, to: number, roll: number, changes: Change[]): void {
    const missed = debits(sip, sip.latestSuccessDay ?? sip.startDay - 1, from, CANCELLED_AFTER).length
    const odds = missed < CANCELLED_AFTER ? FAILING : CANCELLED
    if (roll < odds.recovered) {
      const due = debits(sip, from, to)
      // The mandate was fixed: this month's debits went through (at least the latest one).
      pay(sip, due.length > 0 ? due : debitDates(sip.sipDays, from, to).slice(-1))
      sip.hasMandate = true
      changes.push('recovered')
    } else if (roll < odds.stopped) {
      sip.isActive = false
      changes.push('stopped')
    } else if (missed < CANCELLED_AFTER) {
      fail(sip, debits(sip, from, to), changes)
    }
    // A cancelled mandate is debited no more: nothing changes.
  }

  private pausedMonth(sip: GeneratedSip, from: number, to: number, roll: number, changes: Change[]): void {
    const pauseOver = sip.pausedTillDay !== null && sip.pausedTillDay < to
    if ((!pauseOver && roll >= RESUMED) || sip.endDay <= to) {
      sip.pausedAmount += sip.amount * debitDates(sip.sipDays, from, to).length
      return
    }
    if (!pauseOver) sip.pausedTillDay = Math.max(from, sip.pausedFromDay ?? from) + this.rng.int(0, 10)
    sip.isActive = true
    sip.status = 'In Progress'
    pay(sip, debits(sip, from, to))
    changes.push('resumed')
  }
}

/** The SIP's debit dates after `after` and up to `upTo`, within its life and outside its pause. */
function debits(sip: GeneratedSip, after: number, upTo: number, limit = Infinity): number[] {
  const from = sip.pausedFromDay
  const till = sip.pausedTillDay ?? Infinity
  const dates = debitDates(sip.sipDays, Math.max(after, sip.startDay - 1), Math.min(upTo, sip.endDay), from === null ? limit : Infinity)
  if (from === null) return dates
  const live = dates.filter((d) => d < from || d > till)
  return live.length > limit ? live.slice(0, limit) : live
}

/** Debits that went through: the SIP is paying. */
function pay(sip: GeneratedSip, dates: readonly number[]): void {
  if (dates.length === 0) return
  sip.successCount += dates.length
  sip.successAmount += sip.amount * dates.length
  sip.firstSuccessDay ??= dates[0]
  sip.latestSuccessDay = dates[dates.length - 1]
  sip.status = 'Success'
}

/** Debits that bounced (at least one: the month's attempt). */
function fail(sip: GeneratedSip, dates: readonly number[], changes: Change[]): void {
  sip.failedAmount += sip.amount * Math.max(1, dates.length)
  sip.status = 'Failed'
  changes.push('more_failed')
}
