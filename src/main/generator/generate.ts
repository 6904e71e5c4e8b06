import { Random } from './random'
import { addMonths, dayOf, isoDate, isoDateTime, monthStart, wordyDate, wordyDateTime } from './calendar'

/**
 * Seeded synthetic SIP books shaped like the real Metabase exports: the same status mix, step-up
 * settings, failed amounts, date spreads and multi-SIP clients. Tests, benchmarks and the bundled
 * sample dataset all come from here.
 */

export type ValueStyle = 'formatted' | 'raw' | 'mixed'

export interface BookOptions {
  /** Number of SIP records. */
  sips: number
  seed?: number
  /** The snapshot the export was taken at (`inserted_at` of most records). */
  snapshot?: string
  /** Probability that a record carries one of the quirks real exports have (bad date, `Rs.` prefix, …). */
  quirks?: number
}

interface Agent {
  externalId: string
  id: number
  name: string
  email: string
  phone: string
}

export interface GeneratedClient {
  userId: string
  name: string
  email: string
  phone: string
  crn: string
  memberId: string
  agent: Agent
  invested: number
  firstActiveDay: number
}

type Status = 'Success' | 'Failed' | 'Paused' | 'In Progress' | 'Unknown'

/** One SIP in canonical form; `formatSip` renders it in either export style. */
export interface GeneratedSip {
  sipMetaId: number
  client: GeneratedClient
  goalId: number
  amount: number
  schemes: string[]
  goalName: string
  sipDay: number
  startDay: number
  endDay: number
  insertedDay: number
  insertedMinute: number
  eventDay: number
  eventMinute: number
  pausedFromDay: number | null
  pausedReason: string | null
  incrementPercentage: number
  incrementPeriod: '' | '1Y' | '6M'
  isActive: boolean
  salesStatus: string
  hasMandate: boolean
  mandateStatus: string
  mandateConfirmedDay: number | null
  navAllocatedDay: number | null
  firstSuccessDay: number | null
  latestSuccessDay: number | null
  successAmount: number
  pendingAmount: number
  failedAmount: number
  inProgressAmount: number
  pausedAmount: number
  successCount: number
  status: Status
  deleted: boolean
  quirk: Quirk | null
}

export type Quirk = 'bad_date' | 'rupee_amount' | 'missing_user' | 'missing_amount' | 'yes_no' | 'short_month'

const FIRST = [
  'Aarav',
  'Vivaan',
  'Aditya',
  'Ananya',
  'Diya',
  'Ishaan',
  'Kavya',
  'Meera',
  'Rohan',
  'Saanvi',
  'Arjun',
  'Priya',
  'Rahul',
  'Neha',
  'Vikram',
  'Pooja',
  'Sanjay',
  'Lakshmi',
  'Karthik',
  'Fatima',
  'Imran',
  'Gurpreet',
  'Harleen',
  'Joseph',
  'Mary',
  'Suresh',
  'Divya',
  'Anil',
  'Sunita',
  'Manoj',
]
const LAST = [
  'Sharma',
  'Iyer',
  'Patel',
  'Reddy',
  'Nair',
  'Gupta',
  'Singh',
  'Khan',
  'Mehta',
  'Das',
  'Menon',
  'Joshi',
  'Rao',
  'Kulkarni',
  'Banerjee',
  'Pillai',
  'Chopra',
  'Verma',
  'Fernandes',
  'Bhat',
]
const SCHEMES = [
  'HDFC Mid-Cap Opportunities Fund (G)',
  'ICICI Pru Value Discovery Fund (G)',
  'Kotak Large & Midcap Fund (G)',
  'Parag Parikh Flexi Cap Fund (G)',
  'SBI Small Cap Fund (G)',
  'Axis Bluechip Fund (G)',
  'Mirae Asset Large Cap Fund (G)',
  'Nippon India Index Fund - Nifty 50 Plan (G)',
  'UTI Nifty 50 Index Fund (G)',
  'Quant Small Cap Fund (G)',
  'HDFC Balanced Advantage Fund (G)',
  'Canara Robeco Emerging Equities (G)',
]
const GOALS: readonly (readonly [string, number])[] = [
  ['Individual Fund(s)', 53],
  ['Custom Funds', 31],
  ['Wealthy Long Term Equity', 4],
  ['Micro SIP', 4],
  ['Long Term Aggressive', 3],
  ['Retirement', 3],
  ['Child Education', 2],
]
const STATUSES: readonly (readonly [Status, number])[] = [
  ['Success', 593],
  ['Failed', 330],
  ['Paused', 68],
  ['In Progress', 7],
  ['Unknown', 2],
]
const AMOUNTS: readonly (readonly [number, number])[] = [
  [500, 6],
  [1000, 22],
  [1330, 3],
  [1500, 6],
  [2000, 12],
  [2420, 2],
  [2500, 8],
  [3000, 8],
  [3420, 2],
  [5000, 12],
  [5668, 1],
  [7500, 4],
  [10000, 8],
  [15000, 3],
  [25000, 3],
  [50000, 1],
]
const MANDATE: readonly (readonly [string, number])[] = [
  ['Already Confirmed', 81],
  ['Confirmed Within 45 Days', 17],
  ['Confirmed After 45 Days', 2],
]
const QUIRKS: readonly Quirk[] = ['bad_date', 'rupee_amount', 'missing_user', 'missing_amount', 'yes_no', 'short_month']

