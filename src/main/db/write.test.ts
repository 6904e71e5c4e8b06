import { Worker } from 'node:worker_threads'
import fs from 'node:fs'
import { beforeEach, describe, expect, it } from 'vitest'
import { importFile } from '../import/importer'
import { refreshIfStale } from '../services/derived'
import { AppError } from '../../shared/errors'
import { clearData } from '../services/data'
import { getFollowUp, updateFollowUp } from '../services/followUps'
import { getSettings, updateSettings } from '../services/settings'
import { freshDbEachTest } from '../testing/support'

const ctx = freshDbEachTest()

/**
 * Another connection (in its own thread, as the import worker is) takes the write lock, tells us,
 * and keeps it for `ms` before committing a row of its own.
 */
async function holdWriteLock(dbPath: string, ms: number): Promise<{ released: Promise<void> }> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads')
     const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))})
     const db = new Database(workerData.dbPath)
     db.exec('BEGIN IMMEDIATE')
     db.prepare("INSERT INTO settings (key, value) VALUES ('_held', '1') ON CONFLICT (key) DO UPDATE SET value = '2'").run()
     parentPort.postMessage('locked')
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms)
     db.exec('COMMIT')
     db.close()`,
    { eval: true, workerData: { dbPath, ms } },
  )
  await new Promise((resolve) => worker.once('message', resolve))
  return { released: new Promise((resolve) => worker.once('exit', () => resolve())) }
}

const change = { type: 'failed_sips', user_id: 'u1', agent_external_id: 'ag', state: 'contacted', note: 'Call after Diwali' } as const

describe('user saves while another connection writes', () => {
  // A client whose failing SIP the follow-up is about (SPEC §4: no follow-up for a client the book does not hold).
  beforeEach(async () => {
    const file = ctx.tmp.file('failing.json')
    fs.writeFileSync(
      file,
      JSON.stringify([
        {
          sip_meta_id: '1',
          user_id: 'u1',
          agent_external_id: 'ag',
          amount: 5000,
          failed_amount: 15000,
          currentSipStatus: 'Failed',
          is_active: true,
          inserted_at: '2026-01-12T08:00:00',
        },
      ]),
    )
    await importFile(ctx.db.sqlite, file)
    refreshIfStale(ctx.db)
  })

  it('a follow-up, a settings change and a clear wait for the lock and succeed', async () => {
    const { db } = ctx
    let holder = await holdWriteLock(db.path, 600)
    expect(updateFollowUp(db, change)).toMatchObject({ state: 'contacted', note: 'Call after Diwali' })
    await holder.released
    holder = await holdWriteLock(db.path, 600)
    expect(updateSettings(db, { as_of_mode: 'today' }).as_of_mode).toBe('today')
    await holder.released
    holder = await holdWriteLock(db.path, 600)
    expect(clearData(db)).toEqual({ cleared: true })
    await holder.released
    expect(getFollowUp(db, change).state).toBe('open')
  })

  it('answers "busy, try again" when the lock outlasts the timeout, and writes nothing', async () => {
    const { db } = ctx
    db.sqlite.pragma('busy_timeout = 100')
    const holder = await holdWriteLock(db.path, 1500)
    const busy = (fn: () => unknown) => {
      try {
        fn()
      } catch (error) {
        return error
      }
      return null
    }
    for (const error of [
      busy(() => updateFollowUp(db, change)),
      busy(() => updateSettings(db, { as_of_mode: 'today' })),
      busy(() => clearData(db)),
    ]) {
      expect(error).toBeInstanceOf(AppError)
      expect(error).toMatchObject({ code: 'busy', message: expect.stringMatching(/busy.*try again/) })
    }
    await holder.released
    expect(db.sqlite.inTransaction).toBe(false)
    expect(getFollowUp(db, change).events).toEqual([])
    expect(getSettings(db).as_of_mode).toBe('data')
  })
})
