import fs from 'node:fs'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDb } from '../db/open'
import { importFile } from '../import/importer'
import { dumpContent, firstMigrations, generatedExport, scratch } from '../testing/support'
import { backupDatabase, restoreInto } from './backup'
import { updateFollowUp } from './followUps'
import { clearData } from './data'

let tmp: ReturnType<typeof scratch>
let dbPath: string
beforeEach(async () => {
  tmp = scratch()
  dbPath = tmp.file('live.sqlite')
  const db = openDb(dbPath)
  await importFile(db.sqlite, await generatedExport(tmp.dir, 'book.json', { sips: 200, seed: 41 }))
  updateFollowUp(db, {
    type: 'failed_sips',
    user_id: 'someone',
    agent_external_id: null,
    state: 'contacted',
    note: 'Asked for a new mandate',
  })
  db.close()
})
afterEach(() => tmp.cleanup())

const contentOf = (file: string): unknown => {
  const db = openDb(file)
  try {
    return dumpContent(db)
  } finally {
    db.close()
  }
}

describe('backup and restore', () => {
  it('backs up everything, follow-up notes included, and refuses to overwrite a file', () => {
    const db = openDb(dbPath)
    const { path, bytes } = backupDatabase(db, tmp.file('backup.sqlite'))
    expect(bytes).toBeGreaterThan(0)
    expect(() => backupDatabase(db, path)).toThrow(/already exists/)
    db.close()
    expect(contentOf(path)).toEqual(contentOf(dbPath))
  })

  it('restores a backup over changed data through the open connection and keeps the replaced content aside', () => {
    const db = openDb(dbPath)
    const backup = backupDatabase(db, tmp.file('backup.sqlite')).path
    const original = dumpContent(db)
    clearData(db)
    const cleared = dumpContent(db)
    const { keptAs } = restoreInto(db, backup)
    expect(dumpContent(db)).toEqual(original)
    expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.sqlite.pragma('foreign_key_check')).toEqual([])
    db.close()
    expect(contentOf(dbPath)).toEqual(original)
    expect(contentOf(keptAs)).toEqual(cleared)
    expect(fs.readdirSync(tmp.dir).filter((f) => f.includes('restoring'))).toEqual([])
  })

  it('restores a backup made by the first schema, migrating it on the way in', () => {
    const old = openDb(tmp.file('old.sqlite'), { migrationsFolder: firstMigrations(tmp.dir, 1) })
    updateFollowUp(old, {
      type: 'no_sip_increase',
      user_id: 'u-old',
      agent_external_id: 'A1',
      state: 'contacted',
      note: 'Call after Diwali',
    })
    old.close()
    const db = openDb(dbPath)
    restoreInto(db, tmp.file('old.sqlite'))
    expect(db.sqlite.prepare('SELECT user_id, state, note FROM follow_ups').all()).toEqual([
      { user_id: 'u-old', state: 'contacted', note: 'Call after Diwali' },
    ])
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM sips').get()).toEqual({ n: 0 })
    db.close()
  })

  it.each([
    ['a text file', (file: string) => fs.writeFileSync(file, 'not a database at all'.repeat(200)), /not a Partner Dashboard database/],
    [
      'another SQLite database',
      (file: string) => new Database(file).exec('CREATE TABLE notes (x)').close(),
      /not a Partner Dashboard database \(no __drizzle_migrations/,
    ],
    [
      'a database from a newer version',
      (file: string) => {
        const db = openDb(file)
        db.sqlite.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', 1)").run()
        db.close()
      },
      /newer version/,
    ],
    ['a missing file', () => undefined, /not found or not readable/],
  ])('refuses %s and leaves the current database as it was', (_name, make, message) => {
    const candidate = tmp.file('candidate.sqlite')
    make(candidate)
    const db = openDb(dbPath)
    const before = dumpContent(db)
    expect(() => restoreInto(db, candidate)).toThrow(message)
    expect(dumpContent(db)).toEqual(before)
    db.close()
    expect(fs.readdirSync(tmp.dir).filter((f) => f.includes('before-restore'))).toEqual([])
  })
})
