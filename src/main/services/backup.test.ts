import { execFileSync, spawnSync } from 'node:child_process'
import path from 'node:path'
import fs from 'node:fs'
import Database from 'better-sqlite3'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openDb, type Db } from '../db/open'
import { importFile } from '../import/importer'
import { dumpContent, firstMigrations, generatedExport, scratch } from '../testing/support'
import { backupDatabase, restoreInto } from './backup'
import { CLI_FROM_SOURCE } from '../testing/cli'
import { formatDateTime } from '../../shared/format'
import { updateFollowUp } from './followUps'
import { clearData } from './data'
import { getStats } from './stats'
import { listToday } from './today'
import { refreshIfStale } from './derived'
import { getSettings } from './settings'

let tmp: ReturnType<typeof scratch>
let dbPath: string
/** The live book every test starts from, made once: 200 SIPs with their derived results and a follow-up note. */
let template: ReturnType<typeof scratch>
beforeAll(async () => {
  template = scratch()
  const db = openDb(template.file('live.sqlite'))
  await importFile(db.sqlite, await generatedExport(template.dir, 'book.json', { sips: 200, seed: 41 }))
  refreshIfStale(db)
  // A follow-up on a real opportunity of the book (SPEC §4: none waits on a client the book does not hold).
  const failing = db.sqlite
    .prepare("SELECT user_id, nullif(agent_external_id, '') AS agent_external_id FROM opportunities WHERE type = 'failed_sips' LIMIT 1")
    .get() as { user_id: string; agent_external_id: string | null }
  updateFollowUp(db, { type: 'failed_sips', ...failing, state: 'contacted', note: 'Asked for a new mandate' })
  db.close() // the last connection folds the WAL back: the file alone is the book
})
afterAll(() => template.cleanup())
beforeEach(() => {
  tmp = scratch()
  dbPath = tmp.file('live.sqlite')
  fs.copyFileSync(template.file('live.sqlite'), dbPath)
})
afterEach(() => tmp.cleanup())

/** What the user made: every table but the caches (settings `_…`, rebuilt after a restore). */
const userContent = (db: Db): Record<string, unknown[]> => {
  const content = dumpContent(db)
  return { ...content, settings: content.settings.filter((row) => !(row as { key: string }).key.startsWith('_')) }
}

