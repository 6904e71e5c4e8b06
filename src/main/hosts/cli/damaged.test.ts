import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDb } from '../../db/open'
import { damagedBook } from '../../testing/damage'
import { generatedExport, scratch } from '../../testing/support'
import { runCli } from './cliProcess'

const cli = runCli

let tmp: ReturnType<typeof scratch>
beforeEach(() => (tmp = scratch()))
afterEach(() => tmp.cleanup())

describe('partner-dashboard on a damaged database', () => {
  it('refuses to import into it, copies what can be read, and restores a backup over it', async () => {
    const live = tmp.file('book.sqlite')
    await damagedBook(tmp.dir, live)
    const bytes = fs.readFileSync(live)

    const imported = cli('import', await generatedExport(tmp.dir, 'more.json', { sips: 10, seed: 1 }), '--db', live)
    expect(imported.code).not.toBe(0)
    expect(imported.stderr).toMatch(/database damaged — restore a backup/)
    expect(fs.readFileSync(live).equals(bytes)).toBe(true)

    const rescued = cli('backup', tmp.file('rescued.sqlite'), '--db', live)
    expect(rescued.code).toBe(0)
    expect(rescued.stdout).toMatch(/damaged: copied what could be read to .*rescued\.sqlite.*read only in part: sips/)

    const restored = cli('restore', tmp.file('rescued.sqlite'), '--db', live)
    expect(restored.stderr).toBe('')
    expect(restored.code).toBe(0)
    expect(restored.stdout).toMatch(/previous database is kept as .*book\.sqlite\.damaged-/)
    const db = openDb(live)
    expect((db.sqlite.prepare('SELECT count(*) AS n FROM sips').get() as { n: number }).n).toBeGreaterThan(0)
    db.close()
    const aside = fs.readdirSync(tmp.dir).find((f) => f.startsWith('book.sqlite.damaged-') && !f.endsWith('-wal') && !f.endsWith('-shm'))!
    expect(fs.readFileSync(tmp.file(aside)).equals(bytes)).toBe(true)
  })
})
