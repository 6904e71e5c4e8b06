import type Database from 'better-sqlite3'
import type { Opportunity } from '../../shared/detection'
import { formatDate, formatInr } from '../../shared/format'
import {
  AGENT_KEY,
  CLIENT_VALUES,
  COMMON_COLUMNS,
  fromHits,
  IDS,
  LIVE_SIPS,
  round2,
  sipCount,
  type Detector,
  type DetectorParams,
} from './common'
import { LIVE_SIP } from '../db/sql'
import { missedInstalments, nextInstalment, scheduleOf, type SipDates } from './instalments'

const CANDIDATES_PER_PAGE = 10_000

interface Candidate extends Omit<SipDates, 'sip_days'> {
  /** The SIP's rowid: where the next page starts. */
  at: number
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
  // A page at a time (in table order, from where the last one ended): a big book's failing SIPs
  // would otherwise all be held in memory at once.
  const page = sqlite.prepare(
    `SELECT s.rowid AS at, s.sip_meta_id, s.user_id, ${AGENT_KEY} AS agent_key, s.monthly_amount, s.sip_days, s.latest_success_order_date,
       s.start_date, s.end_date, s.paused_from, s.paused_till
     FROM ${LIVE_SIPS} WHERE s.rowid > ? AND ${LIVE_SIP} AND s.is_active = 1 AND s.current_sip_status = 'Failed'
     ORDER BY s.rowid LIMIT ${CANDIDATES_PER_PAGE}`,
  )
  sqlite.exec('DROP TABLE IF EXISTS temp.hits')
  sqlite.exec(`CREATE TEMP TABLE hits (sip_meta_id TEXT, user_id TEXT, agent_key TEXT, monthly_amount REAL, annual_value REAL,
    missed INTEGER, next_debit TEXT)`)
  const insert = sqlite.prepare('INSERT INTO temp.hits VALUES (?, ?, ?, ?, ?, ?, ?)')
  for (let candidates = page.all(0) as Candidate[]; candidates.length > 0; candidates = page.all(candidates.at(-1)!.at) as Candidate[])
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
         coalesce(max(CASE WHEN s.missed < :auto_cancel_after THEN s.missed END), 0) AS below,
         json_group_object(s.sip_meta_id, s.missed) AS sips_missed
       FROM temp.hits s GROUP BY s.user_id, s.agent_key)
     INSERT INTO opportunities (${COMMON_COLUMNS}, missed_instalments, final_warning, ceased, next_debit_date, sips_missed)
     SELECT 'auto_cancel_risk', r.user_id, r.agent_key, t.agent_id, r.ids, r.monthly, 12 * r.monthly, 12 * r.monthly, ${CLIENT_VALUES},
       ${round2('CASE WHEN r.final_warning THEN 10 ELSE max(CASE WHEN r.ceased THEN 6 ELSE 0 END, 10.0 * r.below / (:auto_cancel_after - 1)) END')},
       r.missed, r.final_warning, r.ceased, CASE WHEN r.final_warning THEN r.warning_debit ELSE r.next_debit END, r.sips_missed
     FROM risk r JOIN client_totals t ON t.user_id = r.user_id AND t.agent_key = r.agent_key`,
  )
}

type Standing = 'ceased' | 'warning' | 'earlier'

interface StandingGroup {
  standing: Standing
  ids: string[]
  /** The largest and smallest count of missed instalments among `ids`. */
  missed: number
  fewest: number
}

/**
 * A client's SIPs can stand differently (one past the limit, one a failure short of it): each
 * standing with its SIPs and their counts, in the order they are told — most urgent first.
 */
export function standings(o: Opportunity, n: number): StandingGroup[] {
  const of = (missed: number): Standing => (missed >= n ? 'ceased' : missed === n - 1 ? 'warning' : 'earlier')
  const groups = new Map<Standing, StandingGroup>()
  for (const id of o.sip_meta_ids) {
    const missed = o.sips_missed?.[id] ?? o.missed_instalments ?? 0
    const standing = of(missed)
    const group = groups.get(standing) ?? { standing, ids: [], missed, fewest: missed }
    groups.set(standing, {
      standing,
      ids: [...group.ids, id],
      missed: Math.max(group.missed, missed),
      fewest: Math.min(group.fewest, missed),
    })
  }
  return (['warning', 'ceased', 'earlier'] as const).flatMap((standing) => groups.get(standing) ?? [])
}

/** A group's count of missed instalments, `30`, or `4 to 30` when its SIPs have missed different numbers. */
const counted = ({ missed, fewest }: StandingGroup): string => (fewest === missed ? String(missed) : `${fewest} to ${missed}`)

/** `a SIP of ₹1,000 a month`, or `3 SIPs of ₹5,000 a month in all`. */
const sipsOf = (o: Opportunity): string =>
  `${sipCount(o.sip_meta_ids)} of ${formatInr(o.current_sip_amount)} a month${o.sip_meta_ids.length === 1 ? '' : ' in all'}`

const sipLabel = (ids: string[]): string => (ids.length === 1 ? `SIP ${ids[0]}` : `SIPs ${ids.join(', ')}`)
const it = (ids: readonly string[]): string => (ids.length === 1 ? 'it' : 'them')
const has = (ids: readonly string[]): string => (ids.length === 1 ? 'has' : 'have')

/** When the next debit is, and a note when that date has already passed (calendar). */
function debitWhen(o: Opportunity, today: string): { on: string; before: string; passed: string } {
  const date = o.next_debit_date
  return {
    on: date ? `on ${formatDate(date)}` : 'at the next debit',
    before: date ? ` before the next debit on ${formatDate(date)}` : '',
    passed: date && date < today ? ' (that date has passed: import a fresh export to see if it went through)' : '',
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
    const groups = standings(o, n)
    const { on: when, before, passed } = debitWhen(o, today)
    if (groups.length > 1) {
      // Each SIP is told as it stands, so no sentence contradicts another.
      const parts = groups.map((group) => {
        const { standing, ids } = group
        return standing === 'ceased'
          ? `${sipLabel(ids)} ${has(ids)} ${counted(group)} missed in a row — the AMC has probably cancelled ${it(ids)}, register again`
          : standing === 'warning'
            ? `${sipLabel(ids)} ${has(ids)} ${counted(group)} of ${n} missed — one more failure ${when} and the AMC cancels ${it(ids)}${passed}`
            : `${sipLabel(ids)} ${has(ids)} ${counted(group)} of ${n} missed — fix the mandate or bank balance before the next debit`
      })
      return `${sipsOf(o)}: ${parts.join('; ')}.`
    }
    // "2 of 3" counts down to the cancellation; past it, the count itself says how long it has been.
    const [only] = groups
    const missed = only.missed
    const count = missed < n ? `${counted(only)} of ${n} instalments missed` : `${counted(only)} instalments missed in a row`
    const on = `${count} on ${sipsOf(o)}`
    if (o.final_warning)
      return `${on}: one more failure ${when} and the AMC cancels ${it(o.sip_meta_ids)} — fix the mandate or bank balance before then${passed}.`
    if (o.ceased && missed >= n) {
      return `${on}: the AMC has probably cancelled ${it(o.sip_meta_ids)} — register ${o.sip_meta_ids.length === 1 ? 'the SIP' : 'them'} again to keep ${formatInr(o.annual_value)} a year going in.`
    }
    return `${on}: fix the mandate or bank balance${before}; after ${n} in a row the AMC cancels the SIP.`
  },
  talkingPoints: (o, { thresholds, today }) => {
    const n = thresholds.auto_cancel_after
    const groups = standings(o, n)
    const keep = `Keeping ${o.sip_meta_ids.length === 1 ? 'it' : 'them'} going is ${formatInr(o.annual_value)} a year invested.`
    if (groups.length > 1) {
      const { on: when } = debitWhen(o, today)
      return [
        ...groups.map((group) => {
          const { standing, ids } = group
          return standing === 'ceased'
            ? `${sipLabel(ids)}: ${counted(group)} in a row failed — probably cancelled already; register ${it(ids)} again with a working mandate.`
            : standing === 'warning'
              ? `${sipLabel(ids)}: ${counted(group)} of ${n} failed — one more failure ${when} and the AMC cancels ${it(ids)}; check the balance and mandate before then.`
              : `${sipLabel(ids)}: ${counted(group)} of ${n} failed; check the balance and mandate before the next debit.`
        }),
        keep,
      ]
    }
    const [only] = groups
    return [
      `${counted(only)} instalment${only.missed === 1 ? '' : 's'} in a row failed; the AMC cancels a SIP after ${n}.`,
      o.ceased
        ? 'The SIP has probably been cancelled: register it again with a working mandate.'
        : 'Check the bank balance and mandate before the next debit date.',
      keep,
    ]
  },
}