const contentOf = (file: string): unknown => {
  const db = openDb(file)
  try {
    return userContent(db)
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

  it('restores a backup over changed data through the open connection and keeps the replaced content aside', async () => {
    const db = openDb(dbPath)
    const backup = backupDatabase(db, tmp.file('backup.sqlite')).path
    const original = userContent(db)
    // Today and the stats on the same connection follow the clear and the restore (see `followed` in queue.ts).
    const queue = () => ({ today: listToday(db, { limit: 500 }), stats: getStats(db, {}) })
    const queueBefore = queue()
    expect(queueBefore.today.total).toBeGreaterThan(0)
    clearData(db)
    const cleared = userContent(db)
    expect(queue().today).toMatchObject({ total: 0, rows: [] })
    expect(queue().stats).toMatchObject({ due_clients: 0, listed_opportunities: 0, overdue_follow_ups: 0, annual_at_stake: 0 })
    const { keptAs } = await restoreInto(db, backup)
    expect(queue()).toEqual(queueBefore)
    expect(userContent(db)).toEqual(original)
    expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.sqlite.pragma('foreign_key_check')).toEqual([])
    db.close()
    expect(contentOf(dbPath)).toEqual(original)
    expect(contentOf(keptAs)).toEqual(cleared)
    expect(fs.readdirSync(tmp.dir).filter((f) => f.includes('restoring'))).toEqual([])
  })

  it('refuses a backup into a folder that does not exist, creating nothing', () => {
    const db = openDb(dbPath)
    const target = tmp.file('missing/dir/backup.sqlite')
    expect(() => backupDatabase(db, target)).toThrow(
      `${target}: the folder ${tmp.file('missing/dir')} does not exist; create it first or choose another`,
    )
    db.close()
    expect(fs.existsSync(tmp.file('missing'))).toBe(false)
  })

  it('says which backup it restored and when that backup was made, in the CLI too (SPEC §5)', async () => {
    const db = openDb(dbPath)
    const before = new Date().toISOString()
    const backup = backupDatabase(db, tmp.file('backup.sqlite')).path
    const after = new Date().toISOString()
    // A copied or downloaded file's time says nothing: the backup carries the time it was made.
    fs.utimesSync(backup, new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:05Z'))
    const { backupMadeAt } = await restoreInto(db, backup)
    expect(backupMadeAt >= before && backupMadeAt <= after, backupMadeAt).toBe(true)
    // Settings says it after the restore: which file, and when it was made.
    expect(getSettings(db).restored_from).toEqual({ file: backup, backup_made_at: backupMadeAt })
    // A backup of the restored book does not carry that: restored from it, the book says its own file.
    const again = backupDatabase(db, tmp.file('again.sqlite')).path
    const { backupMadeAt: madeAgain } = await restoreInto(db, again)
    expect(getSettings(db).restored_from).toEqual({ file: again, backup_made_at: madeAgain })
    db.close()
    const result = spawnSync(process.execPath, [...CLI_FROM_SOURCE, 'restore', backup, '--db', dbPath], { encoding: 'utf8' })
    expect(result.stderr).toBe('')
    expect(result.stdout).toMatch(
      new RegExp(`^restored from ${backup} \\(backup made ${formatDateTime(backupMadeAt)}\\); the previous database is kept as `),
    )
  })

  it('restores a backup made by the first schema, migrating it on the way in', async () => {
    const old = openDb(tmp.file('old.sqlite'), { migrationsFolder: firstMigrations(tmp.dir, 1) })
    // As the first release wrote it (today's code writes columns that schema lacks).
    old.sqlite
      .prepare(
        "INSERT INTO follow_ups (type, user_id, agent_external_id, state, note, updated_at) VALUES ('no_sip_increase', 'u-old', 'A1', 'contacted', 'Call after Diwali', '2026-01-01T00:00:00Z')",
      )
      .run()
    old.close()
    const db = openDb(dbPath)
    const { backupMadeAt } = await restoreInto(db, tmp.file('old.sqlite'))
    // Made before backups carried their time: the file's own time.
    expect(backupMadeAt).toBe(fs.statSync(tmp.file('old.sqlite')).mtime.toISOString())
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
  ])('refuses %s and leaves the current database as it was', async (_name, make, message) => {
    const candidate = tmp.file('candidate.sqlite')
    make(candidate)
    const db = openDb(dbPath)
    const before = dumpContent(db)
    await expect(restoreInto(db, candidate)).rejects.toThrow(message)
    expect(dumpContent(db)).toEqual(before)
    db.close()
    expect(fs.readdirSync(tmp.dir).filter((f) => f.includes('before-restore') || f.includes('restoring'))).toEqual([])
  })
})

/** A backup of the live book, then `edit` run on it with a raw connection. */
function editedBackup(edit: (sqlite: Database.Database) => void): string {
  const db = openDb(dbPath)
  // The backup carries derived results, as a real one does.
  const file = backupDatabase(db, tmp.file(`edited-${Math.random().toString(36).slice(2)}.sqlite`)).path
  db.close()
  const raw = new Database(file)
  edit(raw)
  raw.close()
  return file
}

