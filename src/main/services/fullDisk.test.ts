import { describe, expect, it } from 'vitest'
import { importFile } from '../import/importer'
import { freshDbEachTest, generatedExport } from '../testing/support'
import { isStale, refreshForRead, refreshIfStale } from './derived'
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
