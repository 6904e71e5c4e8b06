import { formatInr } from '../../shared/format'
import { AGENT_KEY, CLIENT_VALUES, COMMON_COLUMNS, IDS, LIVE_SIPS, monthsBetween, round2, runSqlDetector, sipCount, type Detector } from './common'
import { LIVE_SIP } from '../db/sql'

/**
 * SPEC §3.2: SIPs paid every month for a year or more whose amount never went up. A SIP that was
 * stepped up paid smaller instalments before, so its average instalment is below today's amount.
 */
export const noSipIncrease: Detector = {
  type: 'no_sip_increase',
  run: (sqlite, params) =>
    runSqlDetector(
      sqlite,
      'no_sip_increase',
      params,
      `SELECT * , 12 * monthly_increase AS annual_value FROM (
         SELECT s.sip_meta_id, s.user_id, ${AGENT_KEY} AS agent_key, s.monthly_amount,
           ${monthsBetween('coalesce(s.start_date, s.first_success_order_date)', ':as_of')} AS running,
           s.monthly_amount * (CASE WHEN s.increment_percentage > 0 THEN s.increment_percentage ELSE :suggested_step_up_pct END) / 100.0
             AS monthly_increase,
           s.increment_period
         FROM ${LIVE_SIPS}
         WHERE ${LIVE_SIP} AND s.is_active = 1 AND s.current_sip_status = 'Success'
           AND s.success_count >= 2
           AND s.success_amount / s.success_count >= 0.99 * s.amount
           AND coalesce(s.start_date, s.first_success_order_date) IS NOT NULL)
       WHERE running >= :min_months_running`,
      `WITH stalled AS (
         SELECT s.user_id, s.agent_key, ${IDS} AS ids, sum(s.monthly_amount) AS monthly, sum(s.monthly_increase) AS monthly_increase,
           max(CASE WHEN s.increment_period = '6M' THEN s.running / 6 ELSE s.running / 12 END) AS expected_increments,
           max(s.running) AS running
         FROM temp.hits s GROUP BY s.user_id, s.agent_key)
       INSERT INTO opportunities (${COMMON_COLUMNS}, monthly_increase, expected_increments, running_months)
       SELECT 'no_sip_increase', s.user_id, s.agent_key, t.agent_id, s.ids, s.monthly, 12 * s.monthly_increase, 12 * s.monthly_increase,
         ${CLIENT_VALUES}, ${round2('min(10, s.running / 6.0)')}, s.monthly_increase, s.expected_increments, s.running
       FROM stalled s JOIN client_totals t ON t.user_id = s.user_id AND t.agent_key = s.agent_key`,
    ),
  describe: (o) =>
    `${formatInr(o.current_sip_amount)} a month through ${sipCount(o.sip_meta_ids)} for ${o.running_months} months without a step-up; ` +
    `raising it by ${formatInr(o.monthly_increase)} a month adds ${formatInr(o.annual_value)} a year.`,
  talkingPoints: (o) => [
    `Running ${o.running_months} months at ${formatInr(o.current_sip_amount)} a month with no step-up; ${o.expected_increments} step-up${o.expected_increments === 1 ? ' was' : 's were'} due by now.`,
    `Suggest raising by ${formatInr(o.monthly_increase)} a month: ${formatInr(o.annual_value)} more invested each year.`,
  ],
}
