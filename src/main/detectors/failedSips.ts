import { formatInr } from '../../shared/format'
import { AGENT_KEY, CLIENT_TOTALS, COMMON_COLUMNS, daysSince, LIVE, round2, SORTED_IDS, type Detector } from './common'

/** SPEC §3.3: instalments that bounced (mandate, funds, bank): money to recover. */
export const failedSips: Detector = {
  type: 'failed_sips',
  insertSql: `
    WITH ${CLIENT_TOTALS}
    INSERT INTO opportunities (${COMMON_COLUMNS}, failure_rate, currently_failing, mandate_missing)
    SELECT 'failed_sips', s.user_id, ${AGENT_KEY} AS agent_key, t.agent_id, ${SORTED_IDS}, sum(s.amount),
      sum(s.failed_amount), t.total_invested, t.failed_amount, t.last_activity,
      ${daysSince('t.last_activity')},
      ${round2(`min(10, max(CASE WHEN coalesce(s.success_amount, 0) + s.failed_amount > 0
        THEN s.failed_amount / (coalesce(s.success_amount, 0) + s.failed_amount) ELSE 0 END) * 100 / 10)`)},
      max(CASE WHEN coalesce(s.success_amount, 0) + s.failed_amount > 0
        THEN s.failed_amount / (coalesce(s.success_amount, 0) + s.failed_amount) ELSE 0 END),
      max(s.current_sip_status = 'Failed'),
      max(s.has_current_mandate = 0)
    FROM sips s JOIN client_totals t ON t.user_id = s.user_id AND t.agent_key = ${AGENT_KEY}
    WHERE ${LIVE} AND s.failed_amount >= :min_failed_amount
    GROUP BY s.user_id, agent_key`,
  describe: (o, client) => {
    const sips = o.sip_meta_ids.length === 1 ? 'one SIP' : `${o.sip_meta_ids.length} SIPs`
    const rate = Math.round((o.failure_rate ?? 0) * 100)
    const state = o.currently_failing ? ' and the latest instalment failed' : ''
    const action = o.mandate_missing ? 'set up a new mandate to recover it' : 'check the mandate and bank balance to recover it'
    return `${formatInr(o.potential_value)} of ${client}'s instalments failed on ${sips} (up to ${rate}% of instalments)${state}; ${action}.`
  },
}
