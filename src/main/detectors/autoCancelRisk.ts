import type Database from 'better-sqlite3'
import { formatDate, formatInr } from '../../shared/format'
import { AGENT_KEY, daysSince, LIVE, LIVE_SIPS, sipCount, type Detector, type DetectorParams } from './common'
import { missedInstalments, nextInstalment, scheduleOf, type SipDates } from './instalments'

interface Candidate extends SipDates {
  sip_meta_id: string
  user_id: string
  agent_key: string
  monthly_amount: number
}

interface Hit {
  sip: Candidate
  missed: number
}

/** SPEC §3.4a, per client: the worst count, the warnings, and the debit date that matters most. */
function summarise(hits: Hit[], n: number, asOf: string) {
  const missed = Math.max(...hits.map((h) => h.missed))
  const finalWarning = hits.some((h) => h.missed === n - 1)
  const ceased = hits.some((h) => h.missed >= n)
  const pool = finalWarning ? hits.filter((h) => h.missed === n - 1) : hits.filter((h) => h.missed < n)
  const next = pool
    .map((h) => nextInstalment(scheduleOf(h.sip), asOf))
    .filter((d): d is string => d !== null)
    .sort()[0]
  const below = hits.filter((h) => h.missed < n).map((h) => h.missed)
  const m = below.length > 0 ? Math.max(...below) : 0
  const score = finalWarning ? 10 : Math.max(ceased ? 6 : 0, (10 * m) / (n - 1))
  return { missed, finalWarning, ceased, next: next ?? null, score: Math.round(Math.min(10, score) * 100) / 100 }
}

function run(sqlite: Database.Database, params: DetectorParams): void {
  const candidates = sqlite
    .prepare(
      `SELECT s.sip_meta_id, s.user_id, ${AGENT_KEY} AS agent_key, s.monthly_amount, s.sip_days, s.latest_success_order_date,
         s.start_date, s.end_date, s.paused_from, s.paused_till
       FROM ${LIVE_SIPS} WHERE ${LIVE} AND s.is_active = 1 AND s.current_sip_status = 'Failed'`,
    )
    .all() as (Omit<Candidate, 'sip_days'> & { sip_days: string | null })[]
  const byClient = new Map<string, Hit[]>()
  for (const row of candidates) {
    const sip: Candidate = { ...row, sip_days: row.sip_days ? (JSON.parse(row.sip_days) as number[]) : null }
    const missed = missedInstalments(sip, params.as_of)
    if (missed === null || missed < 1) continue
    const key = `${sip.user_id}\u0000${sip.agent_key}`
    const hits = byClient.get(key) ?? []
    hits.push({ sip, missed })
    byClient.set(key, hits)
  }
  const insertSip = sqlite.prepare(
    `INSERT INTO opportunity_sips (user_id, agent_external_id, sip_meta_id, type, annual_value) VALUES (?, ?, ?, 'auto_cancel_risk', ?)`,
  )
  const insertClient = sqlite.prepare(
    `INSERT INTO opportunities (type, user_id, agent_external_id, agent_id, sip_meta_ids, current_sip_amount, potential_value, annual_value,
       total_invested, failed_amount, last_activity_date, days_since_activity, score, missed_instalments, final_warning, ceased, next_debit_date)
     SELECT 'auto_cancel_risk', t.user_id, t.agent_key, t.agent_id, :ids, :monthly, 12 * :monthly, 12 * :monthly,
       t.total_invested, t.failed_amount, t.last_activity, ${daysSince('t.last_activity')}, :score, :missed, :final_warning, :ceased, :next
     FROM client_totals t WHERE t.user_id = :user_id AND t.agent_key = :agent_key`,
  )
  for (const hits of byClient.values()) {
    const { user_id, agent_key } = hits[0].sip
    for (const { sip } of hits) insertSip.run(user_id, agent_key, sip.sip_meta_id, 12 * sip.monthly_amount)
    const summary = summarise(hits, params.auto_cancel_after, params.as_of)
    insertClient.run({
      as_of: params.as_of,
      user_id,
      agent_key,
      ids: JSON.stringify(hits.map((h) => h.sip.sip_meta_id)),
      monthly: hits.reduce((sum, h) => sum + h.sip.monthly_amount, 0),
      score: summary.score,
      missed: summary.missed,
      final_warning: summary.finalWarning ? 1 : 0,
      ceased: summary.ceased ? 1 : 0,
      next: summary.next,
    })
  }
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
    const on = `${o.missed_instalments} of ${n} instalments missed on ${sipCount(o.sip_meta_ids)} of ${formatInr(o.current_sip_amount)} a month`
    if (o.final_warning) {
      const when = o.next_debit_date ? `on ${formatDate(o.next_debit_date)}` : 'at the next debit'
      const passed = o.next_debit_date && o.next_debit_date < today ? ' (that date has passed: import a fresh export to see if it went through)' : ''
      return `${on}: one more failure ${when} and the AMC cancels it — fix the mandate or bank balance before then${passed}.`
    }
    if (o.ceased && (o.missed_instalments ?? 0) >= n) {
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
