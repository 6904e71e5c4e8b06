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
