import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { finishedJob, freshDbEachTest, generatedExport } from '../testing/support'
import { createServices } from '.'
import { ImportJobs, importFiles } from './imports'
import { agentsBehind, isStale, rebuildDerived, refreshIfStale } from './derived'
import { listOpportunities } from './opportunities'
import { getClient } from './clients'
import { missingIndexes } from '../db/indexes'
import { INDEXES_AFTER_COMMIT } from '../db/schema'
import { BOOK_FIGURES } from './bookFigures'
import { logCall } from './calls'
import { listToday } from './today'
import { parseRequest } from '../../shared/contract'
import { getStats, listAgents } from './stats'
import type { AgentList } from '../../shared/detection'
import { resolveAsOf } from './settings'

const ctx = freshDbEachTest()

const servicesFor = () => createServices({ db: ctx.db, host: 'web', version: '0.0.0', resourcesDir: ctx.tmp.dir })

describe('an import', () => {
  it('stores the agents table just after its commit: until then the table reads "recalculating", with the previous figures (none after a first import)', async () => {
    const months = await Promise.all([1, 2].map((month) => generatedExport(ctx.tmp.dir, `month${month}.json`, { sips: 2_000, seed: 12, month })))
    const agentsNow = () => listAgents(ctx.db, {})
    const seen: AgentList[] = []
    const storedPart = (agents: AgentList['agents']) =>
      agents.map(({ annual_at_stake: _, ...row }) => row).sort((a, b) => String(a.agent_external_id).localeCompare(String(b.agent_external_id)))
    let before: AgentList['agents'] = []
    for (const file of months) {
      await importFiles(ctx.db.sqlite.name, [{ path: file, name: path.basename(file) }], { onCommitted: () => seen.push(agentsNow()) })
      const after = agentsNow()
      // ₹ at stake is read live from the queue; the rest of a row is the stored figures.
      expect(seen.at(-1)!.refreshing).toBe(true)
      expect(storedPart(seen.at(-1)!.agents)).toEqual(storedPart(before))
      expect(after.refreshing).toBe(false)
      // What a rebuild from scratch computes.
      expect(after.agents).toEqual(listAgents(ctx.db, {}).agents)
      rebuildDerived(ctx.db)
      expect(agentsNow().agents).toEqual(after.agents)
      before = after.agents
    }
    expect(seen[0].agents).toEqual([])
    expect(seen[1].agents.length).toBeGreaterThan(10)
  })

  it('saves a call logged while the agents table is being worked out after its commit, without waiting for it', async () => {
    const file = await generatedExport(ctx.tmp.dir, 'book.json', { sips: 1_000, seed: 13 })
    const agentsOf = BOOK_FIGURES.agents
    const logged: unknown[] = []
    vi.spyOn(BOOK_FIGURES, 'agents').mockImplementation((db) => {
      const row = listToday(ctx.db, { limit: 1 }).rows[0]
      // Were the import's connection holding the write lock now, this would wait out the busy timeout and fail.
      logged.push(logCall(ctx.db, parseRequest('calls:log', { user_id: row.user_id, agent_external_id: row.agent_external_id, outcome: 'reached' })))
      return agentsOf(db)
    })
    await importFiles(ctx.db.sqlite.name, [{ path: file, name: 'book.json' }])
    expect(logged).toHaveLength(1)
    expect(agentsBehind(ctx.db)).toBe(false)
    expect(listAgents(ctx.db, {}).agents.length).toBeGreaterThan(0)
  })

  it("answers the list, a client, an agent's queue and the dashboard's figures before building their indexes and storing the figures, after the commit, the same as after; the next refresh builds any an interruption left out", async () => {
    const file = await generatedExport(ctx.tmp.dir, 'book.json', { sips: 2_000, seed: 14 })
    const queries = [{}, { sort: 'current_sip_amount', direction: 'desc' }, { sort: 'annual_value' }, { type: 'failed_sips' }, { type: 'sip_ending', sort: 'annual_value', direction: 'desc' }]
    const pages = () => queries.map((query) => listOpportunities(ctx.db, parseRequest('opportunities:list', query)).rows.map((row) => `${row.type} ${row.user_id} ${row.agent_external_id}`))
    const missing = () => INDEXES_AFTER_COMMIT.flatMap(([table, names]) => missingIndexes(ctx.db.sqlite, table, names))
    const firstClient = () => {
      const { user_id, agent_external_id } = listToday(ctx.db, { limit: 1 }).rows[0]
      return { client: getClient(ctx.db, parseRequest('client:get', { user_id, agent_external_id })), agentQueue: listToday(ctx.db, { agent: agent_external_id!, limit: 30 }).rows }
    }
    const storedFigures = () => (ctx.db.sqlite.prepare('SELECT key FROM derived ORDER BY key').all() as { key: string }[]).map((row) => row.key)
    let atCommit: {
      missing: string[]
      pages: string[][]
      today: number
      first: ReturnType<typeof firstClient>
      stored: string[]
      stats: ReturnType<typeof getStats>
    } | null = null
    await importFiles(ctx.db.sqlite.name, [{ path: file, name: 'book.json' }], {
      onCommitted: () =>
        (atCommit = {
          missing: missing(),
          pages: pages(),
          today: listToday(ctx.db, { limit: 30 }).rows.length,
          first: firstClient(),
          stored: storedFigures(),
          stats: getStats(ctx.db, {}),
        }),
    })
    // Worked out from the book until stored, then read: the same figures.
    expect(atCommit!.stored).toEqual(['opportunities'])
    expect(storedFigures()).toEqual(['agents', 'book_totals', 'opportunities', 'type_figures'])
    expect(getStats(ctx.db, {})).toEqual(atCommit!.stats)
    expect(atCommit!.stats.book.live_sips).toBe(ctx.db.sqlite.prepare('SELECT count(*) FROM sips WHERE deleted IS NOT 1').pluck().get())
    expect(atCommit!.stats.total_opportunities).toBeGreaterThan(0)
    expect(atCommit!.missing).toEqual(INDEXES_AFTER_COMMIT.flatMap(([, names]) => names))
    expect(atCommit!.missing).toContain('sips_user')
    expect(atCommit!.today).toBe(30)
    expect(missing()).toEqual([])
    expect(pages()).toEqual(atCommit!.pages)
    expect(atCommit!.pages.every((page) => page.length > 0)).toBe(true)
    expect(firstClient()).toEqual(atCommit!.first)
    expect(atCommit!.first.agentQueue.length).toBeGreaterThan(0)

    // An app closed before they were built: the CLI's refresh builds them, and so does the host,
    // in the background, once the list is asked for (answering at once meanwhile).
    const interrupted = () => ctx.db.sqlite.exec('DROP INDEX opportunities_order; DROP INDEX opportunities_type_annual; DROP INDEX sips_agent')
    interrupted()
    expect(isStale(ctx.db, resolveAsOf(ctx.db))).toBe(false)
    refreshIfStale(ctx.db)
    expect(missing()).toEqual([])
    interrupted()
    const services = servicesFor()
    const page = await services.handlers['opportunities:list']({})
    expect(page.refreshing).toBe(false)
    expect(page.rows.map((row) => `${row.type} ${row.user_id} ${row.agent_external_id}`)).toEqual(atCommit!.pages[0])
    await services.jobs.idle()
    expect(missing()).toEqual([])
  })
})

