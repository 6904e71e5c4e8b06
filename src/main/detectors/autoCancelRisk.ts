import type Database from 'better-sqlite3'
import { formatDate, formatInr } from '../../shared/format'
import { AGENT_KEY, CLIENT_VALUES, COMMON_COLUMNS, fromHits, IDS, LIVE_SIPS, round2, sipCount, type Detector, type DetectorParams } from './common'
import { LIVE_SIP } from '../db/sql'
import { missedInstalments, nextInstalment, scheduleOf, type SipDates } from './instalments'

interface Candidate extends Omit<SipDates, 'sip_days'> {
  sip_meta_id: string
  user_id: string
  agent_key: string
  monthly_amount: number
  sip_days: string | null
}

/**
 * Counting instalments needs a calendar, so each failing SIP's count and next debit date are worked
 * out here, then the SIPs go into `temp.hits` and clients are summed up in SQL as for every detector.
 */
function run(sqlite: Database.Database, params: DetectorParams): void {
  const n = params.auto_cancel_after
  const candidates = sqlite
    .prepare(
      `SELECT s.sip_meta_id, s.user_id, ${AGENT_KEY} AS agent_key, s.monthly_amount, s.sip_days, s.latest_success_order_date,
         s.start_date, s.end_date, s.paused_from, s.paused_till
       FROM ${LIVE_SIPS} WHERE ${LIVE_SIP} AND s.is_active = 1 AND s.current_sip_status = 'Failed'`,
    )
    .all() as Candidate[]
  sqlite.exec('DROP TABLE IF EXISTS temp.hits')
  sqlite.exec(`CREATE TEMP TABLE hits (sip_meta_id TEXT, user_id TEXT, agent_key TEXT, monthly_amount REAL, annual_value REAL,
    missed INTEGER, next_debit TEXT)`)
  const insert = sqlite.prepare('INSERT INTO temp.hits VALUES (?, ?, ?, ?, ?, ?, ?)')
  for (const row of candidates) {
    const sip = { ...row, sip_days: row.sip_days ? (JSON.parse(row.sip_days) as number[]) : null }
    const missed = missedInstalments(sip, params.as_of)
    if (missed === null || missed < 1) continue
    // Past N the SIP is probably cancelled: no debit is coming.
    const next = missed < n ? nextInstalment(scheduleOf(sip), params.as_of) : null
    insert.run(sip.sip_meta_id, sip.user_id, sip.agent_key, sip.monthly_amount, 12 * sip.monthly_amount, missed, next)
  }
  fromHits(
    sqlite,
    'auto_cancel_risk',
    params,
    // SPEC §3.4a per client: the worst count; the final warning's debit date, else the next of those not yet cancelled.
    `WITH risk AS (
       SELECT s.user_id, s.agent_key, ${IDS} AS ids, sum(s.monthly_amount) AS monthly, max(s.missed) AS missed,
         max(s.missed = :auto_cancel_after - 1) AS final_warning, max(s.missed >= :auto_cancel_after) AS ceased,
         min(CASE WHEN s.missed = :auto_cancel_after - 1 THEN s.next_debit END) AS warning_debit,
         min(CASE WHEN s.missed < :auto_cancel_after THEN s.next_debit END) AS next_debit,
         coalesce(max(CASE WHEN s.missed < :auto_cancel_after THEN s.missed END), 0) AS below
       FROM temp.hits s GROUP BY s.user_id, s.agent_key)
     INSERT INTO opportunities (${COMMON_COLUMNS}, missed_instalments, final_warning, ceased, next_debit_date)
     SELECT 'auto_cancel_risk', r.user_id, r.agent_key, t.agent_id, r.ids, r.monthly, 12 * r.monthly, 12 * r.monthly, ${CLIENT_VALUES},
       ${round2('CASE WHEN r.final_warning THEN 10 ELSE max(CASE WHEN r.ceased THEN 6 ELSE 0 END, 10.0 * r.below / (:auto_cancel_after - 1)) END')},
       r.missed, r.final_warning, r.ceased, CASE WHEN r.final_warning THEN r.warning_debit ELSE r.next_debit END
     FROM risk r JOIN client_totals t ON t.user_id = r.user_id AND t.agent_key = r.agent_key`,
  )
}

/**
 * SPEC §3.4a: an AMC cancels a monthly SIP after `auto_cancel_after` consecutive failed
 * instalments (SEBI, from 1 Apr 2024); counts the instalments missed since the last success.
 */
export const autoCancelRisk: Detector = {
  type: 'auto_cancel_risk',
  run,
  describe: (o, { thresholds, today }) => {
    const n = thresholds.auto_cancel_after
    const missed = o.missed_instalments ?? 0
    // "2 of 3" counts down to the cancellation; past it, the count itself says how long it has been.
    const count = missed < n ? `${missed} of ${n} instalments missed` : `${missed} instalments missed in a row`
    const on = `${count} on ${sipCount(o.sip_meta_ids)} of ${formatInr(o.current_sip_amount)} a month`
    if (o.final_warning) {
      const when = o.next_debit_date ? `on ${formatDate(o.next_debit_date)}` : 'at the next debit'
      const passed = o.next_debit_date && o.next_debit_date < today ? ' (that date has passed: import a fresh export to see if it went through)' : ''
      return `${on}: one more failure ${when} and the AMC cancels it — fix the mandate or bank balance before then${passed}.`
    }
    if (o.ceased && missed >= n) {
      return `${on}: the AMC has probably cancelled it — register the SIP again to keep ${formatInr(o.annual_value)} a year going in.`
    }
    const when = o.next_debit_date ? ` before the next debit on ${formatDate(o.next_debit_date)}` : ''
    return `${on}: fix the mandate or bank balance${when}; after ${n} in a row the AMC cancels the SIP.`
  },
  talkingPoints: (o, { thresholds }) => [
    `${o.missed_instalments} instalment${o.missed_instalments === 1 ? '' : 's'} in a row failed; the AMC cancels a SIP after ${thresholds.auto_cancel_after}.`,
    o.ceased ? 'The SIP has probably been cancelled: register it again with a working mandate.' : 'Check the bank balance and mandate before the next debit date.',
    `Keeping it going is ${formatInr(o.annual_value)} a year invested.`,
  ],
}
