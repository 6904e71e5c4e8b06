import { formatDate, formatInr } from '../../shared/format'
import { AGENT_KEY, CLIENT_VALUES, COMMON_COLUMNS, IDS, LIVE_SIPS, round2, runSqlDetector, type Detector } from './common'
import { LIVE_SIP } from '../db/sql'

/** Whole days from the as-of date to `d`. */
const daysUntil = (d: string): string => `CAST(julianday(${d}) - julianday(:as_of) AS INTEGER)`

/** SPEC §3.4b: active SIPs whose end date falls within `ending_within_days` of the as-of date. */
export const sipEnding: Detector = {
  type: 'sip_ending',
  run: (sqlite, params) =>
    runSqlDetector(
      sqlite,
      'sip_ending',
      params,
      `SELECT s.sip_meta_id, s.user_id, ${AGENT_KEY} AS agent_key, s.monthly_amount, s.end_date, 12 * s.monthly_amount AS annual_value
       FROM ${LIVE_SIPS}
       WHERE ${LIVE_SIP} AND s.is_active = 1 AND s.end_date >= :as_of AND s.end_date <= date(:as_of, '+' || :ending_within_days || ' days')`,
      `WITH ending AS (
         SELECT s.user_id, s.agent_key, ${IDS} AS ids, sum(s.monthly_amount) AS monthly, min(s.end_date) AS end_date
         FROM temp.hits s GROUP BY s.user_id, s.agent_key)
       INSERT INTO opportunities (${COMMON_COLUMNS}, end_date, days_left)
       SELECT 'sip_ending', e.user_id, e.agent_key, t.agent_id, e.ids, e.monthly, 12 * e.monthly, 12 * e.monthly, ${CLIENT_VALUES},
         ${round2(`max(1, 10.0 * (:ending_within_days - ${daysUntil('e.end_date')}) / :ending_within_days)`)},
         e.end_date, ${daysUntil('e.end_date')}
       FROM ending e JOIN client_totals t ON t.user_id = e.user_id AND t.agent_key = e.agent_key`,
    ),
  describe: (o) =>
    o.sip_meta_ids.length === 1
      ? `SIP of ${formatInr(o.current_sip_amount)} a month ends on ${formatDate(o.end_date)} — renew it (with a step-up).`
      : `${o.sip_meta_ids.length} SIPs of ${formatInr(o.current_sip_amount)} a month end from ${formatDate(o.end_date)} — renew them (with a step-up).`,
  talkingPoints: (o) => [
    `The SIP ends on ${formatDate(o.end_date)}, in ${o.days_left} days: ${formatInr(o.annual_value)} a year stops unless it is renewed.`,
    'Renew it now, ideally with a step-up, so no month is missed.',
  ],
}
