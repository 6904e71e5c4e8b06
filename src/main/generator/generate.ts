import { Random } from './random'
import { addMonths, dayOf, debitBefore, monthStart } from './calendar'
import { MonthStep, type Change } from './nextMonth'

/**
 * Seeded synthetic SIP books shaped like the real Metabase exports: the same status mix, step-up
 * settings, failed amounts, date spreads, multi-SIP clients and SIPs debited on several days a
 * month; failing SIPs 1, 2, 3+ instalments behind, SIPs about to end, paused ranges. Month 2, 3, …
 * of a book are its later monthly exports (`nextMonth.ts`). Tests, benchmarks and the bundled
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
  /**
   * Which monthly export of the book to write: 1 (default) is the book at `snapshot`; month M is
   * the same book M − 1 months later, every SIP re-exported with the changes of each month between.
   */
  month?: number
}

export const DEFAULT_SNAPSHOT = '2026-01-12'

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
  /** The snapshot of the first export the client appears in (`latest_as_on_date`). */
  asOfDay: number
}

export type Status = 'Success' | 'Failed' | 'Paused' | 'In Progress' | 'Unknown'

/** One SIP in canonical form; `formatSip` renders it in either export style. */
export interface GeneratedSip {
  sipMetaId: number
  client: GeneratedClient
  goalId: number
  amount: number
  schemes: string[]
  goalName: string
  /** Days of the month the SIP is debited on, ascending; `amount` is one debit. */
  sipDays: readonly number[]
  startDay: number
  endDay: number
  insertedDay: number
  insertedMinute: number
  eventDay: number
  eventMinute: number
  pausedFromDay: number | null
  pausedTillDay: number | null
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
  /** Left out of this month's export (a partial export); its client is still in the client export. */
  leftOut: boolean
  /** What changed since the previous month's export (empty in month 1). */
  changes: readonly Change[]
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

const SINGLE_DAYS: readonly (readonly number[])[] = [1, 5, 5, 10, 10, 15, 20, 25, 28].map((day) => [day])
/** Debit-day lists of the real exports' multi-day SIPs, with per-debit amounts that go with them. */
interface MultiDayPlan {
  lists: readonly (readonly number[])[]
  amounts: readonly number[]
}
const TWO_DAYS: MultiDayPlan = {
  lists: [
    [10, 15],
    [5, 10],
    [8, 10],
    [16, 17],
    [10, 16],
    [1, 15],
  ],
  amounts: [1000, 1320, 2000, 2200, 5000, 6000],
}
const FIVE_DAYS: MultiDayPlan = {
  lists: [
    [1, 7, 13, 19, 25],
    [4, 10, 15, 20, 26],
    [4, 9, 16, 20, 27],
  ],
  amounts: [170, 500, 1000, 2000, 7200],
}
const EVERY_DAY: MultiDayPlan = { lists: [Array.from({ length: 28 }, (_, i) => i + 1)], amounts: [100, 110, 200, 500, 1000] }
const MOST_DAYS: MultiDayPlan = { lists: [[1, 3, 5, 6, 7, 9, 10, 11, 12, 14, 15, 18, 20, 23, 25, 28]], amounts: [1000, 2200] }
const MULTI_DAY: readonly (readonly [MultiDayPlan, number])[] = [
  [TWO_DAYS, 45],
  [FIVE_DAYS, 25],
  [EVERY_DAY, 25],
  [MOST_DAYS, 5],
]
/** One SIP in this many is debited on several days a month (2.3 % of the real samples). */
const MULTI_DAY_EVERY = 40
/** Instalments missed since the last success by a `Failed` SIP: the gaps of the real samples. */
const MISSED: readonly (readonly [number, number])[] = [
  [1, 20],
  [2, 20],
  [3, 20],
  [4, 10],
  [5, 8],
  [6, 6],
  [8, 6],
  [10, 5],
  [13, 5],
]
const FRESH_STATUSES: readonly (readonly [Status, number])[] = [
  ['Success', 80],
  ['In Progress', 15],
  ['Failed', 5],
]
/** Chance that an existing client starts another SIP in a month; new clients a month, per SIP of the book. */
const NEW_SIP_CHANCE = 0.01
const NEW_CLIENTS_PER_SIP = 0.004

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

/**
 * Every SIP of a generated book, client by client (lazily, so a million SIPs stream), as of the
 * requested month. SIPs with `leftOut` are not in that month's export but their clients are.
 * New SIPs of a month follow their client's SIPs; new clients come after everyone else.
 */
export function* generateSips(options: BookOptions): Generator<GeneratedSip> {
  const seed = options.seed ?? 42
  const rng = new Random(seed)
  const snapshotDay = dayOf(options.snapshot ?? DEFAULT_SNAPSHOT)
  const quirks = options.quirks ?? 0
  const agents = makeAgents(rng, Math.max(5, Math.ceil(options.sips / 60)))
  const steps = Array.from({ length: (options.month ?? 1) - 1 }, (_, i) => new MonthStep(seed, i + 2, snapshotDay))
  const advanced = (sip: GeneratedSip, fromStep: number): GeneratedSip => {
    for (let i = fromStep; i < steps.length; i++) sip.changes = steps[i].advance(sip)
    return sip
  }
  // New SIPs of month i + 2 take ids in their own block, above every id of the months before.
  const idBlock = Math.max(options.sips, 1000)
  const made = steps.map(() => 0)
  const newSip = (i: number, client: GeneratedClient): GeneratedSip => {
    const step = steps[i]
    const index = made[i]++
    const sipMetaId = 100_000 + 7 * (options.sips + i * idBlock + index) + step.rng.int(0, 6)
    const sip = makeSip(step.rng, {
      client,
      sipMetaId,
      snapshotDay: step.snapshotDay,
      quirks,
      multiDay: index % MULTI_DAY_EVERY === 7,
      fresh: true,
    })
    // A client's record is as of their first export: only a new client's own SIPs add to it.
    if (client.asOfDay === step.snapshotDay) client.invested += sip.successAmount
    sip.changes = ['new_sip']
    return advanced(sip, i + 1)
  }

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
      const sipMetaId = 100_000 + produced * 7 + rng.int(0, 6)
      const sip = makeSip(rng, { client, sipMetaId, snapshotDay, quirks, multiDay: produced % MULTI_DAY_EVERY === 7, fresh: false })
      client.invested += sip.successAmount
      produced++
      yield advanced(sip, 0)
    }
    for (let i = 0; i < steps.length; i++) if (steps[i].rng.chance(NEW_SIP_CHANCE)) yield newSip(i, client)
  }
  for (let i = 0; i < steps.length; i++) {
    const newClients = Math.max(1, Math.round(options.sips * NEW_CLIENTS_PER_SIP))
    for (let c = 0; c < newClients; c++) {
      const client = makeClient(steps[i].rng, agents, clientIndex++, steps[i].snapshotDay)
      for (let k = steps[i].rng.int(1, 2); k > 0; k--) yield newSip(i, client)
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
    asOfDay: snapshotDay,
  }
}

