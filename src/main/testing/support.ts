import fs from 'node:fs'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import os from 'node:os'
import path from 'node:path'
import { defaultMigrationsFolder, openDb, type Db } from '../db/open'
import { writeExport, type ExportOptions } from '../generator/write'
import type { ImportJob } from '../../shared/types'

/** The real sample exports shipped beside the repository (never copied into it). */
const FIXTURES_DIR = path.resolve(__dirname, '../../../../shared/fixtures/metabase')
const fixturesPresent = fs.existsSync(FIXTURES_DIR)
export const fixtureFiles = (): string[] =>
  fs
    .readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(FIXTURES_DIR, f))

/**
 * `describe` for tests on the real sample exports. Without them, under `CI=true` the suite fails
 * (a CI that lost the fixtures must not pass by skipping); elsewhere it is skipped, saying why.
 */
export function describeOnFixtures(name: string, body: () => void): void {
  const why = `the real sample exports are not at ${FIXTURES_DIR}`
  if (fixturesPresent) describe(name, body)
  else if (process.env.CI === 'true') describe(name, () => it('has the real sample exports', () => expect.fail(`${why} (CI=true)`)))
  else {
    console.warn(`skipping "${name}": ${why}`)
    describe.skip(name, body)
  }
}

/** A scratch folder removed by `cleanup()`. */
export function scratch(): { dir: string; file(name: string): string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-test-'))
  return { dir, file: (name) => path.join(dir, name), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

/** A new database in `dir`: a copy of the run's empty book (see `buildForTests.ts`), opened as the app opens a book. */
export function tempDb(dir: string, name = 'test.sqlite'): Db {
  const file = path.join(dir, name)
  const empty = process.env.PARTNER_DASHBOARD_EMPTY_BOOK
  if (empty && !fs.existsSync(file)) fs.copyFileSync(empty, file)
  return openDb(file)
}

export async function generatedExport(dir: string, name: string, options: ExportOptions): Promise<string> {
  const file = path.join(dir, name)
  await writeExport(file, options)
  return file
}

/** Every table's rows, bookkeeping that differs between runs left out, for comparing databases. */
export function dumpContent(db: Db): Record<string, unknown[]> {
  const tables = ['sips', 'sip_history', 'clients', 'follow_ups', 'follow_up_events', 'settings']
  const out: Record<string, unknown[]> = {}
  for (const table of tables) {
    out[table] = db.sqlite
      .prepare(`SELECT * FROM ${table} ORDER BY 1, 2`)
      .all()
      .map((row) => {
        const copy = { ...(row as Record<string, unknown>) }
        delete copy.import_id
        delete copy.prior_hash
        return copy
      })
  }
  return out
}

/** The book and everything the advisor did with it, and whether the file is sound, read as one snapshot. */
export function bookSnapshot(file: string): unknown {
  const db = openDb(file)
  try {
    return db.sqlite.transaction(() => ({
      content: dumpContent(db),
      sets: db.sqlite.prepare('SELECT id, undone_at IS NOT NULL AS undone FROM import_sets ORDER BY id').all(),
      files: db.sqlite.prepare('SELECT count(*) AS n FROM imports').get(),
      integrity: db.sqlite.pragma('integrity_check', { simple: true }),
    }))()
  } finally {
    db.close()
  }
}

/** The file's bytes: the strongest "nothing changed" check for a database closed cleanly. */
export const fileBytes = (file: string): Buffer => fs.readFileSync(file)

type TestDb = { db: Db; tmp: ReturnType<typeof scratch> }

/** A fresh scratch folder and database before each test of the calling file, closed after it. */
export function freshDbEachTest(): TestDb {
  const current = {} as TestDb
  beforeEach(() => {
    current.tmp = scratch()
    current.db = tempDb(current.tmp.dir)
  })
  afterEach(() => {
    current.db.close()
    current.tmp.cleanup()
  })
  return current
}

/**
 * Each test of the calling block starts from the book `prepare` makes in `t.db` (a `freshDbEachTest`
 * database), made once for the block and copied before each test: a copy costs a fraction of an import.
 */
export function startEachTestFrom(t: TestDb, prepare: () => Promise<void> | void): void {
  let template: ReturnType<typeof scratch>
  beforeAll(async () => {
    template = scratch()
    Object.assign(t, { tmp: template, db: tempDb(template.dir) })
    try {
      await prepare()
    } finally {
      t.db.close() // the last connection folds the WAL back: the file alone is the book
    }
  })
  afterAll(() => template.cleanup())
  beforeEach(() => {
    t.db.close()
    fs.copyFileSync(template.file('test.sqlite'), t.db.path)
    t.db = openDb(t.db.path)
  })
}

/** A copy of the committed migrations in `dir`, cut back to the first `count`, as an older release shipped them. */
export function firstMigrations(dir: string, count: number): string {
  const folder = path.join(dir, `migrations-${count}`)
  fs.cpSync(defaultMigrationsFolder(), folder, { recursive: true })
  const journalFile = path.join(folder, 'meta', '_journal.json')
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: unknown[] }
  journal.entries = journal.entries.slice(0, count)
  fs.writeFileSync(journalFile, JSON.stringify(journal))
  return folder
}

/** The job once it has ended, asking `status` until then. */
export async function finishedJob(status: () => Promise<ImportJob> | ImportJob): Promise<ImportJob> {
  for (;;) {
    const job = await status()
    if (job.state !== 'running') return job
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
