import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { bookSnapshot, generatedExport, scratch } from '../../testing/support'
import { runCli as cli, spawnCli } from './cliProcess'
import { openDb } from '../../db/open'
import { undoLastImport } from '../../services/undo'

let tmp: ReturnType<typeof scratch>
beforeAll(() => (tmp = scratch()))
afterAll(() => tmp.cleanup())

/** Kills `child` with SIGKILL once the book's WAL passes 1 MB (its transaction is writing); resolves when it has exited. */
async function killWhileWriting(child: ReturnType<typeof spawnCli>, book: string): Promise<NodeJS.Signals | null> {
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
  const walSize = (): number => (fs.existsSync(`${book}-wal`) ? fs.statSync(`${book}-wal`).size : 0)
  await vi.waitFor(
    () => {
      expect(child.exitCode, 'the CLI ended before it was killed').toBeNull()
      expect(walSize()).toBeGreaterThan(1_000_000)
    },
    { timeout: 120_000, interval: 10 },
  )
  child.kill('SIGKILL')
  return exited
}

describe('crash safety of the CLI', () => {
  it('leaves the database intact and as it was when an import is killed part-way', async () => {
    const target = tmp.file('crash.sqlite')
    expect(cli('import', await generatedExport(tmp.dir, 'book.json', { sips: 300, seed: 11, quirks: 0.05 }), '--db', target).code).toBe(0)
    const before = bookSnapshot(target)
    const big = await generatedExport(tmp.dir, 'big.json', { sips: 40_000, seed: 12 })
    expect(await killWhileWriting(spawnCli(['import', big, '--db', target], { stdio: 'ignore' }), target)).toBe('SIGKILL')
    expect(bookSnapshot(target)).toEqual(before)
    expect((before as { integrity: string }).integrity).toBe('ok')
  })

  it('leaves one state or the other when an undo is killed part-way', async () => {
    const target = tmp.file('undo.sqlite')
    const book = await generatedExport(tmp.dir, 'big1.json', { sips: 20_000, seed: 32 })
    const later = await generatedExport(tmp.dir, 'big2.json', { sips: 20_000, seed: 32, month: 2 })
    expect(cli('import', book, '--db', target).code).toBe(0)
    expect(cli('import', later, '--db', target).code).toBe(0) // the undo puts back every SIP this one replaced
    const before = bookSnapshot(target) // closing the last connection folds the WAL back into the file
    const copy = tmp.file('undone.sqlite')
    fs.copyFileSync(target, copy)
    const undone = openDb(copy)
    undoLastImport(undone)
    undone.close()
    const after = bookSnapshot(copy)

    expect(await killWhileWriting(spawnCli(['undo-import', '--yes', '--db', target], { stdio: 'ignore' }), target)).toBe('SIGKILL')
    const state = bookSnapshot(target)
    expect([before, after]).toContainEqual(state)
    expect((state as { integrity: string }).integrity).toBe('ok')
  })
})