const ulid = (rng: Random): string => rng.token(26).toUpperCase()

function makeAgents(rng: Random, count: number): Agent[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `${rng.pick(FIRST)} ${rng.pick(LAST)}`
    return {
      externalId: `ag_${rng.token(22)}`,
      id: 1000 + i * 37 + rng.int(0, 36),
      name,
      email: `${name.toLowerCase().replace(' ', '.')}${i}@advisors.example`,
      phone: `+91 9${rng.int(100000000, 999999999)}`,
    }
  })
}

/** Every SIP of a generated book, client by client (lazily, so a million SIPs stream). */
export function* generateSips(options: BookOptions): Generator<GeneratedSip> {
  const rng = new Random(options.seed ?? 42)
  const snapshotDay = dayOf(options.snapshot ?? '2026-01-12')
  const agents = makeAgents(rng, Math.max(5, Math.ceil(options.sips / 60)))
  let produced = 0
  let clientIndex = 0
  while (produced < options.sips) {
    const client = makeClient(rng, agents, clientIndex++, snapshotDay)
    const sipCount = Math.min(
      options.sips - produced,
      rng.weighted([
        [1, 68],
        [2, 15],
        [3, 8],
        [4, 5],
        [5, 3],
        [8, 1],
      ] as const),
    )
    for (let k = 0; k < sipCount; k++) {
      const sip = makeSip(rng, client, 100_000 + produced * 7 + rng.int(0, 6), snapshotDay, options.quirks ?? 0)
      client.invested += sip.successAmount
      produced++
      yield sip
    }
  }
}

function makeClient(rng: Random, agents: Agent[], index: number, snapshotDay: number): GeneratedClient {
  const first = rng.pick(FIRST)
  const last = rng.pick(LAST)
  // A few agents hold most clients, as in real books.
  const agent = agents[Math.floor(agents.length * rng.next() ** 2)]
  return {
    userId: rng.uuid(),
    name: `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${index}@mail.example`,
    phone: `+91 ${rng.pick(['9', '8', '7'])}${rng.int(100000000, 999999999)}`,
    crn: `CRN${String(100000 + index)}`,
    memberId: ulid(rng),
    agent,
    invested: 0,
    firstActiveDay: snapshotDay - rng.int(60, 2400),
  }
}

