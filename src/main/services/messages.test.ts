import { beforeAll, describe, expect, it } from 'vitest'
import { importFile } from '../import/importer'
import { openDb, type Db } from '../db/open'
import { generatedExport, scratch } from '../testing/support'
import { FOLLOW_UP_STATES, OPPORTUNITY_TYPES, type ClientSip, type Opportunity } from '../../shared/detection'
import { DEFAULT_TEMPLATES, LANGUAGES, type Language } from '../../shared/messages'
import { autoCancelRisk } from '../detectors/autoCancelRisk'
import { DEFAULT_THRESHOLDS } from '../../shared/detection'
import { getClient, setClientLanguage } from './clients'
import { refreshIfStale } from './derived'
import { clientMessages, composeMessage } from './messages'
import { listOpportunities } from './opportunities'
import { updateSettings } from './settings'
import { formatInr, localToday as today } from '../../shared/format'
import { listToday } from './today'

const MONTHS: Record<string, number> = {
  Jan: 1,
  Feb: 2,
  Mar: 3,
  Apr: 4,
  May: 5,
  Jun: 6,
  Jul: 7,
  Aug: 8,
  Sep: 9,
  Oct: 10,
  Nov: 11,
  Dec: 12,
  जनवरी: 1,
  फ़रवरी: 2,
  मार्च: 3,
  अप्रैल: 4,
  मई: 5,
  जून: 6,
  जुलाई: 7,
  अगस्त: 8,
  सितंबर: 9,
  अक्तूबर: 10,
  नवंबर: 11,
  दिसंबर: 12,
}

/** Every calendar date a text carries (`5 Feb 2026`, `5 फ़रवरी 2026`), as ISO dates. */
const datesIn = (text: string): string[] =>
  [...text.matchAll(/(\d{1,2}) (\S+) (\d{4})/g)].map(([whole, d, m, y]) => {
    expect(MONTHS[m], `a month name in "${whole}"`).toBeDefined()
    return `${y}-${String(MONTHS[m]).padStart(2, '0')}-${d.padStart(2, '0')}`
  })

