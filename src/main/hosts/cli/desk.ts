import { parseArgs } from 'node:util'
import { openDb } from '../../db/open'
import { clientAgent, logCall } from '../../services/calls'
import { updateFollowUp } from '../../services/followUps'
import { getSettings, updateSettings } from '../../services/settings'
import { listToday } from '../../services/today'
import { parseRequest, thresholdsSchema, advisorProfile, PAGE_LIMIT } from '../../../shared/contract'
import { DEFAULT_THRESHOLDS, TYPE_LABELS, OUTCOME_LABELS, clientLabel, type TodayRow } from '../../../shared/detection'
import { formatCount, formatDate, formatDateTime, formatInr } from '../../../shared/format'
import { resolveDbPath } from '../paths'
import { usage, UsageError } from './args'
import { render, type Column } from './output'
import { withDb } from './report'

/** `today [--agent ID] [--as-of D] [--limit N] [--format table|json]` (SPEC §6): the call queue in its order. */
export async function todayCommand(args: string[]): Promise<void> {
  const { values } = usage('today', () =>
    parseArgs({
      args,
      options: { db: { type: 'string' }, 'as-of': { type: 'string' }, format: { type: 'string' }, agent: { type: 'string' }, limit: { type: 'string' } },
    }),
  )
  const format = values.format ?? 'table'
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format: expected table or json, got "${format}"`)
  const limit = values.limit === undefined ? Infinity : Number(values.limit)
  if (!(limit >= 1) || (limit !== Infinity && !Number.isInteger(limit)))
    throw new UsageError(`--limit: expected a whole number of at least 1, got "${values.limit}"`)
  const request = parseRequest('today:list', { agent: values.agent, as_of: values['as-of'] })
  const rows = withDb(values.db, values['as-of'], (db) => {
    const collected: TodayRow[] = []
    for (;;) {
      const page = listToday(db, { ...request, limit: Math.min(PAGE_LIMIT, limit - collected.length), offset: collected.length })
      collected.push(...page.rows)
      if (page.rows.length === 0 || collected.length >= Math.min(limit, page.total)) return collected
    }
  })
  if (format === 'json') {
    // SPEC §6: the fields of a Today row, without the opportunities' full records (see `opportunities`).
    const plain = rows.map(({ opportunities: _, email: __, ...row }) => row)
    return void console.log(JSON.stringify(plain, null, 2))
  }
  const columns: Column<TodayRow>[] = [
    { header: '#', value: (r) => r.group },
    { header: 'client', value: (r) => clientLabel(r.client_name, r.user_id) },
    { header: 'phone', value: (r) => r.phone },
    { header: 'at_stake', value: (r) => formatInr(r.at_stake), numeric: true },
    { header: 'next', value: (r) => (r.next_action_date ? formatDate(r.next_action_date) : r.final_warning_date ? `debit ${formatDate(r.final_warning_date)}` : '') },
    { header: 'reasons', value: (r) => r.reasons.map((reason) => TYPE_LABELS[reason.type]).join(', ') },
    { header: 'last_call', value: (r) => (r.last_call ? `${OUTCOME_LABELS[r.last_call.outcome]} ${formatDateTime(r.last_call.at)}` : '') },
  ]
  process.stdout.write(render('table', columns, rows))
  console.log(`${formatCount(rows.length)} clients to call (groups: 1 overdue, 2 due today, 3 one failure from cancellation, 4 the rest)`)
}

/** Opens the database for a user's change: the change is a write, so no rebuild is needed first. */
function withWritableDb<T>(path: string | undefined, run: (db: ReturnType<typeof openDb>) => T): T {
  const db = openDb(resolveDbPath(path))
  try {
    return run(db)
  } finally {
    db.close()
  }
}

/** `follow-up --type T --client U [--agent A] [--state S] [--next YYYY-MM-DD|none] [--note TEXT]` */
export async function followUpCommand(args: string[]): Promise<void> {
  const { values } = usage('follow-up', () =>
    parseArgs({
      args,
      options: {
        db: { type: 'string' },
        type: { type: 'string' },
        client: { type: 'string' },
        agent: { type: 'string' },
        state: { type: 'string' },
        next: { type: 'string' },
        note: { type: 'string' },
      },
    }),
  )
  if (!values.type || !values.client) throw new UsageError('follow-up: --type and --client are required')
  const followUp = withWritableDb(values.db, (db) => {
    const change = parseRequest('followup:update', {
      type: values.type,
      user_id: values.client,
      agent_external_id: clientAgent(db, values.client!, values.agent) || null,
      state: values.state,
      next_action_date: values.next === 'none' ? null : values.next,
      note: values.note,
    })
    return updateFollowUp(db, change)
  })
  console.log(
    `${TYPE_LABELS[followUp.type]} for ${followUp.user_id}: ${followUp.state}` +
      (followUp.next_action_date ? `, next action ${formatDate(followUp.next_action_date)}` : ''),
  )
}

/** `log-call --client U [--agent A] --outcome O [--note TEXT] [--next YYYY-MM-DD]` */
export async function logCallCommand(args: string[]): Promise<void> {
  const { values } = usage('log-call', () =>
    parseArgs({
      args,
      options: { db: { type: 'string' }, client: { type: 'string' }, agent: { type: 'string' }, outcome: { type: 'string' }, note: { type: 'string' }, next: { type: 'string' } },
    }),
  )
  if (!values.client || !values.outcome) throw new UsageError('log-call: --client and --outcome are required')
  const call = parseRequest('calls:log', { user_id: values.client, outcome: values.outcome, note: values.note, next_action_date: values.next })
  const result = withWritableDb(values.db, (db) => logCall(db, { ...call, agent_external_id: clientAgent(db, call.user_id, values.agent) }))
  console.log(`Logged ${OUTCOME_LABELS[result.call.outcome].toLowerCase()} for ${result.call.user_id} at ${formatDateTime(result.call.at)}`)
  for (const a of result.applied)
    console.log(`  ${TYPE_LABELS[a.type]}: ${a.state}${a.next_action_date ? `, next action ${formatDate(a.next_action_date)}` : ''}`)
}

/** Settings the CLI reads and writes by name (SPEC §6). */
const THRESHOLD_KEYS = Object.keys(DEFAULT_THRESHOLDS) as (keyof typeof DEFAULT_THRESHOLDS)[]
const ADVISOR_KEYS = ['advisor_name', 'advisor_arn', 'advisor_euin', 'advisor_phone', 'advisor_email'] as const
const SETTING_KEYS = [...THRESHOLD_KEYS, 'as_of_mode', 'as_of_date', ...ADVISOR_KEYS] as const

/** `settings [KEY [VALUE]]`: all, one, or set one; a refused value exits 1 and changes nothing. */
export async function settingsCommand(args: string[]): Promise<void> {
  const { values, positionals } = usage('settings', () => parseArgs({ args, allowPositionals: true, options: { db: { type: 'string' } } }))
  if (positionals.length > 2) throw new UsageError('settings: expected at most a KEY and a VALUE')
  const [key, value] = positionals
  if (key !== undefined && !(SETTING_KEYS as readonly string[]).includes(key))
    throw new UsageError(`settings: unknown setting "${key}" (settings: ${SETTING_KEYS.join(', ')})`)
  const settings = withWritableDb(values.db, (db) => {
    if (value === undefined) return getSettings(db)
    if ((THRESHOLD_KEYS as readonly string[]).includes(key)) {
      const number = value.trim() === '' ? NaN : Number(value)
      const parsed = thresholdsSchema.shape[key as (typeof THRESHOLD_KEYS)[number]].safeParse(number)
      if (!parsed.success) throw new UsageError(`settings: ${key} ${parsed.error.issues[0].message.toLowerCase()}, got "${value}"`)
      return updateSettings(db, parseRequest('settings:update', { thresholds: { [key]: parsed.data } }))
    }
    if ((ADVISOR_KEYS as readonly string[]).includes(key)) {
      const field = key.slice('advisor_'.length) as keyof typeof advisorProfile.shape
      return updateSettings(db, parseRequest('settings:update', { advisor: { [field]: value.trim() === '' ? null : value } }))
    }
    if (key === 'as_of_date') return updateSettings(db, parseRequest('settings:update', { as_of_date: value === 'none' ? null : value }))
    return updateSettings(db, parseRequest('settings:update', { as_of_mode: value }))
  })
  const flat: Record<string, string | number | null> = {
    ...settings.thresholds,
    as_of_mode: settings.as_of_mode,
    as_of_date: settings.as_of_date,
    ...Object.fromEntries(ADVISOR_KEYS.map((k) => [k, settings.advisor[k.slice('advisor_'.length) as keyof typeof settings.advisor]])),
  }
  if (key !== undefined) return void console.log(flat[key] ?? '')
  for (const k of SETTING_KEYS) console.log(`${k} = ${flat[k] ?? ''}`)
}
