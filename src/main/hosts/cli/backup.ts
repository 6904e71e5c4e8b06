import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { openDb } from '../../db/open'
import { backupDatabase, restoreInto } from '../../services/backup'
import { formatBytes } from '../../../shared/format'
import { resolveDbPath } from '../paths'
import { usage, UsageError } from './args'

const parse = (command: string, args: string[]) =>
  usage(command, () => parseArgs({ args, allowPositionals: true, options: { db: { type: 'string' } } }))

/** `backup <path> [--db PATH]`: an online copy of the database; of a damaged one, what can still be read. */
export async function backupCommand(args: string[]): Promise<void> {
  const { values, positionals } = parse('backup', args)
  if (positionals.length !== 1) throw new UsageError('backup: name the backup file to write')
  const db = openDb(resolveDbPath(values.db), { allowDamaged: true })
  try {
    const { path, bytes, unreadable } = backupDatabase(db, positionals[0])
    if (db.damaged !== null) {
      const lost = unreadable.length > 0 ? `; could be read only in part: ${unreadable.join(', ')}` : '; every table could be read'
      console.log(`the database is damaged: copied what could be read to ${path} (${formatBytes(bytes)})${lost}`)
    } else console.log(`backed up to ${path} (${formatBytes(bytes)})`)
  } finally {
    db.close()
  }
}

const COMPANIONS = ['', '-wal', '-shm', '-journal']
/** Renames a database file and the files SQLite keeps beside it. */
const moveDatabase = (from: string, to: string): void => {
  for (const suffix of COMPANIONS) if (fs.existsSync(from + suffix)) fs.renameSync(from + suffix, to + suffix)
}

/**
 * `restore <path> [--db PATH]`: replaces the book with a checked backup, keeping the current one
 * aside. A damaged book is moved aside whole and the backup restored into a new file.
 */
export async function restoreCommand(args: string[]): Promise<void> {
  const { values, positionals } = parse('restore', args)
  if (positionals.length !== 1) throw new UsageError('restore: name the backup file to restore')
  const file = resolveDbPath(values.db)
  let db = openDb(file, { allowDamaged: true })
  let damagedAside: string | null = null
  if (db.damaged !== null) {
    db.close()
    damagedAside = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`
    moveDatabase(file, damagedAside)
    db = openDb(file)
  }
  try {
    const { keptAs } = await restoreInto(db, positionals[0])
    if (damagedAside) fs.rmSync(keptAs, { force: true }) // an empty book: the damaged one is the copy worth keeping
    console.log(`restored from ${positionals[0]}; the previous database is kept as ${damagedAside ?? keptAs}`)
  } catch (error) {
    db.close()
    if (damagedAside) {
      // Nothing restored: put the damaged book back where it was, as the user left it.
      for (const suffix of COMPANIONS) fs.rmSync(file + suffix, { force: true })
      moveDatabase(damagedAside, file)
    }
    throw error
  }
  db.close()
}
