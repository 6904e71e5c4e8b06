import { isoDate, isoDateTime, monthStart, wordyDate, wordyDateTime } from './calendar'
import type { GeneratedClient, GeneratedSip } from './generate'

/** Renders generated SIPs and clients as records of a Metabase export, in either value style. */

/** `283000` → `283,000`, `129352.26` → `129,352.26` (Western grouping, as Metabase formats). */
export function groupThousands(value: number): string {
  const [whole, fraction] = String(value).split('.')
  const negative = whole.startsWith('-')
  const digits = negative ? whole.slice(1) : whole
  let out = ''
  for (let i = digits.length; i > 0; i -= 3) out = digits.slice(Math.max(0, i - 3), i) + (out ? `,${out}` : '')
  return (negative ? '-' : '') + out + (fraction ? `.${fraction}` : '')
}

type Formatted = Record<string, string | number | boolean | null>

/** Renders a SIP as one record of a Metabase export in the given value style. */
export function formatSip(sip: GeneratedSip, formatted: boolean): Formatted {
  const num = formatted ? (v: number): string => groupThousands(v) : (v: number): number => v
  const id = formatted ? (v: number): string => groupThousands(v) : (v: number): number => v
  const date = (day: number | null): string | null => (day === null ? (formatted ? '' : null) : formatted ? wordyDate(day) : isoDate(day))
  const dateTime = (day: number, minute: number): string => (formatted ? wordyDateTime(day, minute) : isoDateTime(day, minute))
  const bool = (v: boolean): string | boolean => (formatted ? String(v) : v)
  const textOrNull = (v: string | null): string | null => (v === null || v === '' ? (formatted ? '' : null) : v)
  const month = (day: number | null): string | null => date(day === null ? null : monthStart(day))
  const c = sip.client
  const record: Formatted = {
    inserted_at: dateTime(sip.insertedDay, sip.insertedMinute),
    event_date: dateTime(sip.eventDay, sip.eventMinute),
    created_at: dateTime(sip.startDay, 19 * 60 + 2),
    sip_meta_date: date(sip.startDay),
    sip_meta_month: month(sip.startDay),
    uid: id(sip.sipMetaId),
    sip_meta_id: id(sip.sipMetaId),
    user_id: c.userId,
    goal_id: id(sip.goalId),
    sip_days: sip.sipDays.length === 1 ? num(sip.sipDays[0]) : sip.sipDays.join(','),
    num_days: num(sip.sipDays.length),
    amount: num(sip.amount),
    scheme_name: `[${sip.schemes.join(', ')}]`,
    goal_name: sip.goalName,
    start_date: date(sip.startDay),
    end_date: date(sip.endDay),
    paused_from: date(sip.pausedFromDay),
    paused_till: date(sip.pausedTillDay),
    paused_reason: textOrNull(sip.pausedReason),
    increment_percentage: num(sip.incrementPercentage),
    increment_amount: num(0),
    increment_period: textOrNull(sip.incrementPeriod),
    is_active: bool(sip.isActive),
    sip_sales_status: sip.salesStatus,
    had_mandate_at_creation: bool(true),
    has_current_mandate: bool(sip.hasMandate),
    mandate_tracking_status: sip.mandateStatus,
    mandate_confirmed_date: date(sip.mandateConfirmedDay),
    stepper_enabled: bool(true),
    first_order_nav_allocated_at: date(sip.navAllocatedDay),
    first_success_order_date: date(sip.firstSuccessDay),
    latest_success_order_date: date(sip.latestSuccessDay),
    first_success_order_month: month(sip.firstSuccessDay),
    latest_success_order_month: month(sip.latestSuccessDay),
    success_amount: num(sip.successAmount),
    pending_amount: num(sip.pendingAmount),
    failed_amount: num(sip.failedAmount),
    in_progress_amount: num(sip.inProgressAmount),
    paused_amount: num(sip.pausedAmount),
    success_count: num(sip.successCount),
    currentSipStatus: sip.status,
    agent_external_id: c.agent.externalId,
    member_id: c.memberId,
    agent_id: id(c.agent.id),
    deleted: bool(sip.deleted),
  }
  applyQuirk(record, sip)
  return record
}

function applyQuirk(record: Formatted, sip: GeneratedSip): void {
  switch (sip.quirk) {
    case 'bad_date':
      record.end_date = '31/02/2025'
      break
    case 'rupee_amount':
      record.amount = `₹ ${groupThousands(sip.amount)}`
      record.success_amount = `Rs. ${groupThousands(sip.successAmount)}`
      break
    case 'missing_user':
      record.user_id = ''
      break
    case 'missing_amount':
      record.amount = ''
      break
    case 'yes_no':
      record.is_active = sip.isActive ? 'Yes' : 'NO'
      break
    case 'short_month':
      if (sip.latestSuccessDay !== null) record.latest_success_order_date = wordyDate(sip.latestSuccessDay).replace(/^(\w{3})\w*/, '$1')
      break
    case null:
      break
  }
}

/** Renders a client as one record of a client export. */
export function formatClient(client: GeneratedClient, formatted: boolean): Formatted {
  const money = (v: number): string | number => (formatted ? groupThousands(v) : v)
  const day = client.asOfDay
  const current = Math.round(client.invested * (0.9 + (client.crn.charCodeAt(8) % 50) / 100))
  return {
    user_id: client.userId,
    name: client.name,
    email: client.email,
    phone_number: client.phone,
    crn: client.crn,
    total_current_value: money(current),
    total_invested_value: money(client.invested),
    mf_current_value: money(current),
    agent_external_id: client.agent.externalId,
    agent_name: client.agent.name,
    agent_email: client.agent.email,
    agent_phone_number: client.agent.phone,
    member_id: client.memberId,
    latest_as_on_date: formatted ? wordyDate(day) : isoDate(day),
    first_active_at: formatted ? wordyDateTime(client.firstActiveDay, 600) : isoDateTime(client.firstActiveDay, 600),
  }
}