interface SipSeed {
  client: GeneratedClient
  sipMetaId: number
  snapshotDay: number
  quirks: number
  /** Debited on several days a month. */
  multiDay: boolean
  /** Started during the month before the snapshot (a new SIP of a later month). */
  fresh: boolean
}

/**
 * The SIP's latest successful debit, placed as its status implies (a `Failed` one `missed` debits
 * before the snapshot: the count the AMC cancels a mandate on). The latest debit before a day is
 * some 15 days before it on average, hence the `+ 16` that keeps the gaps of the real samples.
 */
function lastSuccess(
  rng: Random,
  status: Status,
  sipDays: readonly number[],
  snapshotDay: number,
  insertedDay: number,
  missed: number,
): number {
  switch (status) {
    case 'Success':
      return debitBefore(sipDays, insertedDay + 1, 1)
    case 'Failed':
      return debitBefore(sipDays, snapshotDay, missed + 1)
    case 'In Progress':
      return debitBefore(sipDays, snapshotDay - rng.int(20, 60) + 16, 1)
    case 'Paused':
    case 'Unknown':
      return debitBefore(
        sipDays,
        snapshotDay -
          rng.weighted([
            [rng.int(30, 120), 60],
            [rng.int(121, 400), 40],
          ] as const) +
          16,
        1,
      )
  }
}

