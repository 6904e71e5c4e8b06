import { formatInr } from '../../shared/format'
import { AGENT_KEY, COMMON_COLUMNS, daysSince, IDS, LIVE, LIVE_SIPS, round2, type Detector } from './common'

/** A SIP's share of failed instalments by amount. */
const FAILURE_RATE = `CASE WHEN coalesce(s.success_amount, 0) + s.failed_amount > 0
  THEN s.failed_amount / (coalesce(s.success_amount, 0) + s.failed_amount) ELSE 0 END`

/** SPEC §3.3: instalments that bounced (mandate, funds, bank): money to recover. */
export const failedSips: Detector = {
  type: 'failed_sips',
  insertSql: `
    WITH failing AS (
      SELECT s.user_id, ${AGENT_KEY} AS agent_key, ${IDS} AS ids, sum(s.amount) AS amount, sum(s.failed_amount) AS failed,
        max(${FAILURE_RATE}) AS failure_rate, max(s.current_sip_status = 'Failed') AS currently_failing,
        max(s.has_current_mandate = 0) AS mandate_missing
      FROM ${LIVE_SIPS}
      WHERE ${LIVE} AND s.failed_amount >= :min_failed_amount
      GROUP BY s.user_id, agent_key
    )
    INSERT INTO opportunities (${COMMON_COLUMNS}, failure_rate, currently_failing, mandate_missing)
    SELECT 'failed_sips', f.user_id, f.agent_key, t.agent_id, f.ids, f.amount, f.failed, t.total_invested, t.failed_amount,
      t.last_activity, ${daysSince('t.last_activity')}, ${round2('min(10, f.failure_rate * 100 / 10)')},
      f.failure_rate, f.currently_failing, f.mandate_missing
    FROM failing f JOIN client_totals t ON t.user_id = f.user_id AND t.agent_key = f.agent_key`,
  describe: (o, client) => {
    const sips = o.sip_meta_ids.length === 1 ? 'one SIP' : `${o.sip_meta_ids.length} SIPs`
    const rate = Math.round((o.failure_rate ?? 0) * 100)
    const state = o.currently_failing ? ' and the latest instalment failed' : ''
    const action = o.mandate_missing ? 'set up a new mandate to recover it' : 'check the mandate and bank balance to recover it'
    return `${formatInr(o.potential_value)} of ${client}'s instalments failed on ${sips} (up to ${rate}% of instalments)${state}; ${action}.`
  },
}
