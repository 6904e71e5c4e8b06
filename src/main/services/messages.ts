import type { ReadableDb } from '../db/open'
import type { ClientSip, Opportunity, OpportunityType } from '../../shared/detection'
import type { ResponseOf } from '../../shared/contract'
import { formatInr } from '../../shared/format'
import {
  CEASED_SENTENCE,
  clientDate,
  fillTemplate,
  GREETING,
  moreFunds,
  schemeList,
  SIGNATURE,
  templateProblem,
  WORDS,
  type Language,
  type Placeholder,
} from '../../shared/messages'
import { nextInstalment, scheduleOf } from '../detectors/instalments'
import { clientLanguage, getClient } from './clients'
import { dataAsOf, getSettings } from './settings'
import { localToday as today } from '../../shared/format'
import { allRows, sql } from '../db/sql'

type ClientMessages = ResponseOf<'messages:get'>

/** SPEC §8 item 1: the order the dialog offers a client's reasons in, most urgent first (reasons worth ₹0 go last). */
export const MESSAGE_ORDER: readonly OpportunityType[] = [
  'auto_cancel_risk',
  'sip_ending',
  'failed_sips',
  'high_value_inactive',
  'no_sip_increase',
]

/** What a message needs besides the opportunity and its template. */
export interface MessageContext {
  language: Language
  clientName: string | null
  advisorName: string
  /** Today's calendar date: no date in a message is before it. */
  today: string
  autoCancelAfter: number
}

type Composed = { text: string } | { reason: string }

const sum = (sips: ClientSip[]): number => sips.reduce((n, s) => n + s.monthly_amount, 0)
const earliest = (dates: (string | null)[]): string | null => dates.filter((d): d is string => d !== null).sort()[0] ?? null
const latest = (dates: (string | null)[]): string | null =>
  dates
    .filter((d): d is string => d !== null)
    .sort()
    .at(-1) ?? null
const nextDebit = (sip: ClientSip, from: string): string | null => nextInstalment(scheduleOf(sip), from)

/** The SIPs a message about `o` speaks of, and the figures only some types have; or why there is no message. */
function subject(
  o: Opportunity,
  missedOf: (s: ClientSip) => number,
  sips: ClientSip[],
  context: MessageContext,
): { sips: ClientSip[]; missed?: number; ceased?: ClientSip[]; endDate?: string } | { reason: string } {
  const own = sips.filter((s) => o.sip_meta_ids.includes(s.sip_meta_id) && !s.deleted)
  switch (o.type) {
    case 'failed_sips': {
      const failing = own.filter((s) => s.status === 'Failed' && s.is_active)
      return failing.length > 0 ? { sips: failing } : { reason: 'no SIP of this client is failing now: its failures are history' }
    }
    case 'auto_cancel_risk': {
      const n = context.autoCancelAfter
      const ceased = own.filter((s) => missedOf(s) >= n)
      const atRisk = own.filter((s) => missedOf(s) < n)
      // The message is about the SIPs nearest to cancellation; the ones past it are told as cancelled.
      const worst = Math.max(0, ...atRisk.map(missedOf))
      return { sips: atRisk.filter((s) => missedOf(s) === worst), missed: worst, ceased }
    }
    case 'sip_ending': {
      const ending = own.filter((s) => s.end_date !== null && s.end_date >= context.today)
      if (ending.length === 0) return { reason: `the SIP ended on ${clientDate(o.end_date ?? context.today, 'en')}` }
      // One SIP "ends on" its date; several "end by" the last of theirs.
      return { sips: ending, endDate: latest(ending.map((s) => s.end_date))! }
    }
    case 'no_sip_increase':
    case 'high_value_inactive':
      return { sips: own }
  }
}

/**
 * SPEC §5: the message about one opportunity, filled from its template for the SIPs it speaks of:
 * no past date, no ₹0, no unknown placeholder — or the reason there is no message.
 */
