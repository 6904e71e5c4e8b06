import type { ClientDetail, ClientSip, Opportunity } from '@shared/detection'
import { formatDate, formatInr } from '@shared/format'

/** SIP rows that fit on the one A4 page beside the figures and the talking points. */
export const REPORT_SIP_ROWS = 12

export const RISK_LINE = 'Mutual fund investments are subject to market risks, read all scheme related documents carefully.'

/** The live SIPs for the report: the largest monthly amounts first, at most `rows`, and what is left out. */
export function reportSips(sips: ClientSip[], rows = REPORT_SIP_ROWS): { shown: ClientSip[]; more: ClientSip[] } {
  const live = sips
    .filter((s) => !s.deleted)
    .sort((a, b) => b.monthly_amount - a.monthly_amount || a.sip_meta_id.localeCompare(b.sip_meta_id))
  // "+N more" takes a row itself, so a list one longer than the page shows one fewer.
  const fit = live.length <= rows ? rows : rows - 1
  return { shown: live.slice(0, fit), more: live.slice(fit) }
}

export function clientTotals(client: ClientDetail) {
  const live = client.sips.filter((s) => !s.deleted)
  return {
    live: live.length,
    monthly: live.filter((s) => s.is_active).reduce((n, s) => n + s.monthly_amount, 0),
    invested: live.reduce((n, s) => n + (s.success_amount ?? 0), 0),
  }
}

/** What the client reads about an opportunity: plain advice, without scores, ids or the advisor's wording. */
export function clientSuggestion(o: Opportunity): string {
  switch (o.type) {
    case 'no_sip_increase':
      return `Your SIPs of ${formatInr(o.current_sip_amount)} a month have not been increased for ${o.running_months} months. A step-up of ${formatInr(o.monthly_increase)} a month would invest ${formatInr(o.annual_value)} more each year.`
    case 'failed_sips':
      return o.mandate_missing
        ? 'Some instalments did not go through and a bank mandate is missing: registering a new mandate keeps your SIPs on track.'
        : 'Some instalments did not go through: please check the bank mandate limit and the balance on the debit dates.'
    case 'high_value_inactive':
      return `No instalment has been paid since ${formatDate(o.last_activity_date)}. A short review of your goals and portfolio would help decide how to continue.`
    case 'auto_cancel_risk':
      return o.ceased
        ? 'Several instalments in a row did not go through, so the fund house may have stopped the SIP: it can be registered again with a working mandate.'
        : `${o.missed_instalments} instalment${o.missed_instalments === 1 ? '' : 's'} in a row did not go through; after a few in a row the fund house stops the SIP. Please check the bank mandate and balance${o.next_debit_date ? ` before ${formatDate(o.next_debit_date)}` : ''}.`
    case 'sip_ending':
      return `Your SIP of ${formatInr(o.current_sip_amount)} a month ends on ${formatDate(o.end_date)}. Renewing it, perhaps with a step-up, keeps your investments going without a gap.`
  }
}
