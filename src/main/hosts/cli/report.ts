import { parseArgs } from 'node:util'
import { openDb, type Db } from '../../db/open'
import { getClient } from '../../services/clients'
import { refreshIfStale } from '../../services/derived'
import { resolveAsOf } from '../../services/settings'
import { getStats, listAgents } from '../../services/stats'
import { listOpportunities } from '../../services/opportunities'
import { PAGE_LIMIT, parseRequest } from '../../../shared/contract'
import { opportunitiesCsv } from '../../../shared/csv'
import {
  FOLLOW_UP_STATES,
  OPPORTUNITY_TYPES,
  TYPE_LABELS,
  type AgentSummary,
  type ClientSip,
  type Opportunity,
} from '../../../shared/detection'
import { formatCount, formatDate, formatInr } from '../../../shared/format'
import { resolveDbPath } from '../paths'
import { usage, UsageError } from './args'
import { parseFormat, render, type Column } from './output'

const COMMON = { db: { type: 'string' }, 'as-of': { type: 'string' }, format: { type: 'string' } } as const

/**
 * Opens the database a report reads and brings its derived results up to date for the as-of date
 * asked (the explicit rebuild step: reads never write).
 */
export function withDb<T>(path: string | undefined, asOf: string | undefined, run: (db: Db) => T): T {
  const db = openDb(resolveDbPath(path))
  try {
    refreshIfStale(db, resolveAsOf(db, asOf))
    return run(db)
  } finally {
    db.close()
  }
}

const money = (v: number | null | undefined): string => formatInr(v)

/** The terminal table shows what fits a line; CSV and JSON carry every field. */
const OPPORTUNITY_COLUMNS: Column<Opportunity>[] = [
  { header: 'score', value: (o) => o.score, numeric: true },
  { header: 'type', value: (o) => o.type },
  { header: 'client', value: (o) => o.client_name ?? o.user_id },
  { header: 'agent', value: (o) => o.agent_name ?? o.agent_external_id },
  { header: 'sip_meta_ids', value: (o) => o.sip_meta_ids.join(';') },
  { header: 'current_sip_amount', value: (o) => o.current_sip_amount, numeric: true },
  { header: 'annual_value', value: (o) => o.annual_value, numeric: true },
  { header: 'status', value: (o) => o.status },
]

const MONEY = new Set(['current_sip_amount', 'annual_value', 'potential_value', 'total_invested', 'failed_amount', 'monthly_sip_amount', 'annual_at_stake'])

/** `opportunities [--type …] [--agent ID] [--state S] [--as-of D] [--limit N] [--format …]` */
export async function opportunitiesCommand(args: string[]): Promise<void> {
  const { values } = usage('opportunities', () =>
    parseArgs({
      args,
      options: {
        ...COMMON,
        type: { type: 'string' },
        agent: { type: 'string' },
        state: { type: 'string', multiple: true },
        limit: { type: 'string' },
      },
    }),
  )
  const format = parseFormat(values.format)
  if (values.type && ![...OPPORTUNITY_TYPES, 'all'].includes(values.type)) {
    throw new UsageError(`--type: expected one of ${[...OPPORTUNITY_TYPES, 'all'].join(', ')}, got "${values.type}"`)
  }
  for (const state of values.state ?? []) {
    if (!(FOLLOW_UP_STATES as readonly string[]).includes(state))
      throw new UsageError(`--state: expected one of ${FOLLOW_UP_STATES.join(', ')}, got "${state}"`)
  }
  const limit = values.limit === undefined ? Infinity : Number(values.limit)
  if (!(limit >= 1) || (limit !== Infinity && !Number.isInteger(limit)))
    throw new UsageError(`--limit: expected a whole number of at least 1, got "${values.limit}"`)
  // SPEC §4: the CLI lists every qualifying opportunity whatever its follow-up state, unless --state.
  const base = parseRequest('opportunities:list', {
    type: values.type,
    agent: values.agent,
    as_of: values['as-of'],
    states: values.state ?? [...FOLLOW_UP_STATES],
    show_snoozed: true,
  })
  const { asOf, rows, total } = withDb(values.db, values['as-of'], (db) => {
    const collected: Opportunity[] = []
    let page = listOpportunities(db, { ...base, limit: Math.min(limit, PAGE_LIMIT), offset: 0 })
    collected.push(...page.rows)
    while (collected.length < Math.min(limit, page.total)) {
      page = listOpportunities(db, {
        ...base,
        as_of: page.as_of,
        limit: Math.min(limit - collected.length, PAGE_LIMIT),
        offset: collected.length,
      })
      collected.push(...page.rows)
    }
    return { asOf: page.as_of, rows: collected, total: page.total }
  })
  if (format === 'json') return void console.log(JSON.stringify(rows, null, 2))
  if (format === 'csv') return void process.stdout.write(opportunitiesCsv(rows))
  process.stdout.write(
    render('table', OPPORTUNITY_COLUMNS, rows, (c, o) => (MONEY.has(c.header) ? money(c.value(o) as number) : String(c.value(o) ?? '—'))),
  )
  console.log(`${formatCount(rows.length)} of ${formatCount(total)} opportunities, as of ${formatDate(asOf)}`)
}