describe('a restore does not trust the file', () => {
  it('drops edited caches and recomputes them from the restored book', async () => {
    const db = openDb(dbPath)
    const truth = getStats(db, {})
    const forged = editedBackup((raw) => {
      raw
        .prepare(
          "UPDATE derived SET value = json_set(value, '$.live_sips', 424242, '$.total_invested', 9999999999999) WHERE key = 'book_totals'",
        )
        .run()
      raw.prepare('UPDATE opportunities SET annual_value = 1e12').run()
      raw.prepare("INSERT INTO settings (key, value) VALUES ('_anything', '{not json')").run()
    })
    clearData(db)
    await restoreInto(db, forged)
    const restored = getStats(db, {})
    expect(restored.book).toEqual(truth.book)
    expect(restored.by_type).toEqual(truth.by_type)
    expect(db.sqlite.prepare('SELECT max(annual_value) AS m FROM opportunities').get()).not.toEqual({ m: 1e12 })
    expect(db.sqlite.prepare("SELECT count(*) AS n FROM settings WHERE key = '_anything'").get()).toEqual({ n: 0 })
    db.close()
  })

  it.each([
    [
      'a date that is no date where the app keeps one',
      "UPDATE calls SET at = '9999-99-99' WHERE rowid = 1; INSERT INTO calls (user_id, at, outcome) VALUES ('u', '9999-99-99', 'reached')",
      /calls\.at holds "9999-99-99" where the app keeps a date/,
    ],
    [
      'an amount that is text',
      "UPDATE opportunity_changes SET annual_value = 'abc'; INSERT INTO opportunity_changes (set_id, type, user_id, agent_external_id, change, annual_value) VALUES (1, 't', 'u', '', 'new', 'abc')",
      /opportunity_changes\.annual_value holds "abc" where the app keeps a number/,
    ],
    ['a boolean that is not', 'UPDATE sips SET is_active = 7 WHERE rowid = 1', /sips\.is_active holds 7 where the app keeps true or false/],
    [
      'a follow-up state the app has not',
      "INSERT INTO follow_ups (type, user_id, agent_external_id, state, updated_at) VALUES ('failed_sips', 'x', '', 'hacked', '2026-01-01')",
      /follow_ups\.state holds "hacked" where the app keeps one of open, contacted/,
    ],
    [
      'a scheme list that is not a list',
      "UPDATE sips SET schemes = '{' WHERE rowid = 2",
      /sips\.schemes holds "\{" where the app keeps a list/,
    ],
    [
      'settings that are not JSON',
      "INSERT INTO settings (key, value) VALUES ('thresholds', '{not json')",
      /setting thresholds is not readable/,
    ],
    [
      'thresholds out of range',
      `INSERT INTO settings (key, value) VALUES ('thresholds', '{"min_months_running":-4}')`,
      /setting thresholds\.min_months_running is refused/,
    ],
    [
      'a setting the app does not know',
      `INSERT INTO settings (key, value) VALUES ('webhook', '"http://evil.example"')`,
      /setting .* is refused: .*webhook/,
    ],
    [
      'a table replaced by a view over a recursive query',
      'DROP TABLE sip_history; CREATE VIEW sip_history AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x AS sip_meta_id FROM n',
      /holds a view "sip_history"/,
    ],
    ['a trigger', 'CREATE TRIGGER t AFTER INSERT ON sips BEGIN DELETE FROM follow_ups; END', /holds a trigger "t"/],
    [
      'a table with other columns',
      'DROP TABLE sip_history; CREATE TABLE sip_history (sip_meta_id TEXT, secret TEXT)',
      /table sip_history has columns secret, sip_meta_id; expected/,
    ],
  ])('refuses %s, naming it, and changes nothing', async (_name, sql, message) => {
    const backup = editedBackup((raw) => raw.exec(sql))
    const db = openDb(dbPath)
    const before = userContent(db)
    const refused = restoreInto(db, backup, { label: 'backup.sqlite' })
    await expect(refused).rejects.toThrow(message)
    await expect(refused).rejects.toThrow(/^backup\.sqlite: /)
    expect(userContent(db)).toEqual(before)
    db.close()
    expect(fs.readdirSync(tmp.dir).filter((f) => f.includes('restoring') || f.includes('before-restore'))).toEqual([])
  })

  it('refuses a FIFO at once', async () => {
    const fifo = tmp.file('backup.fifo')
    execFileSync('mkfifo', [fifo])
    const db = openDb(dbPath)
    await expect(restoreInto(db, fifo)).rejects.toThrow(/backup\.fifo: not a regular file/)
    db.close()
  })

  it('stops a restore that takes longer than its time limit, leaving nothing behind', async () => {
    const db = openDb(dbPath)
    const backup = backupDatabase(db, tmp.file('backup.sqlite')).path
    const before = userContent(db)
    await expect(restoreInto(db, backup, { timeLimitMs: 1 })).rejects.toThrow(/took longer than/)
    expect(userContent(db)).toEqual(before)
    db.close()
    expect(fs.readdirSync(tmp.dir).filter((f) => f.includes('restoring') || f.includes('before-restore'))).toEqual([])
  })

  it('writes backups readable by their owner only', () => {
    const db = openDb(dbPath)
    const { path: file } = backupDatabase(db, tmp.file('private.sqlite'))
    db.close()
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  })

  it('leaves no partial file nor journal when a backup fails (file size limit)', () => {
    const cli = [process.execPath, ...CLI_FROM_SOURCE].map((arg) => `"${arg}"`).join(' ')
    const target = tmp.file('out/backup.sqlite')
    fs.mkdirSync(tmp.file('out'))
    const result = spawnSync('bash', ['-c', `ulimit -f 64; exec ${cli} backup "${target}" --db "${dbPath}"`], {
      encoding: 'utf8',
    })
    expect(result.status).not.toBe(0)
    expect(result.stderr).toMatch(/backup\.sqlite: the backup could not be written/)
    expect(fs.readdirSync(tmp.file('out'))).toEqual([])
  })
})

