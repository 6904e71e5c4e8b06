import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * Private folders (0700) in the system temp folder for client data held a moment (uploads, a
 * read-only book's copy), named `<prefix><pid>-XXXXXX`: the pid tells a folder in use from one left
 * by a process that was killed before it could remove it.
 */
export function privateTempFolder(prefix: string, root = os.tmpdir()): string {
  const dir = fs.mkdtempSync(path.join(root, `${prefix}${process.pid}-`))
  fs.chmodSync(dir, 0o700)
  return dir
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Removes the `prefix` folders whose process is gone; a running process's folder, or another user's, is left alone. Returns those removed. */
export function sweepDeadFolders(prefix: string, root = os.tmpdir()): string[] {
  const swept: string[] = []
  for (const name of fs.readdirSync(root)) {
    if (!name.startsWith(prefix)) continue
    const pid = Number(name.slice(prefix.length).split('-')[0])
    if (Number.isInteger(pid) && alive(pid)) continue
    const dir = path.join(root, name)
    try {
      fs.rmSync(dir, { recursive: true, force: true })
      swept.push(dir)
    } catch {
      // Another user's folder (the temp folder is shared): theirs to remove.
    }
  }
  return swept
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0')

/** An empty file or a SQLite database: what a backup's partial copy holds (never a user's other file). */
function isPartialDatabase(file: string): boolean {
  const head = Buffer.alloc(SQLITE_HEADER.length)
  const fd = fs.openSync(file, 'r')
  try {
    const read = fs.readSync(fd, head, 0, head.length, 0)
    return read === 0 || head.equals(SQLITE_HEADER)
  } finally {
    fs.closeSync(fd)
  }
}

/** A restore's staging copy of a book is `<book>.restoring-<pid>-<time>` (before revision 3: without the pid). */
export const stagingName = (book: string, stamp: string): string => `${book}.restoring-${process.pid}-${stamp}`
/** A backup (or the copy a restore keeps aside) is written as `<target>.partial-<pid>` and renamed into place. */
export const partialName = (target: string): string => `${target}.partial-${process.pid}`

const STAGING = /\.restoring-(?:(\d+)-)?\d{4}-\d\d-\d\dT[\dTZ-]+?(?:-journal|-wal|-shm)?$/
const PARTIAL = /\.partial-(\d+)(-journal|-wal|-shm)?$/
/** A staging copy without a pid is only this old when its restore can no longer be running (its time limit is 10 minutes). */
const STALE_MS = 60 * 60 * 1000

/**
 * Removes what restores and backups of processes that are gone left in `dir` (killed before they
 * could clean up): staging copies of `book` (when given) and partial backup copies with their
 * journals. Files of a running process, and anything else, are left alone. Returns those removed.
 */
export function sweepDeadPartials(dir: string, book?: string): string[] {
  const swept: string[] = []
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return swept
  }
  const prefix = book === undefined ? null : `${path.basename(book)}.restoring-`
  for (const name of names) {
    const file = path.join(dir, name)
    let dead = false
    try {
      const staging = prefix !== null && name.startsWith(prefix) ? STAGING.exec(name) : null
      const partial = PARTIAL.exec(name)
      if (staging) dead = staging[1] ? !alive(Number(staging[1])) : Date.now() - fs.statSync(file).mtimeMs > STALE_MS
      else if (partial) dead = !alive(Number(partial[1])) && (partial[2] !== undefined || isPartialDatabase(file))
      if (!dead) continue
      fs.rmSync(file, { force: true })
      swept.push(file)
    } catch {
      // Gone meanwhile, or not ours to read or remove.
    }
  }
  return swept
}