/** `stats [--agent ID] [--as-of D] [--format …]` */
export async function statsCommand(args: string[]): Promise<void> {
  const { values } = usage('stats', () => parseArgs({ args, options: { ...COMMON, agent: { type: 'string' } } }))
  const format = parseFormat(values.format)
  const request = parseRequest('stats:get', { agent: values.agent, as_of: values['as-of'] })
  const stats = withDb(values.db, values['as-of'], (db) => getStats(db, request))
  if (format === 'json') return void console.log(JSON.stringify(stats, null, 2))
  const rows: [string, number | string][] = [
    ['as_of', stats.as_of],
    ['total_opportunities', stats.total_opportunities],
    ['listed_opportunities', stats.listed_opportunities],
    ['clients_with_opportunities', stats.clients_with_opportunities],
    ['annual_at_stake', stats.annual_at_stake],
    ['failed_over_lives', stats.failed_over_lives],
    ...OPPORTUNITY_TYPES.flatMap((t): [string, number][] => [
      [`${t}_count`, stats.by_type[t].count],
      [`${t}_listed`, stats.by_type[t].listed],
      [`${t}_annual_value`, stats.by_type[t].annual_value],
      [`${t}_potential`, stats.by_type[t].potential],
    ]),
    ['overdue_follow_ups', stats.overdue_follow_ups],
    ['due_clients', stats.due_clients],
    ['calls_today', stats.calls_today],
    ['live_sips', stats.book.live_sips],
    ['clients', stats.book.clients],
    ['agents', stats.book.agents],
    ['monthly_sip_amount', stats.book.monthly_sip_amount],
    ['total_invested', stats.book.total_invested],
  ]
  const columns: Column<[string, number | string]>[] = [
    { header: 'metric', value: (r) => r[0] },
    { header: 'value', value: (r) => r[1], numeric: true },
  ]
  process.stdout.write(
    render(format, columns, rows, (c, r) =>
      c.header === 'metric'
        ? r[0]
        : typeof r[1] === 'string'
          ? formatDate(r[1])
          : /potential|amount|invested|annual|stake|lives/.test(r[0])
            ? money(r[1])
            : formatCount(r[1]),
    ),
  )
}

const AGENT_COLUMNS: Column<AgentSummary>[] = [
  { header: 'agent_external_id', value: (a) => a.agent_external_id },
  { header: 'agent_id', value: (a) => a.agent_id },
  { header: 'agent_name', value: (a) => a.agent_name },
  { header: 'live_sips', value: (a) => a.live_sips, numeric: true },
  { header: 'clients', value: (a) => a.clients, numeric: true },
  { header: 'total_invested', value: (a) => a.total_invested, numeric: true },
  { header: 'monthly_sip_amount', value: (a) => a.monthly_sip_amount, numeric: true },
  ...OPPORTUNITY_TYPES.map((t): Column<AgentSummary> => ({ header: t, value: (a) => a.opportunities[t], numeric: true })),
  { header: 'annual_at_stake', value: (a) => a.annual_at_stake, numeric: true },
]

/** `agents [--as-of D] [--format …]` */
export async function agentsCommand(args: string[]): Promise<void> {
  const { values } = usage('agents', () => parseArgs({ args, options: COMMON }))
  const format = parseFormat(values.format)
  const request = parseRequest('agents:list', { as_of: values['as-of'] })
  const { agents } = withDb(values.db, values['as-of'], (db) => listAgents(db, request))
  if (format === 'json') return void console.log(JSON.stringify(agents, null, 2))
  process.stdout.write(
    render(format, AGENT_COLUMNS, agents, (c, a) =>
      MONEY.has(c.header) ? money(c.value(a) as number) : String(c.value(a) ?? '—'),
    ),
  )
}

const SIP_COLUMNS: Column<ClientSip>[] = [
  { header: 'sip_meta_id', value: (s) => s.sip_meta_id },
  { header: 'schemes', value: (s) => s.schemes.join('; ') },
  { header: 'amount', value: (s) => s.amount, numeric: true },
  { header: 'debit_days', value: (s) => s.sip_days.join(' ') },
  { header: 'monthly_amount', value: (s) => s.monthly_amount, numeric: true },
  { header: 'status', value: (s) => (s.deleted ? 'deleted' : s.status) },
  { header: 'active', value: (s) => s.is_active },
  { header: 'start_date', value: (s) => s.start_date },
  { header: 'latest_success', value: (s) => s.latest_success_order_date },
  { header: 'success_amount', value: (s) => s.success_amount, numeric: true },
  { header: 'failed_amount', value: (s) => s.failed_amount, numeric: true },
]

/** `client <user_id> [--as-of D] [--format …]` */
export async function clientCommand(args: string[]): Promise<void> {
  const { values, positionals } = usage('client', () => parseArgs({ args, options: COMMON, allowPositionals: true }))
  const format = parseFormat(values.format)
  if (positionals.length !== 1) throw new UsageError('client: name exactly one user_id')
  const request = parseRequest('client:get', { user_id: positionals[0], as_of: values['as-of'] })
  const client = withDb(values.db, values['as-of'], (db) => getClient(db, request))
  if (format === 'json') return void console.log(JSON.stringify(client, null, 2))
  if (format === 'csv') return void process.stdout.write(render('csv', SIP_COLUMNS, client.sips))
  console.log(`${client.name ?? client.user_id}${client.name ? ` (${client.user_id})` : ''}`)
  if (client.phone_number || client.email) console.log([client.phone_number, client.email].filter(Boolean).join(' · '))
  if (client.agent_name || client.agent_external_id) console.log(`Agent: ${client.agent_name ?? client.agent_external_id}`)
  console.log(`As of ${formatDate(client.as_of)}\n`)
  process.stdout.write(
    render('table', SIP_COLUMNS, client.sips, (c, s) => {
      const v = c.value(s)
      return c.numeric
        ? money(v as number | null)
        : c.header.endsWith('date') || c.header === 'latest_success'
          ? formatDate(v as string | null)
          : String(v ?? '—')
    }),
  )
  console.log(client.opportunities.length === 0 ? '\nNo opportunities.' : '\nOpportunities:')
  for (const o of client.opportunities) console.log(`- ${TYPE_LABELS[o.type]} (score ${o.score}, ${o.status}): ${o.description}`)
}
