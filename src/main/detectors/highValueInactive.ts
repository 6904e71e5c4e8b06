import { formatDate, formatInr } from '../../shared/format'
import { COMMON_COLUMNS, daysSince, round2, type Detector } from './common'

/** SPEC §3.4: clients with a lakh or more invested and no successful instalment for two months. */
export const highValueInactive: Detector = {
  type: 'high_value_inactive',
  insertSql: `
    INSERT INTO opportunities (${COMMON_COLUMNS})
    SELECT 'high_value_inactive', t.user_id, t.agent_key, t.agent_id, t.all_ids, t.live_amount,
      12 * t.live_amount * :reactivation_pct / 100.0, t.total_invested, t.failed_amount, t.last_activity,
      ${daysSince('t.last_activity')}, ${round2(`min(10, ${daysSince('t.last_activity')} / 30.0)`)}
    FROM client_totals t
    WHERE t.last_activity IS NOT NULL AND t.total_invested >= :min_invested
      AND ${daysSince('t.last_activity')} >= :min_inactive_days`,
  describe: (o, client) =>
    `${client} has ${formatInr(o.total_invested)} invested but no successful instalment for ${o.days_since_activity} days ` +
    `(last on ${formatDate(o.last_activity_date)}); a portfolio review could restart ${formatInr(o.current_sip_amount)} a month.`,
}
