import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { scratch } from './testing/support'
import { privateTempFolder, sweepDeadFolders } from './tempFolders'

let tmp: ReturnType<typeof scratch>
beforeEach(() => (tmp = scratch()))
afterEach(() => tmp.cleanup())

describe('private temp folders for client data', () => {
  it('are made private to this user, and named by this process', () => {
    const dir = privateTempFolder('partner-dashboard-test-', tmp.dir)
    expect(path.basename(dir)).toMatch(new RegExp(`^partner-dashboard-test-${process.pid}-`))
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700)
  })

  it('are swept once their process is gone, and only those of the prefix asked for', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid! // a child that has exited
    const left = path.join(tmp.dir, `partner-dashboard-readonly-${dead}-abc`)
    const inUse = privateTempFolder('partner-dashboard-readonly-', tmp.dir)
    const other = path.join(tmp.dir, `partner-dashboard-web-${dead}-abc`)
    for (const dir of [left, other]) {
      fs.mkdirSync(dir)
      fs.writeFileSync(path.join(dir, 'book.sqlite'), 'client data')
    }
    expect(sweepDeadFolders('partner-dashboard-readonly-', tmp.dir)).toEqual([left])
    expect([left, inUse, other].map((dir) => fs.existsSync(dir))).toEqual([false, true, true])
  })
})
