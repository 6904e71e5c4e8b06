import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { backupDatabase } from '../services/backup'
import { damagedBook } from '../testing/damage'
import { firstMigrations, scratch } from '../testing/support'
import { openDb } from './open'
import { AppError } from '../../shared/errors'

let tmp: ReturnType<typeof scratch>
beforeEach(() => (tmp = scratch()))
afterEach(() => tmp.cleanup())

describe('openDb', () => {
  it('opens in WAL mode with foreign keys on', () => {
    const db = openDb(tmp.file('a.sqlite'))
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    db.close()
  })

  it('upgrades a database made by the first schema, keeping follow-ups and notes', () => {
    const file = tmp.file('old.sqlite')
    const old = openDb(file, { migrationsFolder: firstMigrations(tmp.dir, 1) })
    expect(old.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'opportunities'").get()).toBeUndefined()
    old.sqlite
      .prepare(
        "INSERT INTO follow_ups (type, user_id, agent_external_id, state, note, updated_at) VALUES ('failed_sips', 'u1', 'ag', 'contacted', 'Call after Diwali', '2026-01-02T10:00:00Z')",
      )
      .run()
    old.sqlite
      .prepare(
        "INSERT INTO follow_up_events (type, user_id, agent_external_id, at, kind, from_value, to_value) VALUES ('failed_sips', 'u1', 'ag', '2026-01-02T10:00:00Z', 'note', NULL, 'Call after Diwali')",
      )
      .run()
    old.close()

    const db = openDb(file)
    expect(db.sqlite.prepare("SELECT 1 AS ok FROM sqlite_master WHERE name = 'opportunities'").get()).toEqual({ ok: 1 })
    expect(db.sqlite.prepare('SELECT state, note FROM follow_ups').all()).toEqual([{ state: 'contacted', note: 'Call after Diwali' }])
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM follow_up_events').get()).toEqual({ n: 1 })
    db.close()
  })

  it('refuses a database from a newer version, without touching it', () => {
    const file = tmp.file('newer.sqlite')
    const db = openDb(file)
    db.sqlite.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-the-future', 9999999999999)").run()
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    const bytes = fs.readFileSync(file)
    expect(() => openDb(file)).toThrow(AppError)
    expect(() => openDb(file)).toThrow(/written by a newer version of Partner Dashboard/)
    expect(fs.readFileSync(file).equals(bytes)).toBe(true)
  })

  it('refuses a file that is not a database with a clear message', () => {
    const file = tmp.file('notes.txt')
    fs.writeFileSync(file, 'these are not the tables you are looking for '.repeat(100))
    expect(() => openDb(file)).toThrow(/notes\.txt: cannot be (opened|prepared)/)
  })
})

describe('openDb on a damaged or newer file', () => {
  it('refuses a damaged database for writing, saying to restore a backup and how to copy what can be read', async () => {
    const file = tmp.file('damaged.sqlite')
    await damagedBook(tmp.dir, file)
    const bytes = fs.readFileSync(file)
    expect(() => openDb(file)).toThrow(AppError)
    expect(() => openDb(file)).toThrow(/damaged\.sqlite: database damaged — restore a backup.*partner-dashboard backup/)
    expect(fs.readFileSync(file).equals(bytes)).toBe(true)

    const readable = openDb(file, { allowDamaged: true })
    expect(readable.damaged).toMatch(/\S/)
    expect(() => readable.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('x', '1')").run()).toThrow(/readonly/)
    const { unreadable, path: copy } = backupDatabase(readable, tmp.file('rescued.sqlite'))
    readable.close()
    expect(unreadable).toContain('sips')
    const rescued = openDb(copy)
    const { n } = rescued.sqlite.prepare('SELECT count(*) AS n FROM sips').get() as { n: number }
    expect(n).toBeGreaterThan(0)
    expect(n).toBeLessThan(300)
    expect(rescued.sqlite.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 1 })
    expect(rescued.sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
    rescued.close()
  })

  it.each(['delete', 'wal'])('never writes a newer version’s file, its header included (journal_mode %s)', (mode) => {
    const file = tmp.file(`newer-${mode}.sqlite`)
    const db = openDb(file)
    db.sqlite.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-the-future', 9999999999999)").run()
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    db.sqlite.pragma(`journal_mode = ${mode}`)
    db.close()
    const bytes = fs.readFileSync(file)
    expect(bytes[18]).toBe(mode === 'wal' ? 2 : 1) // the header's journal-mode bytes
    expect(() => openDb(file)).toThrow(/written by a newer version/)
    expect(fs.readFileSync(file).equals(bytes)).toBe(true)
  })
})
