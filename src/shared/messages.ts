import type { OpportunityType } from './detection'

/**
 * SPEC §5: the messages a client reads — templates per type and language, their placeholders, the
 * check a template passes before it is saved, and the rules for the links that send them.
 */

export const LANGUAGES = ['en', 'hi'] as const
export type Language = (typeof LANGUAGES)[number]
export const LANGUAGE_LABELS: Record<Language, string> = { en: 'English', hi: 'हिन्दी (Hindi)' }

export const PLACEHOLDERS = [
  'client_name',
  'advisor_name',
  'amount',
  'annual_value',
  'scheme',
  'sip_id',
  'next_debit_date',
  'end_date',
  'step_up_amount',
  'missed',
  'failures_left',
] as const
export type Placeholder = (typeof PLACEHOLDERS)[number]

/** What each placeholder stands for, for the template editor. */
export const PLACEHOLDER_HINTS: Record<Placeholder, string> = {
  client_name: "the client's name",
  advisor_name: 'your name (Settings → Advisor profile)',
  amount: 'the SIP amount a month',
  annual_value: 'the same, a year',
  scheme: 'the scheme names (the goal name when a SIP has none)',
  sip_id: 'the SIP ids',
  next_debit_date: 'the next debit on or after today',
  end_date: 'the date the SIP ends',
  step_up_amount: 'the suggested increase a month',
  missed: 'instalments missed in a row, with the word ("2 instalments"; "instalment" for one)',
  failures_left: 'failures left before the fund house cancels ("one more failure")',
}

/**
 * One rule for how every message to a client opens: the greeting, a comma, the message in lower
 * case ("Hello Ravi, the latest …", "Hello there, your SIP …").
 */
export const GREETING: Record<Language, string> = {
  en: 'Hello {client_name}, ',
  hi: 'नमस्ते {client_name}, ',
}
export const SIGNATURE = ' — {advisor_name}'

/**
 * Templates agree in number with the SIPs they name: `{one|several}` is filled with the words
 * before the bar for one SIP and those after it for several (`your {SIP|SIPs}`).
 */
export const DEFAULT_TEMPLATES: Record<Language, Record<OpportunityType, string>> = {
  en: {
    no_sip_increase: `${GREETING.en}your {SIP|SIPs} of {amount} a month{| in all} {has|have} run steadily without an increase. Raising {it|them} by {step_up_amount} a month{| in all} keeps your goals on track with rising costs. Shall we set up a step-up?${SIGNATURE}`,
    failed_sips: `${GREETING.en}the latest {instalment|instalments} of your {SIP|SIPs} of {amount} a month{| in all} ({scheme}) did not go through. Could you check the bank mandate and balance? I can help set up a new mandate.${SIGNATURE}`,
    high_value_inactive: `${GREETING.en}it has been a while since your last SIP instalment. Could we find 15 minutes to review your portfolio and goals?${SIGNATURE}`,
    auto_cancel_risk: `${GREETING.en}the last {missed} of your {SIP|SIPs} of {amount} a month{| in all} ({scheme}) did not go through. After {failures_left}, the fund house cancels {the SIP|them}; the next debit is on {next_debit_date}. Please check the bank mandate and balance before then.${SIGNATURE}`,
    sip_ending: `${GREETING.en}your {SIP|SIPs} of {amount} a month{| in all} ({scheme}) {ends on|end by} {end_date}. Shall we renew {it|them}, perhaps with a small step-up, so no month is missed?${SIGNATURE}`,
  },
  hi: {
    no_sip_increase: `${GREETING.hi}आपकी {|कुल }{amount} महीने की SIP बिना किसी बढ़ोतरी के नियमित {चल रही है|चल रही हैं}। अगर {इसमें|इनमें} हर महीने {|कुल }{step_up_amount} और जोड़ दें, तो बढ़ती महँगाई के बीच भी आपके लक्ष्य सही राह पर बने रहेंगे। क्या आपकी SIP में स्टेप-अप लगा दें?${SIGNATURE}`,
    failed_sips: `${GREETING.hi}आपकी {|कुल }{amount} महीने की SIP ({scheme}) की पिछली {किस्त नहीं कट पाई|किस्तें नहीं कट पाईं}। कृपया एक बार अपना बैंक मैंडेट और खाते का बैलेंस देख लें। ज़रूरत हो तो नया मैंडेट बनवाने में हम मदद करेंगे।${SIGNATURE}`,
    high_value_inactive: `${GREETING.hi}आपकी SIP की पिछली किस्त को काफ़ी समय हो गया है। क्या हम 15 मिनट निकालकर आपके पोर्टफ़ोलियो और लक्ष्यों पर एक बार बात कर लें?${SIGNATURE}`,
    auto_cancel_risk: `${GREETING.hi}आपकी {|कुल }{amount} महीने की SIP ({scheme}) की पिछली {missed} का भुगतान नहीं हो पाया। {failures_left} न कटने पर फ़ंड हाउस {यह SIP|ये SIP} बंद कर देगा। अगली किस्त {next_debit_date} को कटेगी — कृपया उससे पहले बैंक मैंडेट और बैलेंस ज़रूर देख लें।${SIGNATURE}`,
    sip_ending: `${GREETING.hi}आपकी {|कुल }{amount} महीने की SIP ({scheme}) {end_date} {को पूरी हो रही है|तक पूरी हो जाएँगी}। क्या {इसे|इन्हें} रिन्यू कर दें, हो सके तो थोड़े स्टेप-अप के साथ, ताकि बीच में कोई महीना न छूटे?${SIGNATURE}`,
  },
}

