import { formatInr } from '../../shared/format'
import { AGENT_KEY, CLIENT_VALUES, COMMON_COLUMNS, IDS, LIVE_SIPS, round2, runSqlDetector, sipCount, type Detector } from './common'
import { LIVE_SIP } from '../db/sql'

/** A SIP's share of failed instalments by amount. */
const FAILURE_RATE = `CASE WHEN coalesce(s.success_amount, 0) + s.failed_amount > 0
  THEN s.failed_amount / (coalesce(s.success_amount, 0) + s.failed_amount) ELSE 0 END`

/**
 * SPEC §3.3: instalments that bounced (mandate, funds, bank). What is at stake is the SIP that is
 * failing now (a year of it); failures of a SIP that pays again are history, shown as a one-off.
 */
export const failedSips: Detector = {
  type: 'failed_sips',
  run: (sqlite, params) =>
    runSqlDetector(
      sqlite,
      'failed_sips',
      params,
      `SELECT s.sip_meta_id, s.user_id, ${AGENT_KEY} AS agent_key, s.monthly_amount, s.failed_amount,
         ${FAILURE_RATE} AS failure_rate, s.current_sip_status = 'Failed' AS failing, s.has_current_mandate = 0 AS no_mandate,
         CASE WHEN s.current_sip_status = 'Failed' AND s.is_active = 1 THEN 12 * s.monthly_amount ELSE 0 END AS annual_value
       FROM ${LIVE_SIPS}
       WHERE ${LIVE_SIP} AND s.failed_amount >= :min_failed_amount`,
      `WITH failing AS (
         SELECT s.user_id, s.agent_key, ${IDS} AS ids, sum(s.monthly_amount) AS monthly, sum(s.failed_amount) AS failed,
           sum(s.annual_value) AS annual_value, max(s.failure_rate) AS failure_rate, max(s.failing) AS currently_failing,
           max(s.no_mandate) AS mandate_missing
         FROM temp.hits s GROUP BY s.user_id, s.agent_key)
       INSERT INTO opportunities (${COMMON_COLUMNS}, failure_rate, currently_failing, mandate_missing)
       SELECT 'failed_sips', f.user_id, f.agent_key, t.agent_id, f.ids, f.monthly, f.failed, f.annual_value,
         ${CLIENT_VALUES}, ${round2('min(10, f.failure_rate * 100 / 10)')}, f.failure_rate, f.currently_failing, f.mandate_missing
       FROM failing f JOIN client_totals t ON t.user_id = f.user_id AND t.agent_key = f.agent_key`,
    ),
  describe: (o) => {
    const rate = Math.round((o.failure_rate ?? 0) * 100)
    const action = o.mandate_missing ? 'set up a new mandate' : 'check the mandate and bank balance'
    // A failing SIP that is no longer active has nothing a year at stake: its failures are history.
    const now =
      o.annual_value > 0
        ? `the latest instalment failed, so ${formatInr(o.annual_value)} a year is not going in; ${action}`
        : o.currently_failing
          ? 'the SIP is no longer active; its failures are history'
          : `the SIP pays again now; ${action} before the next debit`
    return `${formatInr(o.potential_value)} of instalments failed over the life of ${sipCount(o.sip_meta_ids, 'one SIP')} (up to ${rate}% of instalments); ${now}.`
  },
  talkingPoints: (o) => [
    `${formatInr(o.potential_value)} of instalments failed over the SIP's life; up to ${Math.round((o.failure_rate ?? 0) * 100)}% of a SIP's instalments.`,
    o.mandate_missing
      ? 'The bank mandate is missing: register a new one.'
      : 'Check the mandate limit and the account balance on the debit date.',
    ...(o.annual_value > 0
      ? [`The latest instalment failed: ${formatInr(o.annual_value)} a year stops unless it is fixed before the next debit.`]
      : []),
  ],
}
