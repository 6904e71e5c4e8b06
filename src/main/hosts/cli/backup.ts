import { parseArgs } from 'node:util'
import { openDb } from '../../db/open'
import { backupDatabase, restoreInto } from '../../services/backup'
import { formatBytes } from '../../../shared/format'
import { resolveDbPath } from '../paths'
import { usage, UsageError } from './args'

const parse = (command: string, args: string[]) =>
  usage(command, () => parseArgs({ args, allowPositionals: true, options: { db: { type: 'string' } } }))

/** `backup <path> [--db PATH]`: an online copy of the database. */
export async function backupCommand(args: string[]): Promise<void> {
  const { values, positionals } = parse('backup', args)
  if (positionals.length !== 1) throw new UsageError('backup: name the backup file to write')
  const db = openDb(resolveDbPath(values.db))
  try {
    const { path, bytes } = backupDatabase(db, positionals[0])
    console.log(`backed up to ${path} (${formatBytes(bytes)})`)
  } finally {
    db.close()
  }
}

/** `restore <path> [--db PATH]`: replaces the book with a checked backup, keeping the current one aside. */
export async function restoreCommand(args: string[]): Promise<void> {
  const { values, positionals } = parse('restore', args)
  if (positionals.length !== 1) throw new UsageError('restore: name the backup file to restore')
  const db = openDb(resolveDbPath(values.db))
  try {
    const { keptAs } = restoreInto(db, positionals[0])
    console.log(`restored from ${positionals[0]}; the previous database is kept as ${keptAs}`)
  } finally {
    db.close()
  }
}