/**
 * Words a filled message needs besides the placeholders, per language: a SIP that is probably
 * cancelled already (SPEC §3.4a `ceased`) is told so, never "one more failure and …".
 */
export const CEASED_SENTENCE: Record<Language, string> = {
  en: 'Your {SIP|SIPs} of {amount} a month{| in all} ({scheme}) {has|have} missed the last {missed}, so the fund house has probably cancelled {it|them}; we can register {it|them} again with a working mandate.',
  hi: 'आपकी {|कुल }{amount} महीने की SIP ({scheme}) की पिछली {missed} का भुगतान नहीं हुआ, इसलिए फ़ंड हाउस ने शायद {इसे|इन्हें} बंद कर दिया है। चालू मैंडेट के साथ हम {इसे|इन्हें} दोबारा रजिस्टर करवा सकते हैं।',
}

/** SPEC §8 item 14: scheme names shown before "+k more funds". */
const MAX_SCHEMES = 3

/** A list of scheme names as a client reads it: the first three, then how many more (SPEC §8 item 14). */
export function schemeList(names: string[]): { names: string[]; more: number } {
  return { names: names.slice(0, MAX_SCHEMES), more: Math.max(0, names.length - MAX_SCHEMES) }
}

/** "+2 more funds", "+1 और फ़ंड". */
export const moreFunds = (k: number, lang: Language): string => (lang === 'hi' ? `+${k} और फ़ंड` : `+${k} more fund${k === 1 ? '' : 's'}`)

/** Words that fill placeholders, per language. */
export const WORDS: Record<
  Language,
  { noName: string; named: (name: string) => string; yourSip: string; instalments: (n: number) => string; left: (n: number) => string }
> = {
  en: {
    noName: 'there',
    named: (name) => name,
    yourSip: 'your SIP',
    instalments: (n) => (n === 1 ? 'instalment' : `${n} instalments`),
    left: (n) => (n === 1 ? 'one more failure' : `${n} more failures`),
  },
  hi: {
    noName: 'जी',
    named: (name) => `${name} जी`,
    yourSip: 'आपकी SIP',
    instalments: (n) => (n === 1 ? 'किस्त' : `${n} किस्तों`),
    left: (n) => (n === 1 ? 'एक और किस्त' : `${n} और किस्तें`),
  },
}

const monthYear: Record<Language, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-IN', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
  hi: new Intl.DateTimeFormat('hi-IN', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
}

