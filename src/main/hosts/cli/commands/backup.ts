import { say } from '../output'
import { openDb } from '../../../db/open'
import { backupDatabase } from '../../../services/backup'
import { AppError } from '../../../../shared/errors'
import { formatBytes } from '../../../../shared/format'
import { defineCommand, usageError } from '../command'
import fs from 'node:fs'

export default defineCommand({
  name: 'backup',
  args: '<file>',
  summary: 'Writes an online copy of the database to a new file; of a damaged one, what can still be read.',
  options: {},
  run({ positionals, dbPath }) {
    if (positionals.length !== 1) throw usageError('backup', 'name the backup file to write')
    if (!fs.existsSync(dbPath)) throw new AppError('not_found', `${dbPath}: no database there; name one with --db`)
    const db = openDb(dbPath, { allowDamaged: true })
    try {
      const { path, bytes, unreadable } = backupDatabase(db, positionals[0])
      if (db.damaged !== null) {
        const lost = unreadable.length > 0 ? `; could be read only in part: ${unreadable.join(', ')}` : '; every table could be read'
        say(`the database is damaged: copied what could be read to ${path} (${formatBytes(bytes)})${lost}`)
      } else say(`backed up to ${path} (${formatBytes(bytes)})`)
    } finally {
      db.close()
    }
  },
})