function makeSip(rng: Random, seed: SipSeed): GeneratedSip {
  const { snapshotDay, fresh } = seed
  let status = rng.weighted(fresh ? FRESH_STATUSES : STATUSES)
  const plan = seed.multiDay ? rng.weighted(MULTI_DAY) : null
  const sipDays = rng.pick(plan?.lists ?? SINGLE_DAYS)
  const amount = plan ? rng.pick(plan.amounts) : rng.weighted(AMOUNTS)
  const months = fresh
    ? 0
    : rng.weighted([
        [rng.int(1, 11), 25],
        [rng.int(12, 30), 40],
        [rng.int(31, 72), 35],
      ] as const)
  const startDay = fresh ? snapshotDay - rng.int(1, 27) : addMonths(snapshotDay, -months) + rng.int(-10, 10)
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
  const neverPaid = !fresh && rng.chance(0.035)
  let insertedDay = fresh ? snapshotDay : snapshotDay - (rng.chance(0.5) ? 0 : rng.int(1, 16))
  const insertedMinute = rng.chance(0.5) ? 8 * 60 + 49 : rng.int(0, 1439)
  const missed = status === 'Failed' ? rng.weighted(MISSED) : 0
  const debitsPerMonth = sipDays.length

  let latestSuccessDay: number | null = neverPaid ? null : lastSuccess(rng, status, sipDays, snapshotDay, insertedDay, missed)
  if (latestSuccessDay !== null && latestSuccessDay < startDay) latestSuccessDay = null
  if (latestSuccessDay !== null) insertedDay = Math.max(insertedDay, Math.min(snapshotDay, latestSuccessDay + 1))
  if (fresh && latestSuccessDay === null && status === 'Success') status = 'In Progress'
  let successCount = 0
  let failedCount = 0
  if (latestSuccessDay !== null) {
    const skipped = rng.chance(0.2) ? rng.int(1, 3) : 0
    successCount = Math.max(1, (Math.round((latestSuccessDay - startDay) / 30.44) + 1) * debitsPerMonth - skipped)
    // A failing SIP's streak of missed debits, and maybe bounces earlier in its life.
    failedCount =
      status === 'Failed'
        ? missed + (rng.chance(0.4) ? rng.int(1, 6) * debitsPerMonth : 0)
        : rng.chance(0.35)
          ? rng.int(1, 4) * debitsPerMonth
          : 0
  } else if (status === 'Failed') {
    failedCount = Math.max(missed, rng.int(1, 3) * debitsPerMonth)
  }
  // Stepped-up SIPs paid smaller instalments earlier, so their average is below today's amount.
  // Multi-day SIPs are never stepped up: each debit is `amount`, as in the real exports.
  const periodMonths = incrementPeriod === '6M' ? 6 : 12
  const steppedUp = debitsPerMonth === 1 && incrementPercentage > 0 && months >= periodMonths && rng.chance(0.55)
  const averageRatio = steppedUp ? 0.62 + rng.next() * 0.33 : 1
  const successAmount = Math.round(amount * successCount * averageRatio)
  const paused = status === 'Paused'
  const [pausedFromDay, pausedTillDay] = pauseRange(rng, status, sipDays, snapshotDay, startDay, latestSuccessDay, missed)
  const schemeCount = rng.weighted([
    [1, 70],
    [2, 20],
    [3, 10],
  ] as const)
  const schemes = Array.from({ length: schemeCount }, () => rng.pick(SCHEMES))
  if (schemeCount > 1 && rng.chance(0.5)) schemes.push(...schemes)

  return {
    sipMetaId: seed.sipMetaId,
    client: seed.client,
    goalId: rng.int(10_000, 99_999),
    amount,
    schemes,
    goalName: rng.weighted(GOALS),
    sipDays,
    startDay,
    endDay: endDay(rng, startDay, snapshotDay, fresh),
    insertedDay,
    insertedMinute,
    eventDay: insertedDay - rng.int(0, 7),
    eventMinute: rng.int(0, 1439),
    pausedFromDay,
    pausedTillDay,
    pausedReason:
      pausedFromDay === null
        ? null
        : rng.weighted([
            ['UP', 95],
            ['SP', 5],
          ] as const),
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
    firstSuccessDay: latestSuccessDay === null ? null : Math.min(latestSuccessDay, monthStart(startDay) + sipDays[0] - 1),
    latestSuccessDay,
    successAmount,
    pendingAmount: status === 'In Progress' ? amount : 0,
    failedAmount: amount * failedCount,
    inProgressAmount: status === 'In Progress' ? amount : 0,
    pausedAmount: paused ? amount * rng.int(1, 3) * debitsPerMonth : 0,
    successCount,
    status,
    deleted: rng.chance(0.01),
    quirk: seed.quirks > 0 && rng.chance(seed.quirks) ? rng.pick(QUIRKS) : null,
    leftOut: false,
    changes: [],
  }
}

/** Tenures of 5, 10, 10.8 and 30 years; a few SIPs reach their end date within 90 days of the snapshot. */
function endDay(rng: Random, startDay: number, snapshotDay: number, fresh: boolean): number {
  if (!fresh && rng.chance(0.03)) return snapshotDay + rng.int(0, 90)
  const end = addMonths(startDay, rng.pick([60, 120, 130, 360]))
  return end > snapshotDay + 90 ? end : addMonths(startDay, 120)
}

/**
 * `paused_from`/`paused_till`: a paused SIP since after its last success (till a date ahead, or
 * open); a few failing SIPs paused over one instalment after their last success (so that
 * instalment was not missed); a few paying SIPs with a pause in their past.
 */
function pauseRange(
  rng: Random,
  status: Status,
  sipDays: readonly number[],
  snapshotDay: number,
  startDay: number,
  latestSuccessDay: number | null,
  missed: number,
): [number | null, number | null] {
  if (status === 'Paused') {
    const from = Math.min(snapshotDay - 1, (latestSuccessDay ?? startDay) + rng.int(1, 40))
    return [from, rng.chance(0.35) ? snapshotDay + rng.int(5, 120) : null]
  }
  if (status === 'Failed' && latestSuccessDay !== null && missed >= 2 && rng.chance(0.15)) {
    return [latestSuccessDay + 1, debitBefore(sipDays, snapshotDay, missed)]
  }
  if (status === 'Success' && rng.chance(0.03)) {
    const from = snapshotDay - rng.int(90, 400)
    if (from > startDay) return [from, from + rng.int(25, 90)]
  }
  return [null, null]
}