function makeSip(rng: Random, client: GeneratedClient, sipMetaId: number, snapshotDay: number, quirks: number): GeneratedSip {
  const status = rng.weighted(STATUSES)
  const amount = rng.weighted(AMOUNTS)
  const months = rng.weighted([
    [rng.int(1, 11), 25],
    [rng.int(12, 30), 40],
    [rng.int(31, 72), 35],
  ] as const)
  const sipDay = rng.pick([1, 5, 5, 10, 10, 15, 20, 25, 28])
  const startDay = addMonths(snapshotDay, -months) + rng.int(-10, 10)
  const incrementPeriod = rng.weighted([
    ['', 57],
    ['1Y', 22],
    ['6M', 21],
  ] as const)
  const incrementPercentage =
    incrementPeriod === ''
      ? rng.chance(0.05)
        ? 10
        : 0
      : rng.weighted([
          [10, 70],
          [20, 10],
          [15, 5],
          [25, 5],
          [50, 5],
          [100, 5],
        ] as const)
  const neverPaid = rng.chance(0.035)
  const insertedDay = snapshotDay - (rng.chance(0.5) ? 0 : rng.int(1, 16))
  const insertedMinute = rng.chance(0.5) ? 8 * 60 + 49 : rng.int(0, 1439)
  const eventDay = insertedDay - rng.int(0, 7)

  let latestSuccessDay: number | null = null
  let successCount = 0
  let failedCount = 0
  if (!neverPaid) {
    const sinceLast =
      status === 'Success'
        ? rng.int(0, 35)
        : status === 'In Progress'
          ? rng.int(20, 60)
          : rng.weighted([
              [rng.int(30, 120), 60],
              [rng.int(121, 400), 40],
            ] as const)
    latestSuccessDay = Math.max(startDay, snapshotDay - sinceLast)
    successCount = Math.max(1, Math.round((latestSuccessDay - startDay) / 30.44) + 1 - (rng.chance(0.2) ? rng.int(1, 3) : 0))
    failedCount = status === 'Failed' ? rng.int(1, 8) : rng.chance(0.35) ? rng.int(1, 4) : 0
  } else if (status === 'Failed') {
    failedCount = rng.int(1, 3)
  }
  // Stepped-up SIPs paid smaller instalments earlier, so their average is below today's amount.
  const periodMonths = incrementPeriod === '6M' ? 6 : 12
  const steppedUp = incrementPercentage > 0 && months >= periodMonths && rng.chance(0.55)
  const averageRatio = steppedUp ? 0.62 + rng.next() * 0.33 : 1
  const successAmount = Math.round(amount * successCount * averageRatio)
  const paused = status === 'Paused'
  const schemeCount = rng.weighted([
    [1, 70],
    [2, 20],
    [3, 10],
  ] as const)
  const schemes = Array.from({ length: schemeCount }, () => rng.pick(SCHEMES))
  if (schemeCount > 1 && rng.chance(0.5)) schemes.push(...schemes)

  return {
    sipMetaId,
    client,
    goalId: rng.int(10_000, 99_999),
    amount,
    schemes,
    goalName: rng.weighted(GOALS),
    sipDay,
    startDay,
    endDay: addMonths(startDay, rng.pick([60, 120, 130, 360])),
    insertedDay,
    insertedMinute,
    eventDay,
    eventMinute: rng.int(0, 1439),
    pausedFromDay: paused ? snapshotDay - rng.int(10, 200) : null,
    pausedReason: paused
      ? rng.weighted([
          ['UP', 95],
          ['SP', 5],
        ] as const)
      : null,
    incrementPercentage,
    incrementPeriod,
    isActive: paused || status === 'Unknown' ? rng.chance(0.3) : !rng.chance(0.02),
    salesStatus: rng.weighted([
      ['validSales', 97],
      ['invalidSales', 2.5],
      ['earlyPausedSales', 0.5],
    ] as const),
    hasMandate: !rng.chance(status === 'Failed' ? 0.15 : 0.02),
    mandateStatus: rng.weighted(MANDATE),
    mandateConfirmedDay: rng.chance(0.19) ? startDay + rng.int(1, 40) : null,
    navAllocatedDay: rng.chance(0.82) ? startDay + rng.int(3, 10) : null,
    firstSuccessDay: latestSuccessDay === null ? null : monthStart(startDay) + sipDay - 1,
    latestSuccessDay,
    successAmount,
    pendingAmount: status === 'In Progress' ? amount : 0,
    failedAmount: amount * failedCount,
    inProgressAmount: status === 'In Progress' ? amount : 0,
    pausedAmount: paused ? amount * rng.int(1, 3) : 0,
    successCount,
    status,
    deleted: rng.chance(0.01),
    quirk: quirks > 0 && rng.chance(quirks) ? rng.pick(QUIRKS) : null,
  }
}

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
    sip_days: num(sip.sipDay),
    num_days: num(1),
    amount: num(sip.amount),
    scheme_name: `[${sip.schemes.join(', ')}]`,
    goal_name: sip.goalName,
    start_date: date(sip.startDay),
    end_date: date(sip.endDay),
    paused_from: date(sip.pausedFromDay),
    paused_till: date(null),
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
export function formatClient(client: GeneratedClient, formatted: boolean, snapshot: string): Formatted {
  const money = (v: number): string | number => (formatted ? groupThousands(v) : v)
  const day = dayOf(snapshot)
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