describe('what a killed restore or backup leaves beside the book', () => {
  it('is swept at the next open; files of a running process and the user’s own files stay', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid! // a process that has ended
    const sqliteFile = fs.readFileSync(dbPath) // client data, as those copies hold
    const beside = (name: string): string => path.join(path.dirname(dbPath), name)
    const left = [
      beside(`live.sqlite.restoring-${dead}-2026-12-07T01-02-03-456Z`),
      beside(`live.sqlite.restoring-${dead}-2026-12-07T01-02-03-456Z-journal`),
      beside(`live.sqlite.before-restore-2026-12-07T01-02-03-456Z.partial-${dead}`),
      beside(`live.sqlite.before-restore-2026-12-07T01-02-03-456Z.partial-${dead}-journal`),
      beside(`backup-2026-12-07.sqlite.partial-${dead}`),
      beside(`backup-2026-12-07.sqlite.partial-${dead}-journal`),
      beside('live.sqlite.restoring-2026-12-01T01-02-03-456Z'), // before revision 3: no pid, and old
    ]
    const kept = [
      beside(`live.sqlite.restoring-${process.pid}-2026-12-07T01-02-03-456Z`), // a restore under way
      beside(`backup.sqlite.partial-${process.pid}`),
      beside(`notes.txt.partial-${dead}`), // not a database: not ours
      beside('live.sqlite.before-restore-2026-12-07T01-02-03-456Z'), // the copy a restore keeps on purpose
    ]
    for (const file of [...left, ...kept]) fs.writeFileSync(file, file.endsWith('.txt.partial-' + dead) ? 'my notes' : sqliteFile)
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000)
    fs.utimesSync(left[6], old, old)
    openDb(dbPath).close()
    expect(left.filter((file) => fs.existsSync(file))).toEqual([])
    expect(kept.filter((file) => fs.existsSync(file))).toEqual(kept)
  })

  it('names a restore’s staging copy by its process, so another process can tell it is not left over', async () => {
    const db = openDb(dbPath)
    const backup = backupDatabase(db, tmp.file('b.sqlite')).path
    const seen = new Set<string>()
    const watcher = fs.watch(tmp.dir, (_event, name) => name && seen.add(name))
    await restoreInto(db, backup)
    watcher.close()
    db.close()
    expect([...seen].filter((name) => name.includes('.restoring-'))[0]).toMatch(
      new RegExp(`^live\\.sqlite\\.restoring-${process.pid}-\\d{4}-`),
    )
  })
})
