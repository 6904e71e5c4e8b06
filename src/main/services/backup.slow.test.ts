import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { openDb } from '../db/open'
import { importFile } from '../import/importer'
import { generatedExport, scratch } from '../testing/support'
import { backupDatabase } from './backup'

let tmp: ReturnType<typeof scratch>
beforeEach(() => (tmp = scratch()))
afterEach(() => tmp.cleanup())

it('a restore removes its staging copy when the process is stopped by a signal', async () => {
  const dbPath = tmp.file('live.sqlite')
  openDb(dbPath).close()
  const big = openDb(tmp.file('big.sqlite'))
  await importFile(big.sqlite, await generatedExport(tmp.dir, 'big.json', { sips: 12_000, seed: 5 }))
  const backup = backupDatabase(big, tmp.file('big-backup.sqlite')).path
  big.close()
  const script = `import { openDb } from ${JSON.stringify(path.resolve(__dirname, '../db/open'))}
    import { restoreInto } from ${JSON.stringify(path.resolve(__dirname, 'backup'))}
    await restoreInto(openDb(${JSON.stringify(dbPath)}), ${JSON.stringify(backup)})`
  fs.writeFileSync(tmp.file('restore.mts'), script)
  const child = spawn(process.execPath, ['--import', 'tsx', tmp.file('restore.mts')], { cwd: path.resolve(__dirname, '../../..') })
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
  await vi.waitFor(() => expect(fs.readdirSync(tmp.dir).some((f) => f.includes('.restoring-'))).toBe(true), {
    timeout: 20_000,
    interval: 5,
  })
  child.kill('SIGTERM')
  expect(await exited).toBe('SIGTERM')
  expect(fs.readdirSync(tmp.dir).filter((f) => f.includes('.restoring-'))).toEqual([])
})