export function composeMessage(o: Opportunity, clientSips: ClientSip[], template: string, context: MessageContext): Composed {
  const problem = templateProblem(template)
  if (problem) return { reason: problem }
  const missedOf = (s: ClientSip): number => o.sips_missed?.[s.sip_meta_id] ?? o.missed_instalments ?? 0
  const about = subject(o, missedOf, clientSips, context)
  if ('reason' in about) return about
  const { language: lang } = context
  const words = WORDS[lang]
  const values = (text: string, sips: ClientSip[], missed: number): Record<Placeholder, string> | { reason: string } => {
    const used = (name: Placeholder): boolean => text.includes(`{${name}}`)
    const monthly = sum(sips)
    // The largest SIPs' schemes first: those are the ones named when there are more than three.
    const largestFirst = [...sips].sort((a, b) => b.monthly_amount - a.monthly_amount)
    const schemes = schemeList([
      ...new Set(largestFirst.flatMap((s) => (s.schemes.length > 0 ? s.schemes : s.goal_name ? [s.goal_name] : []))),
    ])
    const next = earliest(sips.map((s) => nextDebit(s, context.today)))
    const annual = o.type === 'no_sip_increase' || o.type === 'high_value_inactive' ? o.annual_value : 12 * monthly
    const stepUp = o.monthly_increase ?? 0
    const money = [
      ['amount', monthly],
      ['annual_value', annual],
      ['step_up_amount', stepUp],
    ] as const
    for (const [name, value] of money) if (used(name) && !(value > 0)) return { reason: `{${name}} would be ₹0` }
    if (used('next_debit_date') && !next) return { reason: 'no debit is due from today on' }
    const end = about.endDate ?? earliest(sips.map((s) => s.end_date).filter((d) => d !== null && d >= context.today))
    if (used('end_date') && !end) return { reason: 'no end date from today on' }
    return {
      client_name: context.clientName ? words.named(context.clientName) : words.noName,
      advisor_name: context.advisorName,
      amount: formatInr(monthly),
      annual_value: formatInr(annual),
      scheme:
        schemes.names.length > 0
          ? [...schemes.names, ...(schemes.more > 0 ? [moreFunds(schemes.more, lang)] : [])].join(', ')
          : words.yourSip,
      sip_id: sips.map((s) => s.sip_meta_id).join(', '),
      next_debit_date: next ? clientDate(next, lang) : '',
      end_date: end ? clientDate(end, lang) : '',
      step_up_amount: formatInr(stepUp),
      missed: words.instalments(missed),
      failures_left: words.left(Math.max(1, context.autoCancelAfter - missed)),
    }
  }
  // A SIP without a scheme or goal name leaves out "(…)" rather than print "(your SIP)".
  const fill = (text: string, sips: ClientSip[], missed: number): Composed => {
    const filled = values(text, sips, missed)
    if ('reason' in filled) return filled
    const bare = filled.scheme === words.yourSip ? text.replace(/\s*\(\{scheme\}\)/g, '') : text
    return { text: fillTemplate(bare, filled, sips.length) }
  }

  const ceased = about.ceased ?? []
  // One sentence per count of missed instalments, so each SIP is told its own.
  const counts = [...new Set(ceased.map(missedOf))].sort((a, b) => a - b)
  const cancelled = counts.map((m) =>
    fill(
      CEASED_SENTENCE[lang],
      ceased.filter((s) => missedOf(s) === m),
      m,
    ),
  )
  if (about.sips.length === 0) {
    // Every SIP is past the limit: no debit is coming, so the template's "one more failure" would be false.
    const sentences = cancelled.flatMap((c) => ('text' in c ? [c.text] : []))
    if (sentences.length === 0) return { reason: 'no SIP of this client is at risk now' }
    // The greeting's one rule: a comma, then the message in lower case.
    const [first, ...rest] = sentences.join(' ')
    return fill(`${GREETING[lang]}${first.toLowerCase()}${rest.join('')}${SIGNATURE}`, ceased, 0)
  }
  const main = fill(template, about.sips, about.missed ?? 0)
  if ('reason' in main || cancelled.length === 0) return main
  const extra = cancelled.flatMap((c) => ('text' in c ? [c.text] : [])).join(' ')
  // The cancelled SIPs are told before the signature when the template ends with one.
  const signature = fillTemplate(SIGNATURE, { advisor_name: context.advisorName } as Record<Placeholder, string>)
  return main.text.endsWith(signature)
    ? { text: `${main.text.slice(0, -signature.length)} ${extra}${signature}` }
    : { text: `${main.text} ${extra}` }
}

