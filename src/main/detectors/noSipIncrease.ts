import { formatInr } from '../../shared/format'
import { AGENT_KEY, CLIENT_TOTALS, COMMON_COLUMNS, daysSince, LIVE, monthsBetween, round2, SORTED_IDS, type Detector } from './common'

/**
 * SPEC §3.2: SIPs paid every month for a year or more whose amount never went up. A SIP that was
 * stepped up paid smaller instalments before, so its average instalment is below today's amount.
 */
export const noSipIncrease: Detector = {
  type: 'no_sip_increase',
  insertSql: `
    WITH ${CLIENT_TOTALS},
    qualifying AS (
      SELECT s.sip_meta_id, s.user_id, ${AGENT_KEY} AS agent_key, s.amount,
        ${monthsBetween('coalesce(s.start_date, s.first_success_order_date)', ':as_of')} AS running,
        s.amount * (CASE WHEN s.increment_percentage > 0 THEN s.increment_percentage ELSE :suggested_step_up_pct END) / 100.0 AS monthly_increase,
        s.increment_period
      FROM sips s
      WHERE ${LIVE} AND s.is_active = 1 AND s.current_sip_status = 'Success'
        AND s.success_count >= 2
        AND s.success_amount / s.success_count >= 0.99 * s.amount
        AND coalesce(s.start_date, s.first_success_order_date) IS NOT NULL
    )
    INSERT INTO opportunities (${COMMON_COLUMNS}, monthly_increase, expected_increments, running_months)
    SELECT 'no_sip_increase', s.user_id, s.agent_key, t.agent_id, ${SORTED_IDS}, sum(s.amount),
      12 * sum(s.monthly_increase), t.total_invested, t.failed_amount, t.last_activity,
      ${daysSince('t.last_activity')}, ${round2('min(10, max(s.running) / 6.0)')},
      sum(s.monthly_increase),
      max(CASE WHEN s.increment_period = '6M' THEN s.running / 6 ELSE s.running / 12 END),
      max(s.running)
    FROM qualifying s JOIN client_totals t ON t.user_id = s.user_id AND t.agent_key = s.agent_key
    WHERE s.running >= :min_months_running
    GROUP BY s.user_id, s.agent_key`,
  describe: (o, client) => {
    const sips = o.sip_meta_ids.length === 1 ? 'a SIP' : `${o.sip_meta_ids.length} SIPs`
    return (
      `${client} has paid ${formatInr(o.current_sip_amount)} a month through ${sips} for ${o.running_months} months without a step-up; ` +
      `raising it by ${formatInr(o.monthly_increase)} a month adds ${formatInr(o.potential_value)} a year.`
    )
  },
}