describe('messages for the clients of a generated book (SPEC §5)', () => {
  const tmp = scratch()
  let db: Db
  let clients: { user_id: string; agent_external_id: string | null }[]
  beforeAll(async () => {
    db = openDb(tmp.file('book.sqlite'))
    const clientsPath = tmp.file('clients.json')
    await importFile(db.sqlite, await generatedExport(tmp.dir, 'sips.json', { sips: 600, seed: 2121, clientsPath }))
    await importFile(db.sqlite, clientsPath)
    refreshIfStale(db)
    const all = listOpportunities(db, { limit: 1000, states: [...FOLLOW_UP_STATES], show_snoozed: true }).rows
    clients = [...new Map(all.map((o) => [`${o.user_id}|${o.agent_external_id}`, o])).values()]
    return () => {
      db.close()
      tmp.cleanup()
    }
  })

  it('waits for the advisor name instead of signing "your advisor"', () => {
    const answer = clientMessages(db, clients[0])
    expect(answer.advisor_missing).toBe(true)
    expect(answer.messages.every((m) => m.text === null)).toBe(true)
  })

  it('fills every type in both languages with no past date, no placeholder, no ₹0, and a failed-SIPs message only for a SIP failing now', () => {
    updateSettings(db, { advisor: { name: 'Anita Desai' } })
    const now = today()
    const filled: Record<string, number> = {}
    const refused: Record<string, number> = {}
    // As of the data's date (SIPs ending then have ended by now: no message) and as of today (they end ahead).
    for (const mode of ['data', 'today'] as const) {
      updateSettings(db, { as_of_mode: mode })
      refreshIfStale(db)
      const all = listOpportunities(db, { limit: 1000, states: [...FOLLOW_UP_STATES], show_snoozed: true }).rows
      // Issue #21: 117 descriptions read "₹0 a year is not going in".
      for (const o of all) for (const line of [o.description, ...o.talking_points]) expect(line).not.toMatch(/₹0 a year/)
      const clients = [...new Map(all.map((o) => [`${o.user_id}|${o.agent_external_id}`, o])).values()]
      for (const client of clients) {
        const detail = getClient(db, client)
        for (const lang of LANGUAGES) {
          const answer = clientMessages(db, { ...client, language: lang })
          for (const m of answer.messages) {
            const o = detail.opportunities.find((x) => x.type === m.type)!
            const own = detail.sips.filter((s) => o.sip_meta_ids.includes(s.sip_meta_id))
            if (m.type === 'failed_sips') {
              // Re-implemented: a message only when one of its SIPs is Failed and active now.
              expect(m.text !== null, `${client.user_id} failed_sips`).toBe(
                own.some((s) => s.status === 'Failed' && s.is_active && !s.deleted),
              )
            }
            if (m.type === 'sip_ending' && own.every((s) => !s.end_date || s.end_date < now)) expect(m.text).toBeNull()
            if (m.text === null) {
              refused[m.type] = (refused[m.type] ?? 0) + 1
              expect(m.reason).toBeTruthy()
              continue
            }
            filled[`${m.type}.${lang}`] = (filled[`${m.type}.${lang}`] ?? 0) + 1
            expect(m.text).not.toMatch(/\{[^}]*\}/)
            expect(m.text).not.toMatch(/₹0(?![\d,])/)
            expect(m.text).not.toMatch(/your advisor|Add your name/i)
            expect(m.text).toContain('Anita Desai')
            for (const date of datesIn(m.text)) expect(date >= now, `${date} in "${m.text}"`).toBe(true)
            // One greeting rule: "Hello Ravi, the …", never "Hello there." in one message and "Hello there," in another.
            const name = detail.name ? (lang === 'hi' ? `${detail.name} जी` : detail.name) : lang === 'hi' ? 'जी' : 'there'
            expect(m.text.startsWith(`${lang === 'hi' ? 'नमस्ते' : 'Hello'} ${name}, `), m.text).toBe(true)
            if (lang === 'en') expect(m.text.slice(`Hello ${name}, `.length)).toMatch(/^[a-z]/)
          }
        }
      }
    }
    updateSettings(db, { as_of_mode: 'data' })
    refreshIfStale(db)
    console.log('messages filled per type and language:', JSON.stringify(filled), 'refused:', JSON.stringify(refused))
    for (const type of OPPORTUNITY_TYPES)
      for (const lang of LANGUAGES) expect(filled[`${type}.${lang}`] ?? 0, `${type}.${lang}`).toBeGreaterThan(0)
  }, 180_000)

  it('offers from each Today row a message about each of its reasons, for the ₹ a year the row shows', () => {
    updateSettings(db, { advisor: { name: 'Anita Desai' } })
    const rows = listToday(db, { limit: 60 }).rows
    const named: Record<string, number> = {}
    for (const row of rows) {
      // What Today's message dialog offers: the client's messages about the row's reasons.
      const offered = clientMessages(db, row).messages.filter((m) => row.reasons.some((r) => r.type === m.type))
      expect(offered.map((m) => m.type).sort()).toEqual(row.reasons.map((r) => r.type).sort())
      for (const reason of row.reasons) {
        const text = offered.find((m) => m.type === reason.type)!.text
        const perMonth = formatInr(reason.annual_value / 12)
        if (text === null || reason.annual_value === 0) continue
        // Re-implemented: a failed-SIPs message names the failing SIPs' month, a step-up the increase a month.
        if (reason.type === 'failed_sips') expect(text).toContain(`of ${perMonth} a month`)
        else if (reason.type === 'no_sip_increase') expect(text).toContain(`by ${perMonth} a month`)
        else continue
        named[reason.type] = (named[reason.type] ?? 0) + 1
      }
    }
    expect(Object.keys(named).sort()).toEqual(['failed_sips', 'no_sip_increase'])
  })

  it('writes to a client in the language set on its page, which a re-import leaves alone', async () => {
    const client = clients[1]
    expect(clientMessages(db, client).language).toBe('en')
    setClientLanguage(db, { ...client, language: 'hi' })
    await importFile(db.sqlite, await generatedExport(tmp.dir, 'month2.json', { sips: 600, seed: 2121, month: 2 }))
    refreshIfStale(db)
    const answer = clientMessages(db, client)
    expect(answer).toMatchObject({ client_language: 'hi', language: 'hi' })
    expect(getClient(db, client).language).toBe('hi')
    expect(clientMessages(db, { ...client, language: 'en' }).language).toBe('en')
  })
})