describe('import jobs', () => {
  it('run in a worker: the host keeps answering, with the last committed book, while a job runs', async () => {
    const file = await generatedExport(ctx.tmp.dir, 'big.json', { sips: 5_000, seed: 3 })
    const { handlers } = servicesFor()
    const job = await handlers['import:start']({ sources: [{ kind: 'path', path: file }] })
    const answersDuringImport: number[] = []
    let status = job
    while (status.state === 'running') {
      answersDuringImport.push((await handlers['app:info']({})).sip_count)
      await new Promise((resolve) => setTimeout(resolve, 5))
      status = await handlers['import:status']({ job_id: job.job_id })
    }
    expect(status.state).toBe('done')
    // Many answers arrived while the worker was reading, each showing the book as it was before;
    // once it committed (and went on to find opportunities), the whole file, never a part of it.
    expect(answersDuringImport.filter((n) => n === 0).length).toBeGreaterThan(10)
    expect(answersDuringImport.every((n) => n === 0 || n === 5_000)).toBe(true)
    expect((await handlers['app:info']({})).sip_count).toBe(5_000)
    expect(status.reports[0]).toMatchObject({ file: 'big.json', inserted: 5_000 })
  })

  it('leave the opportunities and totals ready, so the first stats after an import need no rebuild', async () => {
    const file = await generatedExport(ctx.tmp.dir, 'book.json', { sips: 2_000, seed: 4 })
    const services = servicesFor()
    const { handlers } = services
    const job = await handlers['import:start']({ sources: [{ kind: 'path', path: file }] })
    await finishedJob(() => handlers['import:status']({ job_id: job.job_id }))
    expect(await handlers['stats:get']({})).toMatchObject({ refreshing: false, total_opportunities: expect.any(Number) })
    // The agents table's figures follow the commit in the same worker.
    await services.jobs.idle()
    const derived = ctx.db.sqlite.prepare('SELECT key FROM derived ORDER BY key').all()
    expect(derived).toEqual([{ key: 'agents' }, { key: 'book_totals' }, { key: 'opportunities' }, { key: 'type_figures' }])
    expect((await handlers['agents:list']({})).refreshing).toBe(false)
    expect(isStale(ctx.db, resolveAsOf(ctx.db))).toBe(false)
    expect((await handlers['stats:get']({})).total_opportunities).toBeGreaterThan(0)
  })

  it('are done at the commit; the WAL is folded back after, and an import asked for right then waits for it instead of being refused', async () => {
    const files = await Promise.all([
      generatedExport(ctx.tmp.dir, 'month1.json', { sips: 3_000, seed: 8, month: 1 }),
      generatedExport(ctx.tmp.dir, 'month2.json', { sips: 3_000, seed: 8, month: 2 }),
    ])
    const services = servicesFor()
    const wal = `${ctx.db.sqlite.name}-wal`
    for (const file of files) {
      const job = await services.handlers['import:start']({ sources: [{ kind: 'path', path: file }] })
      expect((await finishedJob(() => services.handlers['import:status']({ job_id: job.job_id }))).state).toBe('done')
      // The new book is read at once, from the WAL while it is being folded back.
      expect((await services.handlers['today:list']({ limit: 5 })).refreshing).toBe(false)
    }
    expect((await services.handlers['import:list']({})).map((set) => set.files[0].file)).toEqual(['month2.json', 'month1.json'])
    await services.jobs.idle()
    expect(services.jobs.isRunning()).toBe(false)
    expect(fs.statSync(wal).size).toBe(0)
  })

  it('cancel on request, leaving nothing of the file behind', async () => {
    const file = await generatedExport(ctx.tmp.dir, 'big.json', { sips: 5_000, seed: 5 })
    const { handlers } = servicesFor()
    const job = await handlers['import:start']({ sources: [{ kind: 'path', path: file }] })
    await handlers['import:cancel']({ job_id: job.job_id })
    const ended = await finishedJob(() => handlers['import:status']({ job_id: job.job_id }))
    expect(ended.state).toBe('cancelled')
    expect(ended.error).toMatch(/big\.json: import cancelled; nothing was imported/)
    expect((await handlers['app:info']({})).sip_count).toBe(0)
  })

  it('recalculate in the worker after a threshold change, answering with the previous figures meanwhile', async () => {
    const file = await generatedExport(ctx.tmp.dir, 'book.json', { sips: 3_000, seed: 6 })
    const { handlers } = servicesFor()
    const job = await handlers['import:start']({ sources: [{ kind: 'path', path: file }] })
    await finishedJob(() => handlers['import:status']({ job_id: job.job_id }))
    const before = await handlers['stats:get']({})
    expect(before.refreshing).toBe(false)

    await handlers['settings:update']({ thresholds: { min_failed_amount: 1_00_000 } })
    const meanwhile = await handlers['stats:get']({})
    expect(meanwhile.refreshing).toBe(true)
    expect(meanwhile.by_type).toEqual(before.by_type)
    expect((await handlers['opportunities:list']({ limit: 1 })).refreshing).toBe(true)

    let after = meanwhile
    while (after.refreshing) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      after = await handlers['stats:get']({})
    }
    expect(after.by_type.failed_sips.count).toBeLessThan(before.by_type.failed_sips.count)
    expect(after.by_type.no_sip_increase).toEqual(before.by_type.no_sip_increase)
  })

  it('forget the oldest finished jobs beyond a bound, keeping the latest ones answerable', async () => {
    const jobs = new ImportJobs(ctx.db.path, { finishedKept: 2 })
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const { job_id: jobId } = await jobs.start([])
      ids.push(jobId)
      expect(await finishedJob(() => jobs.status(jobId))).toMatchObject({ state: 'done' })
    }
    expect(() => jobs.status(ids[0])).toThrow(expect.objectContaining({ code: 'not_found', message: `no import job ${ids[0]}` }))
    expect(ids.slice(1).map((id) => jobs.status(id).state)).toEqual(['done', 'done'])
  })

  it('stop a recalculation when an import starts, and leave the import to recalculate', async () => {
    const { handlers } = servicesFor()
    const first = await handlers['import:start']({
      sources: [{ kind: 'path', path: await generatedExport(ctx.tmp.dir, 'a.json', { sips: 5_000, seed: 7 }) }],
    })
    await finishedJob(() => handlers['import:status']({ job_id: first.job_id }))
    await handlers['settings:update']({ thresholds: { min_months_running: 24 } })
    expect((await handlers['stats:get']({})).refreshing).toBe(true) // a recalculation is now running
    const second = await handlers['import:start']({
      sources: [{ kind: 'path', path: await generatedExport(ctx.tmp.dir, 'b.json', { sips: 500, seed: 8 }) }],
    })
    expect(await finishedJob(() => handlers['import:status']({ job_id: second.job_id }))).toMatchObject({ state: 'done', error: null })
    const stats = await handlers['stats:get']({})
    expect(stats.refreshing).toBe(false)
    expect(stats.book.live_sips).toBeGreaterThan(5_000)
    expect(ctx.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('undo in a worker: the host keeps answering with the later book until the undo commits, and no import starts meanwhile', async () => {
    const { handlers } = servicesFor()
    for (const month of [1, 2]) {
      const file = await generatedExport(ctx.tmp.dir, `month${month}.json`, { sips: 8_000, seed: 9, month })
      const job = await handlers['import:start']({ sources: [{ kind: 'path', path: file }] })
      expect(await finishedJob(() => handlers['import:status']({ job_id: job.job_id }))).toMatchObject({ state: 'done' })
    }
    const later = (await handlers['app:info']({})).sip_count
    expect(later).toBeGreaterThan(8_000) // the second month brought new SIPs
    const undoing = Promise.resolve(handlers['import:undo']({ confirm: true }))
    let settled = false
    void undoing.finally(() => (settled = true))
    const answersDuringUndo: number[] = []
    while (!settled) {
      answersDuringUndo.push((await handlers['app:info']({})).sip_count)
      if (answersDuringUndo.length === 1) {
        await expect(handlers['import:start']({ sources: [{ kind: 'sample' }] })).rejects.toMatchObject({
          code: 'conflict',
          message: 'an undo is running; wait for it to finish',
        })
      }
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const undone = await undoing
    expect(undone).toMatchObject({ import_id: 2, files: ['month2.json'] })
    expect(answersDuringUndo.filter((n) => n === later).length).toBeGreaterThan(5)
    expect((await handlers['app:info']({})).sip_count).toBe(8_000) // the first month's book
    await handlers['import:undo']({ confirm: true })
    await expect(handlers['import:undo']({ confirm: true })).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/^nothing to undo/),
    })
  }, 120_000)
})
