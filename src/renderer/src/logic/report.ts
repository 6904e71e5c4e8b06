import type { ClientDetail, ClientSip, Opportunity } from '@shared/detection'
import { capitalise, formatDate, formatInr, MONTHS } from '@shared/format'
import { schemeList } from '@shared/messages'

/**
 * Lines of the SIP table that fit on the one A4 page beside the figures and the suggestions: a
 * row takes a line per scheme name (two for a long one), and one more for "+k more funds".
 */
export const REPORT_SIP_LINES = 16

/** Characters of a scheme name that fit on one line of the scheme column (8.5pt Noto Sans), per copy: the advisor's has more columns. */
export const SCHEME_LINE_CHARS = { client: 32, advisor: 20 } as const

export const RISK_LINE = 'Mutual fund investments are subject to market risks, read all scheme related documents carefully.'

/** What a SIP's row names: its schemes (at most three, and how many more), else the goal it saves for. */
export function sipNames(sip: ClientSip): { names: string[]; more: number } {
  return schemeList(sip.schemes.length > 0 ? sip.schemes : sip.goal_name ? [sip.goal_name] : [])
}

/** Printed lines of a SIP's row: each name on one line, or two when long; "+k more funds" on its own. */
export function rowLines(sip: ClientSip, lineChars: number): number {
  const { names, more } = sipNames(sip)
  const lines = names.reduce((n, name) => n + Math.min(2, Math.ceil(name.length / lineChars)), 0) + (more > 0 ? 1 : 0)
  return Math.max(1, lines, sip.sip_days.length > 1 ? 2 : 1)
}

/** The live SIPs for the report: the largest monthly amounts first, as many as the page's lines hold, and what is left out. */
export function reportSips(sips: ClientSip[], lineChars: number, budget = REPORT_SIP_LINES): { shown: ClientSip[]; more: ClientSip[] } {
  const live = sips
    .filter((s) => !s.deleted)
    .sort((a, b) => b.monthly_amount - a.monthly_amount || a.sip_meta_id.localeCompare(b.sip_meta_id))
  const all = live.reduce((n, s) => n + rowLines(s, lineChars), 0)
  // "+N more" takes a line itself when not every SIP fits.
  const room = all <= budget ? budget : budget - 1
  let used = 0
  let fit = 0
  while (fit < live.length && used + rowLines(live[fit], lineChars) <= room) used += rowLines(live[fit++], lineChars)
  return { shown: live.slice(0, Math.max(1, fit)), more: live.slice(Math.max(1, fit)) }
}

export function clientTotals(client: ClientDetail) {
  const live = client.sips.filter((s) => !s.deleted)
  return {
    live: live.length,
    monthly: live.filter((s) => s.is_active).reduce((n, s) => n + s.monthly_amount, 0),
    invested: live.reduce((n, s) => n + (s.success_amount ?? 0), 0),
  }
}

const DATE_IN_TEXT = new RegExp(`\\b(\\d{1,2}) (${MONTHS.join('|')}) (\\d{4})\\b`, 'g')

/** Text with each `28 Jan 2026` held on one line (no-break spaces): a printed page never splits a date. */
export const keepDatesWhole = (text: string): string => text.replace(DATE_IN_TEXT, '$1\u00a0$2\u00a0$3')

/** A money figure a client reads: none at all rather than ₹0 (SPEC §5). */
export const clientMoney = (value: number | null | undefined): string => (value ? formatInr(value) : '')

/** SPEC §5: the client copy suggests only from active opportunities (not dismissed or converted) that have something to say. */
export function clientOpportunities(client: ClientDetail): Opportunity[] {
  const active = client.opportunities.filter(
    (o) => (o.status === 'open' || o.status === 'contacted') && !(o.type === 'failed_sips' && o.annual_value <= 0),
  )
  // A SIP failing now is one the auto-cancel advice already names, with the same thing to check: said once, the urgent way.
  return active.some((o) => o.type === 'auto_cancel_risk') ? active.filter((o) => o.type !== 'failed_sips') : active
}

const sips = (n: number, one: string, many: string): string => (n === 1 ? one : many)

/**
 * What the client copy says when it has no suggestion: how the SIPs stand — "on track" only when
 * every live SIP is active and its latest instalment went through, else which are paused, stopped
 * or failing (SPEC §5: words a client reads are true).
 */
