import { afterEach, describe, expect, it, vi } from 'vitest'
import { importFile } from '../import/importer'
import { freshDbEachTest, generatedExport } from '../testing/support'
import { DISK_TOO_FULL, isStale, refreshForRead, refreshIfStale } from './derived'
import { bookHandlers } from '.'
import { FIRST_RETRY_MS, RebuildBackoff } from './rebuildBackoff'
import { resolveAsOf, updateSettings } from './settings'
import { getStats } from './stats'

const t = freshDbEachTest()

describe('reads on a nearly full disk', () => {
  it('answer with the last figures and say they are stale, instead of failing with "database or disk is full"', async () => {
    await importFile(t.db.sqlite, await generatedExport(t.tmp.dir, 'book.json', { sips: 400, seed: 7 }))
    const before = getStats(t.db, {})
    // A change that makes the opportunities stale: the next read wants them rebuilt.
    updateSettings(t.db, { thresholds: { ending_within_days: 30 } })
    const asOf = resolveAsOf(t.db)
    expect(isStale(t.db, asOf)).toBe(true)
    // The disk is full: the file may not grow by a page (SQLite answers SQLITE_FULL, as on a full disk).
    const pages = t.db.sqlite.pragma('page_count', { simple: true }) as number
    t.db.sqlite.pragma(`max_page_count = ${pages}`)
    t.db.sqlite.pragma('wal_checkpoint(TRUNCATE)')

    expect(() => refreshIfStale(t.db, asOf)).toThrow('database or disk is full') // what the CLI's reports did before
    expect(refreshForRead(t.db, asOf)).toBe('is on a disk too full to bring them up to date')
    expect(isStale(t.db, asOf)).toBe(true)
    const stats = getStats(t.db, {})
    expect(stats.total_opportunities).toBe(before.total_opportunities)
    expect(stats.annual_at_stake).toBe(before.annual_at_stake)
  })

  it('rebuild them when the disk has room', async () => {
    await importFile(t.db.sqlite, await generatedExport(t.tmp.dir, 'book.json', { sips: 400, seed: 7 }))
    updateSettings(t.db, { thresholds: { ending_within_days: 30 } })
    expect(refreshForRead(t.db, resolveAsOf(t.db))).toBeNull()
    expect(isStale(t.db, resolveAsOf(t.db))).toBe(false)
  })
})

describe('the app on a full disk (its rebuilds run in the import worker)', () => {
  afterEach(() => vi.useRealTimers())

  it('reads serve the last figures and say they are stale, without asking for a rebuild, while the host holds off', async () => {
    await importFile(t.db.sqlite, await generatedExport(t.tmp.dir, 'book.json', { sips: 400, seed: 7 }))
    refreshIfStale(t.db)
    const before = getStats(t.db, {})
    updateSettings(t.db, { thresholds: { ending_within_days: 30 } })
    let notRebuilt: string | null = null
    const onStale = vi.fn()
    const capabilities = { open_dialogs: false, save_pdf: false, open_external: false, launch_files: false }
    const handlers = bookHandlers(t.db, { host: 'web', version: '0', capabilities, onStale, notRebuilt: () => notRebuilt })

    // Stale, and the host may rebuild: the figures are the previous ones, recalculating (the screens poll).
    expect(await handlers['stats:get']({})).toMatchObject({ refreshing: true, stale_because: null })
    expect(onStale).toHaveBeenCalledTimes(1)

    // The host's rebuild found the disk full: no rebuild is asked for, nothing says "recalculating" (no poll), the reason is given.
    notRebuilt = DISK_TOO_FULL
    const stats = await handlers['stats:get']({})
    expect(stats).toMatchObject({ refreshing: false, stale_because: DISK_TOO_FULL, total_opportunities: before.total_opportunities })
    expect(await handlers['today:list']({})).toMatchObject({ refreshing: false })
    expect(await handlers['opportunities:list']({})).toMatchObject({ refreshing: false })
    expect(onStale).toHaveBeenCalledTimes(1)
  })

  it('holds off rebuilding after each full-disk failure for a wait that doubles, and starts over once a job ends well', () => {
    vi.useFakeTimers()
    const told: (string | null)[] = []
    const backoff = new RebuildBackoff((reason) => told.push(reason))
    backoff.diskFull()
    expect(backoff.reason()).toBe(DISK_TOO_FULL)
    vi.advanceTimersByTime(FIRST_RETRY_MS - 1)
    expect(backoff.reason()).toBe(DISK_TOO_FULL)
    vi.advanceTimersByTime(1)
    expect(backoff.reason()).toBeNull()
    // Tried again, full again: twice as long this time.
    backoff.diskFull()
    vi.advanceTimersByTime(2 * FIRST_RETRY_MS - 1)
    expect(backoff.reason()).toBe(DISK_TOO_FULL)
    backoff.succeeded()
    expect(backoff.reason()).toBeNull()
    backoff.diskFull()
    vi.advanceTimersByTime(FIRST_RETRY_MS)
    expect(backoff.reason()).toBeNull()
    expect(told).toEqual([DISK_TOO_FULL, null, DISK_TOO_FULL, null, DISK_TOO_FULL, null])
  })
})
