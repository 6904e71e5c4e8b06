import type { Opportunity } from '@shared/detection'
import { formatDate, formatInr } from '@shared/format'

/** What to say in the meeting, from the opportunity's own figures. */
export function talkingPoints(o: Opportunity): string[] {
  switch (o.type) {
    case 'no_sip_increase':
      return [
        `Running ${o.running_months} months at ${formatInr(o.current_sip_amount)} a month with no step-up; ${o.expected_increments} step-up${o.expected_increments === 1 ? ' was' : 's were'} due by now.`,
        `Suggest raising by ${formatInr(o.monthly_increase)} a month: ${formatInr(o.potential_value)} more invested each year.`,
      ]
    case 'failed_sips':
      return [
        `${formatInr(o.failed_amount)} of instalments failed; up to ${Math.round((o.failure_rate ?? 0) * 100)}% of a SIP's instalments.`,
        o.mandate_missing
          ? 'The bank mandate is missing: register a new one.'
          : 'Check the mandate limit and the account balance on the debit date.',
        ...(o.currently_failing ? ['The latest instalment failed: act before the next debit date.'] : []),
      ]
    case 'high_value_inactive':
      return [
        `${formatInr(o.total_invested)} invested; no successful instalment for ${o.days_since_activity} days (last on ${formatDate(o.last_activity_date)}).`,
        `Review the portfolio and goals; restarting ${formatInr(o.current_sip_amount)} a month brings ${formatInr(o.potential_value)} a year at half the old rate.`,
      ]
  }
}
