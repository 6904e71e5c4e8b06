import fs from 'node:fs'
import path from 'node:path'
import type { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { freshDbEachTest, finishedJob, generatedExport } from './testing/support'
import { prestartWorker, startWorker } from './workers'
import { IN_FLIGHT, type ParseJob, type ParseMessage } from './import/parsedBatches'
import { importClock } from './import/records'
import { ImportJobs } from './services/imports'
import { getStats } from './services/stats'

const ctx = freshDbEachTest()

/** The SIP ids a parse worker posts for its job, in order. */
function parsedIds(worker: Worker): Promise<string[]> {
  const ids: string[] = []
  return new Promise<string[]>((resolve, reject) => {
    worker.on('message', (message: ParseMessage) => {
      if (message.type === 'batch') {
        ids.push(...message.batch.rows.map((row) => String(row[0])))
        worker.postMessage({ credit: 1 })
      } else if (message.type === 'done') resolve(ids)
      else reject(new Error(message.message))
    })
  }).finally(() => void worker.terminate())
}

describe('a worker started ahead of its job', () => {
  it('takes the next job of its kind and does it as a worker started for it would; the job after starts a thread', async () => {
    const file = await generatedExport(ctx.tmp.dir, 'book.json', { sips: (IN_FLIGHT + 1) * 1_000, seed: 21 })
    const job: ParseJob = { file, choice: { given: null, saved: [] }, clock: importClock() }
    const waiting = await prestartWorker('parseWorker')
    expect(await prestartWorker('parseWorker')).toBe(waiting) // one waits at a time
    const ahead = startWorker('parseWorker', job)
    expect(ahead.threadId).toBe(waiting)
    const started = startWorker('parseWorker', job)
    expect(started.threadId).not.toBe(waiting)
    const [aheadIds, startedIds] = await Promise.all([parsedIds(ahead), parsedIds(started)])
    expect(aheadIds).toHaveLength((IN_FLIGHT + 1) * 1_000)
    expect(aheadIds).toEqual(startedIds)
  })

  it('that fails while it waits is dropped: the next job starts a worker of its own', async () => {
    const file = await generatedExport(ctx.tmp.dir, 'book.json', { sips: 200, seed: 23 })
    const built = process.env.PARTNER_DASHBOARD_BUILT
    const broken = ctx.tmp.file('broken')
    fs.mkdirSync(broken)
    fs.writeFileSync(path.join(broken, 'parseWorker.js'), "throw new Error('a damaged install')")
    process.env.PARTNER_DASHBOARD_BUILT = broken
    let failed: number
    try {
      failed = await prestartWorker('parseWorker') // resolves once it has stopped
    } finally {
      process.env.PARTNER_DASHBOARD_BUILT = built
    }
    const worker = startWorker('parseWorker', { file, choice: { given: null, saved: [] }, clock: importClock() } satisfies ParseJob)
    expect(worker.threadId).not.toBe(failed)
    expect(await parsedIds(worker)).toHaveLength(200)
  })

  it("runs an app's imports, recalculations and cancelled imports, another waiting once each has ended, until the host shuts down", async () => {
    const months = await Promise.all([1, 2].map((month) => generatedExport(ctx.tmp.dir, `month${month}.json`, { sips: 500, seed: 22, month })))
    const jobs = new ImportJobs(ctx.db.path, { startAhead: true })
    const used = new Set<number | null>()
    // Each job takes the worker waiting (were it started a thread instead, the same one would wait after it).
    const nextWorker = async (): Promise<void> => {
      const waiting = await jobs.ready()
      expect(waiting).not.toBeNull()
      expect(used.has(waiting)).toBe(false)
      used.add(waiting)
    }
    for (const [index, file] of months.entries()) {
      await nextWorker()
      const job = await jobs.start([{ path: file, name: `month${index + 1}.json` }])
      expect((await finishedJob(() => jobs.status(job.job_id))).state).toBe('done')
      await jobs.idle()
    }
    expect(getStats(ctx.db, {}).book.live_sips).toBeGreaterThan(0)
    await nextWorker()
    jobs.refresh()
    await jobs.idle()
    await nextWorker()
    const job = await jobs.start([{ path: months[0], name: 'month1.json' }])
    jobs.cancel(job.job_id)
    expect((await finishedJob(() => jobs.status(job.job_id))).state).toBe('cancelled')
    await jobs.idle()
    await nextWorker()
    // A host shutting down: the job running ends, and no worker waits after it.
    const last = await jobs.start([{ path: months[1], name: 'month2.json' }])
    await jobs.stopStartingAhead()
    expect((await finishedJob(() => jobs.status(last.job_id))).state).toBe('done')
    await jobs.idle()
    expect(await jobs.ready()).toBeNull()
  })
})
