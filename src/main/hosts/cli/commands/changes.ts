import { createInterface } from 'node:readline/promises'
import type { Db } from '../../../db/open'
import { ask } from '../ask'
import { undoLastImport } from '../../../services/undo'
import { PAGE_LIMIT, type RequestInput } from '../../../../shared/contract'
import {
  eventCount,
  reopenedHeadline,
  SIP_EVENTS,
  undoSummary,
  type ChangeSet,
  type EventValues,
  type OpportunityChange,
  type SipEvent,
} from '../../../../shared/changes'
import { agentLabel, clientLabel } from '../../../../shared/detection'
import { formatCount, formatDate, formatDateTime, formatInr } from '../../../../shared/format'
import { defineCommand, usageError, wholeNumber } from '../command'
import { printJson, render, say, type Column } from '../output'

/** Every event and opportunity of one import, paging through the service. */
async function wholeChangeSet(db: Db, request: RequestInput<'changes:get'>): Promise<ChangeSet> {
  const first = await ask(db, 'changes:get', { ...request, limit: PAGE_LIMIT, offset: 0 })
  for (let offset = PAGE_LIMIT; offset < Math.max(first.sip_event_total, first.opportunity_total); offset += PAGE_LIMIT) {
    const page = await ask(db, 'changes:get', { ...request, import_id: first.import_id, limit: PAGE_LIMIT, offset })
    first.sip_events.push(...page.sip_events)
    first.opportunities.push(...page.opportunities)
  }
  return first
}

const values = (v: EventValues | null): string =>
  v === null
    ? ''
    : Object.entries(v)
        .map(([key, value]) => `${key} ${typeof value === 'number' && key.endsWith('amount') ? formatInr(value) : String(value)}`)
        .join(', ')

const EVENT_COLUMNS: Column<SipEvent>[] = [
  { header: 'event', value: (e) => e.event },
  { header: 'sip_meta_id', value: (e) => e.sip_meta_id },
  { header: 'client', value: (e) => clientLabel(e.client_name, e.user_id) },
  { header: 'agent', value: agentLabel },
  { header: 'before', value: (e) => values(e.before) },
  { header: 'after', value: (e) => values(e.after) },
]

const OPPORTUNITY_COLUMNS: Column<OpportunityChange>[] = [
  { header: 'change', value: (o) => o.change },
  { header: 'type', value: (o) => o.type },
  { header: 'client', value: (o) => clientLabel(o.client_name, o.user_id) },
  { header: 'agent', value: agentLabel },
  { header: 'annual_value', value: (o) => formatInr(o.annual_value), numeric: true },
  { header: 'follow_up', value: (o) => (o.credited ? `credited: ${o.reason}` : o.reopened ? 'reopened' : '') },
]

const REOPENED_COLUMNS: Column<ChangeSet['reopened'][number]>[] = [
  { header: 'type', value: (r) => r.type },
  { header: 'client', value: (r) => clientLabel(r.client_name, r.user_id) },
  { header: 'agent', value: agentLabel },
  { header: 'events', value: (r) => r.events.map((e) => (e.sip_meta_id ? `${e.event} (SIP ${e.sip_meta_id})` : e.event)).join(', ') },
]

export const changes = defineCommand({
  name: 'changes',
  summary: "One import's changes (SIP events, opportunities new and resolved, follow-ups credited); by default the latest not undone.",
  options: {
    import: { type: 'string', value: 'ID', check: wholeNumber(1), help: 'the import (default: the latest not undone)' },
    format: { type: 'string', choices: ['table', 'json'], help: 'table for a terminal (default) or json' },
  },
  async run({ values: options, openBook }) {
    const c = await wholeChangeSet(openBook(undefined), { import_id: options.import === undefined ? undefined : Number(options.import) })
    if (options.format === 'json') {
      const json = {
        import_id: c.import_id,
        undone: c.undone,
        previous_as_of: c.previous_as_of,
        as_of: c.as_of,
        totals: c.totals,
        sip_events: c.sip_events.map(({ sip_meta_id, user_id, agent_external_id, event, before, after }) => ({
          sip_meta_id,
          user_id,
          agent_external_id,
          event,
          before,
          after,
        })),
        opportunities: c.opportunities.map(({ type, user_id, agent_external_id, change, annual_value, credited }) => ({
          type,
          user_id,
          agent_external_id,
          change,
          annual_value,
          credited,
        })),
        reopened: c.reopened.map(({ type, user_id, agent_external_id, events }) => ({ type, user_id, agent_external_id, events })),
      }
      return printJson(json)
    }
    if (!c.changed) return say(`Import #${c.import_id}: ${c.files.join(', ')}, ${formatDateTime(c.started_at)}; nothing changed`)
    const events = SIP_EVENTS.filter((e) => c.event_counts[e] > 0).map((e) => eventCount(e, c.event_counts[e]))
    say(
      `Import #${c.import_id}${c.undone ? ' (undone)' : ''}: ${c.files.join(', ')}, ${formatDateTime(c.started_at)}; ` +
        `as of ${formatDate(c.as_of)}${c.previous_as_of ? `, previous export ${formatDate(c.previous_as_of)}` : ' (first import)'}`,
    )
    say(`SIP events: ${events.length > 0 ? events.join(', ') : 'none'}`)
    say(
      `Opportunities: ${formatCount(c.totals.new)} new, ${formatCount(c.totals.resolved)} resolved; ` +
        `${formatCount(c.totals.credited)} credited, ${formatInr(c.totals.won_annual)} a year won`,
    )
    if (c.reopened.length > 0) {
      say(`\n${reopenedHeadline(c.reopened)}`)
      process.stdout.write(render('table', REOPENED_COLUMNS, c.reopened))
    }
    if (c.sip_events.length > 0) process.stdout.write(`\n${render('table', EVENT_COLUMNS, c.sip_events)}`)
    if (c.opportunities.length > 0) process.stdout.write(`\n${render('table', OPPORTUNITY_COLUMNS, c.opportunities)}`)
  },
})

/** Asks a yes/no question on the terminal; false unless the answer starts with y. */
async function confirm(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return /^y/i.test((await prompt.question(`${question} [y/N] `)).trim())
  } finally {
    prompt.close()
  }
}

export const undoImport = defineCommand({
  name: 'undo-import',
  summary:
    'Undoes the most recent import not undone (follow-ups, calls and notes stay); asks first on a terminal, refuses elsewhere without --yes.',
  options: { yes: { type: 'boolean', help: 'undo without asking' } },
  async run({ values: options, openDb }) {
    const db = openDb('existing')
    const last = (await ask(db, 'import:list', {})).find((s) => !s.undone && s.changed)
    if (!options.yes) {
      if (!last) throw usageError('undo-import', 'nothing to undo: every import has been undone, or none was made')
      if (!process.stdin.isTTY) throw usageError('undo-import', 'not confirmed; add --yes to undo without being asked')
      const what = `import #${last.import_id} (${last.files.map((f) => f.file).join(', ')}, ${formatDateTime(last.finished_at)})`
      if (!(await confirm(`Undo ${what}? Its SIPs, history and clients go back to before it; follow-ups, calls and notes stay.`))) {
        throw usageError('undo-import', 'not undone')
      }
    }
    const result = undoLastImport(db)
    say(`Undid import #${result.import_id} (${result.files.join(', ')}): ${undoSummary(result)}; as of ${formatDate(result.as_of)}`)
  },
})