/** A calendar date as a client reads it: `5 Feb 2026`, `5 फ़रवरी 2026`. */
export const clientDate = (date: string, lang: Language): string => monthYear[lang].format(new Date(`${date.slice(0, 10)}T00:00:00Z`))

const PLACEHOLDER = /\{([^{}]*)\}/g

/**
 * Why a template cannot be saved (an unknown placeholder, named with the known ones, or a choice
 * that is not `{one|several}`), or null when it can.
 */
export function templateProblem(template: string): string | null {
  const names = [...template.matchAll(PLACEHOLDER)].map((m) => m[1])
  const choice = names.find((name) => name.includes('|') && name.split('|').length !== 2)
  if (choice !== undefined) return `{${choice}} is not a choice: write {words for one SIP|words for several}`
  const unknown = names.filter((name) => !name.includes('|') && !(PLACEHOLDERS as readonly string[]).includes(name))
  if (unknown.length === 0) return null
  const list = [...new Set(unknown)].map((name) => `{${name}}`).join(', ')
  return `unknown placeholder${unknown.length === 1 ? '' : 's'} ${list}; the known ones are ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`
}

/** A template filled for `sips` SIPs: placeholders replaced by their values, each `{one|several}` by the form that agrees. */
export function fillTemplate(template: string, values: Record<Placeholder, string>, sips = 1): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (name.includes('|')) return name.split('|')[sips === 1 ? 0 : 1]
    return (PLACEHOLDERS as readonly string[]).includes(name) ? values[name as Placeholder] : whole
  })
}

/** SPEC §5: an ARN prints as `ARN-123456` whether typed `123456`, `ARN 123456` or `arn-123456`. */
export const formatArn = (arn: string): string => {
  const code = arn.trim().replace(/^ARN[\s-]*/i, '')
  return `ARN-${code.toUpperCase()}`
}

/** SPEC §5: a EUIN prints as `E123456` whether typed `123456` or `e123456`. */
export const formatEuin = (euin: string): string =>
  `E${euin
    .trim()
    .replace(/^E[\s-]*/i, '')
    .toUpperCase()}`

/**
 * SPEC §5 (rev 3): the digits of a WhatsApp link — a valid Indian mobile (10 digits starting 6–9,
 * with or without +91, 91 or 0 in front) or a full international number given with `+` and 8–15
 * digits; a +91 number must pass the Indian rule. Anything else gives the reason there is no link.
 */
export function whatsappNumber(phone: string | null | undefined): { digits: string } | { reason: string } {
  const raw = (phone ?? '').trim()
  if (raw === '') return { reason: 'no phone number' }
  // Spaces, dashes, dots and brackets are how people write numbers; any other character is not a phone number.
  if (!/^\+?[\d\s\-().]+$/.test(raw)) return { reason: `"${raw}" is not a phone number` }
  const digits = raw.replace(/\D/g, '')
  const indian = /^(?:91|0)?([6-9]\d{9})$/.exec(digits)
  if (raw.startsWith('+')) {
    if (digits.startsWith('91'))
      return /^91[6-9]\d{9}$/.test(digits) ? { digits } : { reason: `${raw} is not a valid Indian mobile number` }
    // A country code never starts with 0.
    return /^[1-9]\d{7,14}$/.test(digits) ? { digits } : { reason: `${raw} is not a full international number` }
  }
  if (indian) return { digits: `91${indian[1]}` }
  return { reason: `${raw} is not a mobile number (10 digits starting 6–9, or + and the country code)` }
}

export const whatsappLink = (digits: string, text: string): string => `https://wa.me/${digits}?text=${encodeURIComponent(text)}`

/** Whether `url` is a WhatsApp link this app makes: wa.me, a number that passes `whatsappNumber`, only a text. */
export function isWhatsappLink(url: string): boolean {
  const match = /^https:\/\/wa\.me\/(\d+)(\?text=[^#]*)?$/.exec(url)
  if (!match) return false
  const number = whatsappNumber(`+${match[1]}`)
  return 'digits' in number && number.digits === match[1]
}

export const mailtoLink = (email: string, subject: string, body: string): string =>
  `mailto:${encodeURIComponent(email)}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`