export function clientStanding(client: ClientDetail): string {
  const live = client.sips.filter((s) => !s.deleted)
  const paused = live.filter((s) => s.status === 'Paused')
  const stopped = live.filter((s) => s.status !== 'Paused' && !s.is_active)
  const failing = live.filter((s) => s.is_active && s.status === 'Failed')
  const flagged = paused.length + stopped.length + failing.length
  if (live.length === 0) return 'You have no live SIP with us now.'
  const which = (n: number): string => (n === live.length ? sips(n, 'your SIP', 'your SIPs') : `${n} of your ${live.length} SIPs`)
  const lines = [
    paused.length > 0 &&
      `${capitalise(which(paused.length))} ${sips(paused.length, 'is', 'are')} paused: no instalment goes in until ${sips(paused.length, 'it restarts', 'they restart')}; we can restart ${sips(paused.length, 'it', 'them')} whenever it suits you.`,
    stopped.length > 0 && `${capitalise(which(stopped.length))} ${sips(stopped.length, 'is', 'are')} not active: no instalment goes in.`,
    failing.length > 0 &&
      `The latest ${sips(failing.length, 'instalment', 'instalments')} of ${which(failing.length)} did not go through: please check the bank mandate and balance.`,
    flagged === 0 && sips(live.length, 'Your SIP is on track.', 'Your SIPs are on track.'),
    flagged > 0 && flagged < live.length && sips(live.length - flagged, 'The other one is on track.', 'The others are on track.'),
  ]
  return lines.filter(Boolean).join(' ')
}

/**
 * What the client reads about an opportunity: plain advice, without scores, ids or the advisor's
 * wording, and no date before `today`.
 */
export function clientSuggestion(o: Opportunity, today: string): string {
  const n = o.sip_meta_ids.length
  switch (o.type) {
    case 'no_sip_increase':
      return `${sips(n, 'Your SIP', `Your ${n} SIPs`)} of ${formatInr(o.current_sip_amount)} a month ${sips(n, 'has', 'have')} not been increased for ${o.running_months} months. A step-up of ${formatInr(o.monthly_increase)} a month would invest ${formatInr(o.annual_value)} more each year.`
    case 'failed_sips':
      return o.mandate_missing
        ? 'Some instalments did not go through and a bank mandate is missing: registering a new mandate keeps your SIPs on track.'
        : o.currently_failing
          ? `The latest instalment of ${sips(n, 'your SIP', `one or more of your ${n} SIPs`)} did not go through: please check the bank mandate limit and the balance on the debit dates.`
          : // Its failures are history (SPEC §5: a failed-SIPs word is true only of a SIP failing now).
            `Some earlier instalments of ${sips(n, 'your SIP', `your ${n} SIPs`)} did not go through, and none is failing now: keeping the mandate limit and the balance in place on the debit dates avoids missed instalments.`
    case 'high_value_inactive':
      return `No instalment has been paid since ${formatDate(o.last_activity_date)}. A short review of your goals and portfolio would help decide how to continue.`
    case 'auto_cancel_risk': {
      const missed = Object.values(o.sips_missed ?? {})
      const before = o.next_debit_date && o.next_debit_date >= today ? ` before ${formatDate(o.next_debit_date)}` : ' before the next debit'
      const atRisk = (k: number) =>
        `please check the bank mandate and balance${before}, as after a few failures in a row the fund house stops ${sips(k, 'the SIP', 'them')}.`
      const most = Math.max(...missed)
      if (o.ceased && missed.some((m) => m < most)) {
        // The SIPs that missed the most are told apart from the rest, each group in its own number.
        const stopped = missed.filter((m) => m === most).length
        const rest = missed.filter((m) => m < most)
        const restMost = Math.max(...rest)
        const restMissed = `${rest.some((m) => m < restMost) ? 'up to ' : ''}${restMost === 1 ? 'an instalment' : `${restMost} instalments`}`
        return `${sips(stopped, 'One of your SIPs', `${stopped} of your SIPs`)} missed several instalments in a row, so the fund house may have stopped ${sips(stopped, 'it', 'them')}: ${sips(stopped, 'it', 'they')} can be registered again with a working mandate. ${sips(rest.length, 'Another has', `The other ${rest.length} have`)} missed ${restMissed}: ${atRisk(rest.length)}`
      }
      return o.ceased
        ? `Several instalments in a row did not go through, so the fund house may have stopped ${sips(n, 'the SIP', 'these SIPs')}: ${sips(n, 'it', 'they')} can be registered again with a working mandate.`
        : `${o.missed_instalments === 1 ? 'The latest instalment' : `The last ${o.missed_instalments} instalments`} of ${sips(n, 'your SIP', `your ${n} SIPs`)} did not go through; ${atRisk(n)}`
    }
    case 'sip_ending':
      return o.end_date && o.end_date >= today
        ? `Your SIP of ${formatInr(o.current_sip_amount)} a month ends on ${formatDate(o.end_date)}. Renewing it, perhaps with a step-up, keeps your investments going without a gap.`
        : `Your SIP of ${formatInr(o.current_sip_amount)} a month has come to its end date. Renewing it, perhaps with a step-up, keeps your investments going.`
  }
}