describe('a client whose SIPs stand differently (SPEC §3.4a, §5)', () => {
  const sip = (id: string, schemes: string[], monthly: number): ClientSip => ({
    sip_meta_id: id,
    schemes,
    amount: monthly,
    sip_days: [10],
    monthly_amount: monthly,
    end_date: null,
    status: 'Failed',
    is_active: true,
    deleted: false,
    start_date: '2023-01-10',
    latest_success_order_date: '2025-11-10',
    success_amount: 50_000,
    failed_amount: 10_000,
    success_count: 10,
    increment_percentage: null,
    increment_period: null,
    has_current_mandate: true,
    agent_external_id: 'ag',
    goal_name: 'Retirement',
    paused_from: null,
    paused_till: null,
  })
  const sips = [sip('1', ['Parag Parikh Flexi Cap Fund (G)'], 5000), sip('2', [], 2000)]
  const opportunity: Opportunity = {
    type: 'auto_cancel_risk',
    user_id: 'u',
    client_name: 'Ravi',
    agent_id: null,
    agent_external_id: 'ag',
    agent_name: null,
    phone_number: null,
    potential_value: 84_000,
    total_invested: 100_000,
    failed_amount: 20_000,
    last_activity_date: '2025-11-10',
    days_since_activity: 60,
    score: 10,
    description: '',
    talking_points: [],
    status: 'open',
    next_action_date: null,
    sip_meta_ids: ['1', '2'],
    current_sip_amount: 7000,
    annual_value: 84_000,
    missed_instalments: 7,
    final_warning: true,
    ceased: true,
    next_debit_date: '2026-02-10',
    sips_missed: { '1': 2, '2': 7 },
  }
  const context = (language: Language) => ({
    language,
    clientName: 'Ravi',
    advisorName: 'Anita Desai',
    today: '2026-12-07',
    autoCancelAfter: 3,
  })

  it("gives the counts of SIPs that stand alike but missed different numbers as a range, never one SIP's count for all", () => {
    const texts = { thresholds: DEFAULT_THRESHOLDS, today: '2026-12-07' }
    const three = { ...opportunity, sip_meta_ids: ['1', '2', '3'], missed_instalments: 30, sips_missed: { '1': 2, '2': 7, '3': 30 } }
    expect(autoCancelRisk.describe(three, texts)).toMatch(
      /^3 SIPs of ₹7,000 a month in all: SIP 1 has 2 of 3 missed .*; SIPs 2, 3 have 7 to 30 missed in a row — the AMC has probably cancelled them/,
    )
    expect(autoCancelRisk.talkingPoints(three, texts)[1]).toMatch(/^SIPs 2, 3: 7 to 30 in a row failed/)
    const ceased = { ...opportunity, final_warning: false, missed_instalments: 30, sips_missed: { '1': 4, '2': 30 } }
    expect(autoCancelRisk.describe(ceased, texts)).toMatch(
      /^4 to 30 instalments missed in a row on 2 SIPs of ₹7,000 a month in all: the AMC has probably cancelled them/,
    )
    expect(autoCancelRisk.talkingPoints(ceased, texts)[0]).toMatch(/^4 to 30 instalments in a row failed/)
  })

  it('tells each SIP as it stands, in the description, the talking points and the message alike', () => {
    const texts = { thresholds: DEFAULT_THRESHOLDS, today: '2026-12-07' }
    const description = autoCancelRisk.describe(opportunity, texts)
    expect(description).toMatch(/SIP 1 has 2 of 3 missed — one more failure on 10 Feb 2026 and the AMC cancels it/)
    expect(description).toMatch(/SIP 2 has 7 missed in a row — the AMC has probably cancelled it/)
    const points = autoCancelRisk.talkingPoints(opportunity, texts)
    expect(points[0]).toMatch(/^SIP 1: 2 of 3 failed — one more failure/)
    expect(points[1]).toMatch(/^SIP 2: 7 in a row failed — probably cancelled/)
    const en = composeMessage(
      opportunity,
      sips,
      'Hello {client_name}, the last {missed} of your SIP of {amount} a month ({scheme}) did not go through. After {failures_left}, the fund house cancels the SIP; the next debit is on {next_debit_date}. — {advisor_name}',
      context('en'),
    )
    expect(en).toEqual({
      text:
        'Hello Ravi, the last 2 instalments of your SIP of ₹5,000 a month (Parag Parikh Flexi Cap Fund (G)) did not go through. After one more failure, the fund house cancels the SIP; the next debit is on 10 Dec 2026. ' +
        'Your SIP of ₹2,000 a month (Retirement) has missed the last 7 instalments, so the fund house has probably cancelled it; we can register it again with a working mandate. — Anita Desai',
    })
  })

  it('agrees in number with the SIPs it names, in every template and both languages, naming at most three schemes then "+k more funds"', () => {
    const four = ['A', 'B', 'C', 'D'].map((id, i) => ({ ...sip(id, [`Fund ${id}`], 1000 * (i + 1)), end_date: '2027-01-10' }))
    const about = (type: Opportunity['type'], ids: string[]): Opportunity => ({
      ...opportunity,
      type,
      sip_meta_ids: ids,
      missed_instalments: 2,
      ceased: false,
      sips_missed: Object.fromEntries(ids.map((id) => [id, 2])),
      monthly_increase: 500,
      end_date: '2027-01-10',
    })
    const text = (type: Opportunity['type'], ids: string[], lang: Language): string => {
      const composed = composeMessage(about(type, ids), four, DEFAULT_TEMPLATES[lang][type], context(lang))
      if (!('text' in composed)) throw new Error(`${type} ${lang}: ${composed.reason}`)
      return composed.text
    }
    expect(text('failed_sips', ['A'], 'en')).toBe(
      'Hello Ravi, the latest instalment of your SIP of ₹1,000 a month (Fund A) did not go through. Could you check the bank mandate and balance? I can help set up a new mandate. — Anita Desai',
    )
    expect(text('failed_sips', ['A', 'B', 'C', 'D'], 'en')).toBe(
      'Hello Ravi, the latest instalments of your SIPs of ₹10,000 a month in all (Fund D, Fund C, Fund B, +1 more fund) did not go through. Could you check the bank mandate and balance? I can help set up a new mandate. — Anita Desai',
    )
    expect(text('auto_cancel_risk', ['A', 'B'], 'en')).toMatch(
      /^Hello Ravi, the last 2 instalments of your SIPs of ₹3,000 a month in all \(Fund B, Fund A\) did not go through\. After one more failure, the fund house cancels them;/,
    )
    expect(text('failed_sips', ['A', 'B', 'C', 'D'], 'hi')).toMatch(
      /^नमस्ते Ravi जी, आपकी कुल ₹10,000 महीने की SIP \(Fund D, Fund C, Fund B, \+1 और फ़ंड\) की पिछली किस्तें नहीं कट पाईं।/,
    )
    expect(text('sip_ending', ['A', 'B'], 'hi')).toMatch(/तक पूरी हो जाएँगी। क्या इन्हें रिन्यू कर दें/)
    expect(text('sip_ending', ['A'], 'hi')).toMatch(/को पूरी हो रही है। क्या इसे रिन्यू कर दें/)
    for (const type of OPPORTUNITY_TYPES) {
      const one = text(type, ['A'], 'en')
      const several = text(type, ['A', 'B', 'C'], 'en')
      expect(one, one).not.toMatch(/\bSIPs\b|\bthem\b|in all/)
      expect(several, several).not.toMatch(/your SIP\b(?!s)(?! instalment)|\bthe SIP\b|\bit\b(?! has been)|\bhas run\b|\bends on\b/)
      const hiOne = text(type, ['A'], 'hi')
      const hiSeveral = text(type, ['A', 'B', 'C'], 'hi')
      expect(hiOne, hiOne).not.toMatch(/कुल|हैं|इन्हें|इनमें|ये SIP/)
      if (type !== 'high_value_inactive') expect(hiSeveral, hiSeveral).toMatch(/कुल/)
      expect(hiSeveral, hiSeveral).not.toMatch(/रही है।|इसे|इसमें|यह SIP|किस्त नहीं कट पाई।/)
    }
  })

  it('tells SIPs all past the limit with the same greeting rule and in the plural', () => {
    const past = { ...opportunity, sips_missed: { '1': 7, '2': 7 } }
    expect(composeMessage(past, sips, DEFAULT_TEMPLATES.en.auto_cancel_risk, context('en'))).toEqual({
      text: 'Hello Ravi, your SIPs of ₹7,000 a month in all (Parag Parikh Flexi Cap Fund (G), Retirement) have missed the last 7 instalments, so the fund house has probably cancelled them; we can register them again with a working mandate. — Anita Desai',
    })
    expect(composeMessage(past, sips, DEFAULT_TEMPLATES.hi.auto_cancel_risk, context('hi'))).toEqual({
      text: 'नमस्ते Ravi जी, आपकी कुल ₹7,000 महीने की SIP (Parag Parikh Flexi Cap Fund (G), Retirement) की पिछली 7 किस्तों का भुगतान नहीं हुआ, इसलिए फ़ंड हाउस ने शायद इन्हें बंद कर दिया है। चालू मैंडेट के साथ हम इन्हें दोबारा रजिस्टर करवा सकते हैं। — Anita Desai',
    })
  })
})
