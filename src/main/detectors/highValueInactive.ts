import { formatDate, formatInr } from '../../shared/format'
import { AGENT_KEY, CLIENT_VALUES, COMMON_COLUMNS, daysSince, round2, runSqlDetector, type Detector } from './common'
import { LIVE_SIP } from '../db/sql'

/** A client of `client_totals t` qualifies. */
const QUALIFIES = `t.last_activity IS NOT NULL AND t.total_invested >= :min_invested AND ${daysSince('t.last_activity')} >= :min_inactive_days`

/** SPEC §3.4: clients with a lakh or more invested and no successful instalment for two months; the SIPs are all their live ones. */
export const highValueInactive: Detector = {
  type: 'high_value_inactive',
  run: (sqlite, params) =>
    runSqlDetector(
      sqlite,
      'high_value_inactive',
      params,
      `SELECT s.sip_meta_id, s.user_id, ${AGENT_KEY} AS agent_key, 12 * s.monthly_amount * :reactivation_pct / 100.0 AS annual_value
       FROM client_totals t JOIN sips s ON s.user_id = t.user_id AND ${AGENT_KEY} = t.agent_key
       WHERE ${QUALIFIES} AND ${LIVE_SIP}`,
      `INSERT INTO opportunities (${COMMON_COLUMNS})
       SELECT 'high_value_inactive', t.user_id, t.agent_key, t.agent_id, t.all_ids, t.live_monthly,
         12 * t.live_monthly * :reactivation_pct / 100.0, 12 * t.live_monthly * :reactivation_pct / 100.0,
         ${CLIENT_VALUES}, ${round2(`min(10, ${daysSince('t.last_activity')} / 30.0)`)}
       FROM client_totals t WHERE ${QUALIFIES}`,
    ),
  describe: (o, { thresholds }) =>
    `${formatInr(o.total_invested)} invested but no successful instalment for ${o.days_since_activity} days ` +
    `(last on ${formatDate(o.last_activity_date)}); restarting at ${thresholds.reactivation_pct}% of the ${formatInr(o.current_sip_amount)} a month ` +
    `brings ${formatInr(o.annual_value)} a year.`,
  talkingPoints: (o, { thresholds }) => [
    `${formatInr(o.total_invested)} invested; no successful instalment for ${o.days_since_activity} days (last on ${formatDate(o.last_activity_date)}).`,
    `Review the portfolio and goals; restarting ${formatInr(o.current_sip_amount)} a month at ${thresholds.reactivation_pct}% of the old rate brings ${formatInr(o.annual_value)} a year.`,
  ],
}
