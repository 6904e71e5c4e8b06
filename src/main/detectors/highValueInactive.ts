import { formatDate, formatInr } from '../../shared/format'
import { AGENT_KEY, CLIENT_VALUES, COMMON_COLUMNS, daysSince, LIVE_SIPS, round2, runSqlDetector, type Detector } from './common'
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
      // The few clients that qualify first, then one scan of the SIPs against them: looking every SIP's
      // client up in the whole of client_totals took 5× as long on a million SIPs.
      `WITH qualifying AS MATERIALIZED (SELECT t.user_id, t.agent_key FROM client_totals t WHERE ${QUALIFIES})
       SELECT s.sip_meta_id, s.user_id, ${AGENT_KEY} AS agent_key, 12 * s.monthly_amount * :reactivation_pct / 100.0 AS annual_value
       FROM ${LIVE_SIPS} JOIN qualifying q ON q.user_id = s.user_id AND q.agent_key = ${AGENT_KEY}
       WHERE ${LIVE_SIP}`,
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
