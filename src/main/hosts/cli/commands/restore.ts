import { say } from '../output'
import fs from 'node:fs'
import { openDb } from '../../../db/open'
import { restoreInto } from '../../../services/backup'
import { defineCommand, usageError } from '../command'
import { outsideLimitsLine, restoredLine } from '../../../../shared/format'

const COMPANIONS = ['', '-wal', '-shm', '-journal']
/** Renames a database file and the files SQLite keeps beside it. */
const moveDatabase = (from: string, to: string): void => {
  for (const suffix of COMPANIONS) if (fs.existsSync(from + suffix)) fs.renameSync(from + suffix, to + suffix)
}

export default defineCommand({
  name: 'restore',
  args: '<file>',
  summary: 'Replaces the book with a checked backup; the current database (even a damaged one) is kept aside.',
  options: {},
  async run({ positionals, dbPath }) {
    if (positionals.length !== 1) throw usageError('restore', 'name the backup file to restore')
    let db = openDb(dbPath, { allowDamaged: true })
    let damagedAside: string | null = null
    if (db.damaged !== null) {
      db.close()
      damagedAside = `${dbPath}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`
      moveDatabase(dbPath, damagedAside)
      db = openDb(dbPath)
    }
    try {
      const { keptAs, repairs, backupMadeAt } = await restoreInto(db, positionals[0])
      if (damagedAside) fs.rmSync(keptAs, { force: true }) // an empty book: the damaged one is the copy worth keeping
      say(`${restoredLine(positionals[0], backupMadeAt)}; the previous database is kept as ${damagedAside ?? keptAs}`)
      const limits = outsideLimitsLine(repairs)
      if (limits) say(limits)
    } catch (error) {
      db.close()
      if (damagedAside) {
        // Nothing restored: put the damaged book back where it was, as the user left it.
        for (const suffix of COMPANIONS) fs.rmSync(dbPath + suffix, { force: true })
        moveDatabase(damagedAside, dbPath)
      }
      throw error
    }
    db.close()
  },
})