/** The client's active opportunities in the dialog's order: most urgent type first, those worth ₹0 a year last. */
const inMessageOrder = (opportunities: Opportunity[]): Opportunity[] =>
  opportunities
    .filter((o) => o.status === 'open' || o.status === 'contacted')
    .sort(
      (a, b) => Number(a.annual_value <= 0) - Number(b.annual_value <= 0) || MESSAGE_ORDER.indexOf(a.type) - MESSAGE_ORDER.indexOf(b.type),
    )

/** Whole days from `from` to `to` (ISO dates). */
const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

/**
 * SPEC §5/§6: the messages a client can be sent about its active opportunities — what the app's
 * message dialog offers and what `partner-dashboard message` prints: this one function for both.
 */
export function clientMessages(
  db: ReadableDb,
  request: { user_id: string; agent_external_id?: string | null; language?: Language },
): ClientMessages {
  const client = getClient(db, { user_id: request.user_id, agent_external_id: request.agent_external_id })
  const settings = getSettings(db)
  const clientLang = clientLanguage(db, client.user_id, client.agent_external_id)
  const language = request.language ?? clientLang
  const advisorName = settings.advisor.name
  const now = today()
  const dataDate = dataAsOf(db)
  const context = {
    language,
    clientName: client.name,
    advisorName: advisorName ?? '',
    today: now,
    autoCancelAfter: settings.thresholds.auto_cancel_after,
  }
  return {
    user_id: client.user_id,
    agent_external_id: client.agent_external_id,
    client_language: clientLang,
    language,
    advisor_missing: !advisorName,
    data_age_days: dataDate ? daysBetween(dataDate, now) : null,
    messages: inMessageOrder(client.opportunities).map((o) => {
      if (!advisorName) return { type: o.type, text: null, reason: 'add your name first (Settings → Advisor profile)' }
      const composed = composeMessage(o, client.sips, settings.templates[language][o.type], context)
      return { type: o.type, text: 'text' in composed ? composed.text : null, reason: 'reason' in composed ? composed.reason : null }
    }),
  }
}

/** SPEC §5: Settings' preview: `template` filled for a real client of the book with that reason (the first whose message can be sent). */
export function previewMessage(
  db: ReadableDb,
  request: { type: OpportunityType; language: Language; template: string },
): ResponseOf<'messages:preview'> {
  const problem = templateProblem(request.template)
  if (problem) return { client: null, text: null, reason: problem }
  const candidates = allRows<{ user_id: string; agent_external_id: string }>(
    db.sqlite,
    sql`SELECT o.user_id, o.agent_external_id FROM opportunities o
        LEFT JOIN follow_ups f ON f.type = o.type AND f.user_id = o.user_id AND f.agent_external_id = o.agent_external_id
        WHERE o.type = ${request.type} AND coalesce(f.state, 'open') IN ('open', 'contacted')
        ORDER BY o.annual_value DESC, o.user_id LIMIT 20`,
  )
  if (candidates.length === 0) return { client: null, text: null, reason: 'no client of the book has this reason now' }
  const settings = getSettings(db)
  let first: ResponseOf<'messages:preview'> | null = null
  for (const candidate of candidates) {
    const client = getClient(db, { user_id: candidate.user_id, agent_external_id: candidate.agent_external_id })
    const o = client.opportunities.find((x) => x.type === request.type)
    if (!o) continue
    const composed = composeMessage(o, client.sips, request.template, {
      language: request.language,
      clientName: client.name,
      advisorName: settings.advisor.name ?? '(your name)',
      today: today(),
      autoCancelAfter: settings.thresholds.auto_cancel_after,
    })
    const preview = {
      client: client.name ?? client.user_id,
      ...('text' in composed ? { text: composed.text, reason: null } : { text: null, reason: composed.reason }),
    }
    if (preview.text) return preview
    first ??= preview
  }
  return first ?? { client: null, text: null, reason: 'no client of the book has this reason now' }
}
