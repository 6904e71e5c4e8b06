import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type Database from 'better-sqlite3'
import { importFile } from '../import/importer'
import type { Db } from '../db/open'
import { generatedExport, scratch, tempDb } from '../testing/support'
import { FOLLOW_UP_STATES } from '../../shared/detection'
import { addDays, localToday } from '../../shared/format'
import { logCall, logMessage } from './calls'
import { refreshIfStale } from './derived'
import { getDayPlan } from './dayPlan'
import { updateFollowUp } from './followUps'
import { listOpportunities } from './opportunities'
import { updateSettings } from './settings'
import { listScheduled, listToday } from './today'

/**
 * Issue #25 point 2: Today's page, the day's plan and Scheduled each run a fixed number of SQL statements
 * whatever the page's size and the book's (set queries, never one query per row).
 */

const tmp = scratch()
const books: Record<'small' | 'large', Db> = {} as never

/** A book of `sips` with its client list, follow-ups on every 7th opportunity (overdue, due today, scheduled), calls and messages. */
async function book(name: string, sips: number): Promise<Db> {
  const db = tempDb(tmp.dir, `${name}.sqlite`)
  const clients = tmp.file(`${name}-clients.json`)
  await importFile(db.sqlite, await generatedExport(tmp.dir, `${name}.json`, { sips, seed: 25, clientsPath: clients }))
  await importFile(db.sqlite, clients)
  refreshIfStale(db)
  const today = localToday()
  const dates = [addDays(today, -3), today, addDays(today, 5), addDays(today, 20)]
  const opportunities = listOpportunities(db, { limit: 1000, states: [...FOLLOW_UP_STATES], show_snoozed: true }).rows
  opportunities
    .filter((_, i) => i % 7 === 0)
    .forEach((o, i) =>
      updateFollowUp(db, { type: o.type, user_id: o.user_id, agent_external_id: o.agent_external_id, next_action_date: dates[i % 4] }),
    )
  // Calls on 14 clients, made overdue since so they lead the queue with their call; a message after some of the calls, a millisecond later.
  vi.useFakeTimers({ toFake: ['Date'], now: new Date() })
  try {
    for (const [i, row] of listToday(db, { limit: 40 }).rows.entries()) {
      if (i % 3 !== 0) continue
      const client = { user_id: row.user_id, agent_external_id: row.agent_external_id }
      logCall(db, { ...client, outcome: 'call_back', next_action_date: today })
      vi.setSystemTime(Date.now() + 1)
      if (i % 2 === 0) logMessage(db, { ...client, channel: 'copy', type: row.reasons[0].type, text: 'Hello' })
      for (const reason of row.reasons) updateFollowUp(db, { ...client, type: reason.type, next_action_date: addDays(today, -10) })
    }
  } finally {
    vi.useRealTimers()
  }
  return db
}

beforeAll(async () => {
  books.small = await book('small', 1000)
  books.large = await book('large', 10_000)
}, 120_000)

afterAll(() => {
  for (const db of Object.values(books)) db.close()
  tmp.cleanup()
})

/** How many statements `read` runs on `db` (each run of a statement, prepared now or kept from before; each `exec` and `pragma`), and its answer. */
function counted<T>(db: Db, read: () => T): { statements: number; answer: T } {
  const sqlite = db.sqlite
  const statementProto = Object.getPrototypeOf(sqlite.prepare('SELECT 1')) as Record<'run' | 'get' | 'all' | 'iterate', (...args: unknown[]) => unknown>
  const runs = { run: statementProto.run, get: statementProto.get, all: statementProto.all, iterate: statementProto.iterate }
  const original = { exec: sqlite.exec, pragma: sqlite.pragma }
  let statements = 0
  for (const method of Object.keys(runs) as (keyof typeof runs)[]) {
    statementProto[method] = function (this: Database.Statement, ...args: unknown[]) {
      if (this.database === sqlite) statements++
      return runs[method].apply(this, args)
    }
  }
  sqlite.exec = ((source: string) => {
    statements++
    return original.exec.call(sqlite, source)
  }) as typeof sqlite.exec
  sqlite.pragma = ((...args: Parameters<typeof sqlite.pragma>) => {
    statements++
    return original.pragma.apply(sqlite, args)
  }) as typeof sqlite.pragma
  try {
    return { answer: read(), statements }
  } finally {
    Object.assign(statementProto, runs)
    Object.assign(sqlite, original)
  }
}

let notes = 0

/** A follow-up saved (a note on the first client's first reason), as after each call: its client is worked out again (see `followed` in queue.ts). */
const afterAChange = (db: Db): void => {
  const row = listToday(db, { limit: 1 }).rows[0]
  updateFollowUp(db, { type: row.reasons[0].type, user_id: row.user_id, agent_external_id: row.agent_external_id, note: `note ${++notes}` })
}

describe('statements per request (issue #25)', () => {
  it('Today: the same number for a page of 10 or 60 rows, on a book of 1,000 or 10,000 SIPs; fewer asked again with nothing changed', () => {
    const runs = (['small', 'large'] as const).flatMap((size) =>
      [10, 60].map((limit) => {
        afterAChange(books[size])
        const { statements, answer } = counted(books[size], () => listToday(books[size], { limit }))
        expect(answer.rows).toHaveLength(limit)
        // Rows with everything a row reads: reasons, contact details, a last call, a last message.
        expect(answer.rows.every((r) => r.reasons.length > 0 && r.client_name !== null)).toBe(true)
        expect(answer.rows.some((r) => r.last_call !== null)).toBe(true)
        expect(answer.rows.some((r) => r.last_contact?.kind === 'message')).toBe(true)
        return statements
      }),
    )
    expect(new Set(runs).size).toBe(1)
    expect(runs[0]).toBeLessThan(20)
    const again = counted(books.large, () => listToday(books.large, { limit: 60 }))
    expect(again.statements).toBeLessThan(runs[0])
  })

  it('Scheduled: the same number on a book of 1,000 or 10,000 SIPs, however many clients it holds', () => {
    const small = counted(books.small, () => listScheduled(books.small, {}))
    const large = counted(books.large, () => listScheduled(books.large, {}))
    expect(large.answer.rows.length).toBeGreaterThan(small.answer.rows.length)
    expect(small.answer.rows.length).toBeGreaterThan(0)
    expect(large.statements).toBe(small.statements)
  })

  it('the day’s plan: the same number to fix and to read a plan of 10 or 60 clients on either book', () => {
    const fixAndRead = (size: 'small' | 'large', dailyCalls: number): [number, number] => {
      const db = books[size]
      db.sqlite.exec('DELETE FROM day_plan_clients; DELETE FROM day_plans')
      updateSettings(db, { queue: { daily_calls: dailyCalls } })
      const fixed = counted(db, () => getDayPlan(db, {}))
      const read = counted(db, () => getDayPlan(db, {}))
      expect(read.answer.rows).toHaveLength(dailyCalls)
      expect(read.answer.rows.map((r) => r.user_id)).toEqual(fixed.answer.rows.map((r) => r.user_id))
      return [fixed.statements, read.statements]
    }
    const runs = [fixAndRead('small', 10), fixAndRead('small', 60), fixAndRead('large', 10), fixAndRead('large', 60)]
    expect(new Set(runs.map(([fix]) => fix)).size).toBe(1)
    expect(new Set(runs.map(([, read]) => read)).size).toBe(1)
  })
})
