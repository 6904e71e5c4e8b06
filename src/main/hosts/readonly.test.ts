import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFile } from '../import/importer'
import { createServices } from '../services'
import { refreshIfStale, storedVersion } from '../services/derived'
import { updateSettings } from '../services/settings'
import { fileBytes, firstMigrations, generatedExport, scratch } from '../testing/support'
import { asAppError, dispatch } from './dispatch'
import { runCli, runCliWith } from './cli/cliProcess'
import type { Channel } from '../../shared/channels'
import { isReadOnlyFile, openDb } from '../db/open'

const tmp = scratch()
const book = tmp.file('book.sqlite')
let source: string

/** A book with opportunities, made stale (a threshold changed after the last rebuild), then made read-only. */
beforeAll(async () => {
  source = await generatedExport(tmp.dir, 'book.json', { sips: 400, seed: 5 })
  const db = openDb(book)
  await importFile(db.sqlite, source)
  refreshIfStale(db)
  updateSettings(db, { thresholds: { min_months_running: 6 } })
  db.close()
  fs.chmodSync(book, 0o444)
}, 60_000)
afterAll(() => {
  fs.chmodSync(tmp.dir, 0o755)
  tmp.cleanup()
})

describe('a read-only book', () => {
  it('is browsed: lists, stats, agents, a client and Today answer (inside the contract), and nothing is written', async () => {
    const before = fileBytes(book)
    expect(isReadOnlyFile(book)).toBe(true)
    const db = openDb(book)
    expect(db.readOnly).toBe(true)
    const version = storedVersion(db)
    const { handlers } = createServices({ db, host: 'web', version: '0', resourcesDir: tmp.dir })
    const ask = async (channel: Channel, request: unknown = {}) => dispatch(handlers, channel, request, { checkAnswers: true })
    expect(await ask('app:info')).toMatchObject({ ok: true, data: { read_only: true } })
    const list = await ask('opportunities:list', { limit: 10 })
    expect(list).toMatchObject({ ok: true, data: { refreshing: false } })
    const first = (list as { data: { rows: { user_id: string; type: string; agent_external_id: string | null }[] } }).data.rows[0]
    for (const [channel, request] of [
      ['stats:get', {}],
      ['agents:list', {}],
      ['today:list', {}],
      ['client:get', { user_id: first.user_id }],
      ['clients:search', { query: first.user_id.slice(0, 5) }],
      ['settings:get', {}],
      ['import:list', {}],
    ] as const) {
      expect(await ask(channel, request), channel).toMatchObject({ ok: true })
    }
    // Stale (a threshold changed), yet read as it is: no rebuild, no recalculation asked for.
    expect(storedVersion(db)).toBe(version)
    // Every change is refused with the one read-only error, before anything runs.
    for (const [channel, request] of [
      ['followup:update', { type: first.type, user_id: first.user_id, agent_external_id: first.agent_external_id, state: 'contacted' }],
      ['calls:log', { user_id: first.user_id, outcome: 'reached' }],
      ['settings:update', { as_of_mode: 'today' }],
      ['data:clear', { confirm: true }],
      ['import:undo', { confirm: true }],
      ['import:start', { sources: [{ kind: 'path', path: source }] }],
    ] as const) {
      expect(await ask(channel, request), channel).toEqual({
        ok: false,
        error: { code: 'read_only', message: expect.stringMatching(/this book is read-only: it can be browsed, not changed/) },
      })
    }
    db.close()
    expect(fileBytes(book).equals(before)).toBe(true)
  })

  it('opened read-only on request, a write that gets through is the same refusal, not a crash', () => {
    const file = tmp.file('writable.sqlite')
    openDb(file).close()
    const db = openDb(file, { readonly: true })
    let failure: unknown
    try {
      updateSettings(db, { as_of_mode: 'today' })
    } catch (error) {
      failure = asAppError(error, 'settings')
    }
    db.close()
    expect(failure).toMatchObject({ code: 'read_only', message: expect.stringMatching(/^settings: this book is read-only/) })
  })

  it('that would need a migration is refused with a clear message, untouched', () => {
    const old = tmp.file('old.sqlite')
    openDb(old, { migrationsFolder: firstMigrations(tmp.dir, 3) }).close()
    fs.chmodSync(old, 0o444)
    const before = fileBytes(old)
    expect(() => openDb(old)).toThrow(/read-only and needs upgrading to this version/)
    expect(fileBytes(old).equals(before)).toBe(true)
  })
})

describe('the CLI on a read-only book', () => {
  it('stats works; follow-up exits 1 with one line', () => {
    const stats = runCli('stats', '--db', book, '--format', 'json')
    expect(stats.code).toBe(0)
    expect(JSON.parse(stats.stdout)).toMatchObject({ total_opportunities: expect.any(Number) })
    expect(stats.stderr).toMatch(/^partner-dashboard: note: .* is read-only; its opportunities are as last computed/)
    const change = runCli('follow-up', '--type', 'failed_sips', '--client', 'someone', '--state', 'contacted', '--db', book)
    expect(change.code).toBe(1)
    expect(change.stdout).toBe('')
    expect(change.stderr.trim().split('\n')).toHaveLength(1)
    expect(change.stderr).toMatch(/read-only: it can be browsed, not changed/)
  })

  // In a folder nobody may write, SQLite cannot make the WAL index beside the book: it is read from a copy.
  it.runIf(process.getuid?.() === 0)('in a read-only folder, as a user who may not write it, stats works', () => {
    const folder = tmp.file('locked')
    fs.mkdirSync(folder)
    const locked = path.join(folder, 'book.sqlite')
    fs.copyFileSync(book, locked)
    fs.chmodSync(locked, 0o644)
    fs.chmodSync(folder, 0o555)
    fs.chmodSync(tmp.dir, 0o755)
    const asNobody = (...args: string[]) => runCliWith({ uid: 65534, gid: 65534, env: { HOME: '/tmp' } }, ...args)
    const stats = asNobody('stats', '--db', locked, '--format', 'json')
    expect(stats.stderr).not.toMatch(/Error|at /)
    expect(stats.code).toBe(0)
    expect(JSON.parse(stats.stdout)).toMatchObject({ total_opportunities: expect.any(Number) })
    const change = asNobody('log-call', '--client', 'someone', '--outcome', 'reached', '--db', locked)
    expect(change.code).toBe(1)
    expect(change.stderr).toMatch(/^partner-dashboard: .*read-only/)
    expect(fs.readdirSync(folder)).toEqual(['book.sqlite'])
  })
})
