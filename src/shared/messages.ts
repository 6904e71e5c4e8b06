import { clientLabel, type Opportunity, type OpportunityType } from './detection'
import { formatDate, formatInr } from './format'

/**
 * SPEC §5: a message per opportunity type, filled from the opportunity and the advisor profile.
 * Placeholders are `{name}`; an unknown one is left as written so a typo shows in the preview.
 */
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
] as const
export type Placeholder = (typeof PLACEHOLDERS)[number]

export const DEFAULT_TEMPLATES: Record<OpportunityType, string> = {
  no_sip_increase:
    'Hello {client_name}, your SIP of {amount} a month has run steadily without an increase. Raising it by {step_up_amount} a month keeps your goals on track with rising costs. Shall we set up a step-up? — {advisor_name}',
  failed_sips:
    'Hello {client_name}, the latest instalment of your SIP of {amount} a month ({scheme}) did not go through. Could you check the bank mandate and balance? I can help set up a new mandate. — {advisor_name}',
  high_value_inactive:
    'Hello {client_name}, it has been a while since your last SIP instalment. Could we find 15 minutes to review your portfolio and goals? — {advisor_name}',
  auto_cancel_risk:
    'Hello {client_name}, {missed} instalments of your SIP of {amount} a month ({scheme}) have failed. One more failure and the fund house cancels the SIP; the next debit is on {next_debit_date}. Please check the bank mandate and balance before then. — {advisor_name}',
  sip_ending:
    'Hello {client_name}, your SIP of {amount} a month ({scheme}) ends on {end_date}. Shall we renew it, perhaps with a small step-up, so no month is missed? — {advisor_name}',
}

/** What a template's placeholders stand for, for one opportunity. */
export function placeholderValues(o: Opportunity, context: { advisorName: string | null; schemes: string[] }): Record<Placeholder, string> {
  return {
    client_name: clientLabel(o.client_name, o.user_id),
    advisor_name: context.advisorName ?? 'your advisor',
    amount: formatInr(o.current_sip_amount),
    annual_value: formatInr(o.annual_value),
    scheme: context.schemes.length > 0 ? context.schemes.join(', ') : 'your SIP',
    sip_id: o.sip_meta_ids.join(', '),
    next_debit_date: o.next_debit_date ? formatDate(o.next_debit_date) : 'the next debit date',
    end_date: o.end_date ? formatDate(o.end_date) : '—',
    step_up_amount: formatInr(o.monthly_increase ?? o.current_sip_amount * 0.1),
    missed: String(o.missed_instalments ?? 0),
  }
}

export function fillTemplate(template: string, values: Record<Placeholder, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    (PLACEHOLDERS as readonly string[]).includes(name) ? values[name as Placeholder] : whole,
  )
}

/** Digits a WhatsApp link takes: the number's digits, a 10-digit Indian number with 91 in front; null when there is no usable number. */
export function whatsappNumber(phone: string | null | undefined): string | null {
  const digits = (phone ?? '').replace(/\D/g, '')
  if (digits.length === 10) return `91${digits}`
  if (digits.length === 12 && digits.startsWith('91')) return digits
  if (digits.length === 11 && digits.startsWith('0')) return `91${digits.slice(1)}`
  return digits.length >= 8 ? digits : null
}

export const whatsappLink = (phone: string, text: string): string => `https://wa.me/${phone}?text=${encodeURIComponent(text)}`

export const mailtoLink = (email: string, subject: string, body: string): string =>
  `mailto:${encodeURIComponent(email)}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`
