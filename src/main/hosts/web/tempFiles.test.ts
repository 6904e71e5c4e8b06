import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '../../../shared/errors'
import { scratch } from '../../testing/support'
import { sweepLeftovers, TempFiles } from './tempFiles'

let tmp: ReturnType<typeof scratch>
beforeEach(() => (tmp = scratch()))
afterEach(() => {
  vi.useRealTimers()
  tmp.cleanup()
})

const write = (temp: TempFiles, bytes: number): string => {
  const file = temp.newPath()
  fs.writeFileSync(file, Buffer.alloc(bytes))
  return file
}

describe('the web host temporary folder', () => {
  it('is private: the folder 0700, each kept file 0600', () => {
    const temp = new TempFiles({ root: tmp.dir })
    expect(fs.statSync(temp.dir).mode & 0o777).toBe(0o700)
    const file = write(temp, 10)
    fs.chmodSync(file, 0o644)
    temp.addUpload(file, 'book.json')
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    temp.dispose()
    expect(fs.existsSync(temp.dir)).toBe(false)
  })

  it('sweeps folders of hosts that were killed, and leaves a running host’s folder alone', () => {
    // A pid that surely ended: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!
    const killed = path.join(tmp.dir, `partner-dashboard-web-${dead}-abc123`)
    const running = path.join(tmp.dir, `partner-dashboard-web-${process.pid}-def456`)
    const oldStyle = path.join(tmp.dir, 'partner-dashboard-uploads-xyz')
    const recentOldStyle = path.join(tmp.dir, 'partner-dashboard-uploads-new')
    for (const dir of [killed, running, oldStyle, recentOldStyle]) {
      fs.mkdirSync(dir)
      fs.writeFileSync(path.join(dir, 'client-data'), 'x')
    }
    const twoDaysAgo = (Date.now() - 2 * 24 * 3600 * 1000) / 1000
    fs.utimesSync(oldStyle, twoDaysAgo, twoDaysAgo)
    expect(sweepLeftovers(tmp.dir).sort()).toEqual([killed, oldStyle].sort())
    expect(fs.existsSync(running)).toBe(true)
    expect(fs.existsSync(recentOldStyle)).toBe(true)
    // A new host sweeps as it starts.
    fs.mkdirSync(killed)
    new TempFiles({ root: tmp.dir }).dispose()
    expect(fs.existsSync(killed)).toBe(false)
  })

  it('refuses a file that would take it over its cap, until space is freed', () => {
    const temp = new TempFiles({ root: tmp.dir, capBytes: 1000 })
    const release = temp.reserve(600)
    expect(() => temp.reserve(500)).toThrow(AppError)
    expect(() => temp.reserve(500)).toThrow(/limit 0 MB.*finish or cancel/)
    const id = temp.addUpload(write(temp, 600), 'a.json')
    release()
    expect(temp.usedBytes()).toBe(600)
    expect(() => temp.reserve(500)).toThrow(AppError)
    temp.discardUpload(id)
    expect(temp.usedBytes()).toBe(0)
    temp.reserve(500)()
    temp.dispose()
  })

  it('deletes an upload nobody used and a backup nobody downloaded when they expire; a new backup replaces an old one', () => {
    vi.useFakeTimers()
    const temp = new TempFiles({ root: tmp.dir, uploadTtlMs: 60_000, downloadTtlMs: 10_000 })
    const upload = temp.addUpload(write(temp, 5), 'a.json')
    const first = temp.addDownload(write(temp, 5), 'backup.sqlite')
    const second = temp.addDownload(write(temp, 5), 'backup.sqlite')
    expect(temp.download(first)).toBeUndefined()
    expect(fs.readdirSync(temp.dir)).toHaveLength(2)
    vi.advanceTimersByTime(10_001)
    expect(temp.download(second)).toBeUndefined()
    expect(temp.upload(upload)).toBeDefined()
    vi.advanceTimersByTime(50_000)
    expect(temp.upload(upload)).toBeUndefined()
    expect(fs.readdirSync(temp.dir)).toEqual([])
    temp.dispose()
  })
})
