import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { scratch } from '../../testing/support'
import { exportFiles, exportPathsFromArgv, launchFiles } from './launchFiles'

let tmp: ReturnType<typeof scratch>
beforeEach(() => {
  tmp = scratch()
  for (const name of ['book.json', 'Clients.JSONL', 'old.json.gz', 'notes.txt']) fs.writeFileSync(tmp.file(name), '[]')
  fs.mkdirSync(tmp.file('folder.json'))
})
afterEach(() => tmp.cleanup())

describe('files named on a second launch', () => {
  it('keeps existing export files, resolved against the launch folder, and drops flags and everything else', () => {
    const argv = [
      '/opt/Partner Dashboard/partner-dashboard',
      '--allow-file-access-from-files',
      'book.json',
      tmp.file('Clients.JSONL'),
      'old.json.gz',
      'notes.txt',
      'folder.json',
      'missing.json',
    ]
    expect(exportPathsFromArgv(argv, tmp.dir)).toEqual([tmp.file('book.json'), tmp.file('Clients.JSONL'), tmp.file('old.json.gz')])
  })

  it('takes a file handed by the system (macOS open-file) through the same filter', () => {
    expect(exportFiles([tmp.file('book.json')], '/')).toEqual([tmp.file('book.json')])
    expect(exportFiles([tmp.file('notes.txt'), tmp.file('folder.json'), '/etc/passwd'], '/')).toEqual([])
  })

  it('ignores the executable even when it looks like an export', () => {
    expect(exportPathsFromArgv([tmp.file('book.json')], tmp.dir)).toEqual([])
  })

  it('holds files until the renderer takes them, once each, and tells it they are waiting', () => {
    let nudges = 0
    const files = launchFiles(() => nudges++)
    files.add([])
    expect(nudges).toBe(0)
    files.add(['/a.json'])
    files.add(['/a.json', '/b.json'])
    expect(nudges).toBe(2)
    expect(files.take()).toEqual({ paths: ['/a.json', '/b.json'] })
    expect(files.take()).toEqual({ paths: [] })
  })
})
