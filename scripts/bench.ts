/**
 * `npm run bench [-- --sizes 10000,100000,1000000] [-- --today-only] [-- --rounds N]`: generates formatted SIP exports
 * of each size (cached outside the repository) and imports each into a fresh database as the app
 * does (an import job through its hosts' `import:start`, the import worker started ahead of it, and
 * Today asked of the database worker), timing it until Today's first page is answered, beside
 * SQLite's own JSON import of the same file (the reference). Then, unless
 * `--today-only`: the book's next monthly export as one more import with its changes (SPEC §7.1),
 * the queries the screens make, and the undo of that import (§7.2). Each size runs in a child
 * process so its peak memory is its own; `--rounds N` runs each size N times in a row and adds the
 * medians (the reference itself varies by a quarter from one minute to the next on a shared machine).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { openDb } from '../src/main/db/open'
import { writeExport } from '../src/main/generator/write'
import { importFile } from '../src/main/import/importer'
import { DETECTORS } from '../src/main/detectors/registry'
import { getClient } from '../src/main/services/clients'
import { rebuildDerived } from '../src/main/services/derived'
import { getStats, listAgents } from '../src/main/services/stats'
import { listToday } from '../src/main/services/today'
import { getDayPlan } from '../src/main/services/dayPlan'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { importFiles, type ImportTimings } from '../src/main/services/imports'
import { startServices, type HostedServices } from '../src/main/hosts/bookThread'
import type { Channel } from '../src/shared/channels'
import { getChanges } from '../src/main/services/changes'
import { logCall } from '../src/main/services/calls'
import { parseRequest, type RequestInput, type ResponseOf } from '../src/shared/contract'
import { formatInr } from '../src/shared/format'
import type { ChangeSet } from '../src/shared/changes'
import { undoLastImport } from '../src/main/services/undo'
import { listOpportunities } from '../src/main/services/opportunities'
import { buildClientTotals } from '../src/main/detectors/common'
import { deferIndexesOfEmptyTable } from '../src/main/db/indexes'
import { getSettings, resolveAsOf } from '../src/main/services/settings'
import buildWorkers from '../src/main/testing/buildForTests'
import { reachEveryClientDue } from './benchBooks'

const CACHE = process.env.PARTNER_DASHBOARD_BENCH_CACHE ?? path.join(os.homedir(), '.cache', 'partner-dashboard-bench')

const REFERENCE_SQL = (file: string): string => `PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
CREATE TABLE sips(sip_meta_id TEXT PRIMARY KEY, user_id TEXT, agent_id TEXT, amount REAL,
 success_amount REAL, failed_amount REAL, start_date TEXT, latest TEXT, status TEXT, active INT,
 pct REAL, period TEXT, cnt INT);
INSERT OR REPLACE INTO sips SELECT replace(value->>'sip_meta_id',',',''), value->>'user_id',
 replace(value->>'agent_id',',',''), CAST(replace(value->>'amount',',','') AS REAL),
 CAST(replace(value->>'success_amount',',','') AS REAL), CAST(replace(value->>'failed_amount',',','') AS REAL),
 value->>'start_date', value->>'latest_success_order_date', value->>'currentSipStatus',
 value->>'is_active'='true', CAST(replace(value->>'increment_percentage',',','') AS REAL),
 value->>'increment_period', CAST(replace(value->>'success_count',',','') AS INT)
 FROM json_each(readfile('${file.replaceAll("'", "''")}'));
CREATE INDEX i_user ON sips(user_id); CREATE INDEX i_agent ON sips(agent_id);`

/** Time to Today: a first import into an empty book, as the app runs it, until Today answers. */
interface TimeToToday {
  records: number
  fileMb: number
  /** From starting the import job (as the app does) until Today's first page is answered. */
  toTodayS: number
  /** Of that: Today's first page, asked for once the job has ended. */
  todayPageMs: number
  /** Peak memory of the process (host thread and workers) up to that answer. */
  toTodayRssMb: number
  referenceS: number | null
  referenceNote: string
  /** The same first import run again in this thread beside the reference, with its steps' milliseconds; null without a reference. */
  firstImportSteps: ImportTimings | null
}

interface Result extends TimeToToday {
  importS: number
  /** After the import: the detectors and the remembered totals, in the import worker. */
  analysisS: number
  /** The next month's export of the same book (every SIP re-exported), in one import with its changes. */
  nextMonthS: number
  /** Of that import: setting the derived results aside and recording the changes (SPEC §7.1). */
  changesS: number
  /** Each step of that import, in milliseconds. */
  nextMonthSteps: ImportTimings
  /** What that import changed (SPEC §7.1), after a call reached every client due in month 1. */
  nextMonthEvents: ChangeSet['event_counts']
  nextMonthTotals: ChangeSet['totals']
  /** Undoing that import (SPEC §7.2). */
  undoS: number
  /** The next month, fastest of two each way. Without import sets (no changes, no undo data), as before SPEC §7: each file, then a rebuild. */
  plainNextMonthS: number
  /** The longest the host's own thread was blocked during both imports. */
  maxLagMs: number
  peakRssMb: number
  queries: Record<string, number>
}

const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6
const time = <T>(fn: () => T): [T, number] => {
  const start = process.hrtime.bigint()
  const value = fn()
  return [value, ms(start)]
}
const timeAsync = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const start = process.hrtime.bigint()
  const value = await fn()
  return [value, ms(start)]
}
const best = (runs: number, fn: () => unknown): number => Math.min(...Array.from({ length: runs }, () => time(fn)[1]))

async function ensureExport(size: number, month: 1 | 2): Promise<string> {
  fs.mkdirSync(CACHE, { recursive: true })
  const file = path.join(CACHE, `sips-${size}-month${month}.json`)
  if (!fs.existsSync(file)) {
    // Month 2 is the same book's next monthly export: every SIP re-exported with a month's changes.
    await writeExport(`${file}.part`, { sips: size, seed: 1000 + size, month })
    fs.renameSync(`${file}.part`, file)
  }
  return file
}

function reference(file: string): { seconds: number | null; note: string } {
  if (fs.statSync(file).size > 1e9) return { seconds: null, note: 'skipped: the sqlite3 shell cannot readfile() over ~1 GB' }
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'ignore' })
  } catch {
    return { seconds: null, note: 'skipped: no sqlite3 shell (apt-get install sqlite3)' }
  }
  const db = path.join(os.tmpdir(), `pd-bench-ref-${process.pid}.db`)
  fs.rmSync(db, { force: true })
  const start = process.hrtime.bigint()
  const run = spawnSync('sqlite3', [db], { input: REFERENCE_SQL(file), encoding: 'utf8' })
  const seconds = ms(start) / 1000
  for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true })
  return run.status === 0 ? { seconds, note: '' } : { seconds: null, note: `failed: ${run.stderr.trim().split('\n')[0]}` }
}

/**
 * SQLite's own import of `file` (the reference), then, when it ran, the same first import as the
 * app's job makes it, in this thread with its steps timed: where the time to Today goes.
 */
async function besideTheReference(file: string): Promise<Pick<TimeToToday, 'referenceS' | 'referenceNote' | 'firstImportSteps'>> {
  const ref = reference(file)
  if (ref.seconds === null) return { referenceS: null, referenceNote: ref.note, firstImportSteps: null }
  const dbPath = path.join(os.tmpdir(), `pd-bench-steps-${process.pid}.sqlite`)
  removeDb(dbPath)
  const steps: ImportTimings = {}
  await importFiles(dbPath, [{ path: file, name: path.basename(file) }], { timings: steps })
  removeDb(dbPath)
  return { referenceS: ref.seconds, referenceNote: ref.note, firstImportSteps: steps }
}

/** A request answered as the app's hosts answer it (`startServices`). */
async function ask<C extends Channel>({ route }: HostedServices, channel: C, request: RequestInput<C>): Promise<ResponseOf<C>> {
  const envelope = await route(channel, request)
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.message}`)
  return envelope.data as ResponseOf<C>
}

/**
 * Imports `file` the way the app does (`import:start`: an import job in a worker thread, polled
 * with `import:status`) and returns the seconds until every file is in, then the seconds of the
 * analysis (detectors, changes) that follows, until the job has ended.
 */
async function importThroughJob(host: HostedServices, file: string): Promise<[number, number]> {
  const start = process.hrtime.bigint()
  let job = await ask(host, 'import:start', { sources: [{ kind: 'path', path: file }] })
  let imported: number | null = null
  while (job.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 10))
    job = await ask(host, 'import:status', { job_id: job.job_id })
    if (imported === null && job.progress?.analysing) imported = ms(start) / 1000
  }
  if (job.state !== 'done') throw new Error(`import of ${file} ${job.state}: ${job.error}`)
  const total = ms(start) / 1000
  imported ??= total
  return [imported, total - imported]
}

/** Today's first page as the app asks for it (the screen's first request: 30 clients). */
const TODAY_FIRST_PAGE = { limit: 30 }

const removeDb = (dbPath: string): void => {
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) fs.rmSync(f, { force: true })
}

/**
 * Month 2 imported into a fresh copy of the month-1 database `base`, and its milliseconds: with
 * import sets as the app does it (`importFiles`: changes recorded, replaced rows kept for undo), or
 * plain, as imports ran before SPEC §7 (`importFile`, then a rebuild). Copies of one base, so the two
 * ways start from the same file.
 */
async function nextMonthInto(base: string, nextMonth: string, way: 'sets' | 'plain', round: number) {
  const dbPath = `${base}.${way}-${round}`
  const steps: ImportTimings = {}
  removeDb(dbPath)
  fs.copyFileSync(base, dbPath)
  const [, elapsed] = await timeAsync(async () => {
    if (way === 'sets') {
      await importFiles(dbPath, [{ path: nextMonth, name: path.basename(nextMonth) }], { timings: steps })
      return
    }
    const db = openDb(dbPath)
    db.sqlite.pragma('cache_size = -32768') // as importFiles sets it
    await importFile(db.sqlite, nextMonth)
    rebuildDerived(db)
    db.close()
  })
  return { ms: elapsed, dbPath, steps }
}

/** One size, in this (child) process. */
async function measure(size: number, todayOnly: boolean): Promise<TimeToToday | Result> {
  const file = await ensureExport(size, 1)
  const dbPath = path.join(os.tmpdir(), `pd-bench-${process.pid}.sqlite`)
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) fs.rmSync(f, { force: true })
  // The app's hosts, open before the import: the database worker, and the import worker started ahead.
  const host = await startServices({ dbPath, host: 'electron', version: 'bench', resourcesDir: os.tmpdir(), checkAnswers: false })
  // As in the app opened a moment before the advisor imports.
  await host.jobs.ready()
  const lag = monitorEventLoopDelay({ resolution: 10 })
  lag.enable()
  const [first, firstAnalysis] = await importThroughJob(host, file)
  const [todayPage, todayPageMs] = await timeAsync(async () => ask(host, 'today:list', TODAY_FIRST_PAGE))
  const toTodayRssMb = process.resourceUsage().maxRSS / 1024
  // The job's worker goes on (the agents table's figures, the WAL folded back) after Today can answer.
  await host.jobs.idle()
  lag.disable()
  if (todayPage.refreshing || todayPage.rows.length === 0) throw new Error('Today was not ready after the import')
  await host.close()
  const toToday = { toTodayS: first + firstAnalysis + todayPageMs / 1000, todayPageMs, toTodayRssMb }
  if (todayOnly) {
    removeDb(dbPath)
    return { records: size, fileMb: fs.statSync(file).size / 1e6, ...toToday, ...(await besideTheReference(file)) }
  }
  const nextMonth = await ensureExport(size, 2)
  reachEveryClientDue(dbPath)
  // The next month in this thread, to time its steps (the job runs the same function in a worker),
  // twice each way, alternating, on copies of the month-1 database: this machine's load changes by
  // the minute, and the fastest of each way is the fairest comparison.
  const withSets: Awaited<ReturnType<typeof nextMonthInto>>[] = []
  const plain: number[] = []
  for (let round = 0; round < 2; round++) {
    withSets.push(await nextMonthInto(dbPath, nextMonth, 'sets', round))
    const run = await nextMonthInto(dbPath, nextMonth, 'plain', round)
    plain.push(run.ms)
    removeDb(run.dbPath)
  }
  const fastest = withSets.reduce((a, b) => (b.ms < a.ms ? b : a))
  for (const run of withSets) if (run !== fastest) removeDb(run.dbPath)
  const { ms: nextMonthMs, dbPath: measured, steps } = fastest
  removeDb(dbPath)
  const peakRssMb = process.resourceUsage().maxRSS / 1024

  const queries: Record<string, number> = {}
  queries['open database'] = best(3, () => openDb(measured).close())
  const db = openDb(measured)
  const asOf = resolveAsOf(db)
  const { thresholds } = getSettings(db)
  // A detector's full run over the book, as a rebuild in the import worker makes it.
  const rebuild = (fn: () => void): void =>
    db.sqlite.transaction(() => {
      db.sqlite.prepare('DELETE FROM opportunities').run()
      db.sqlite.prepare('DELETE FROM opportunity_sips').run()
      const restoreIndexes = ['opportunities', 'opportunity_sips'].map((table) => deferIndexesOfEmptyTable(db.sqlite, table))
      fn()
      db.sqlite.exec('DROP TABLE IF EXISTS temp.client_totals')
      for (const restore of restoreIndexes) restore()
    })()
  queries['client totals (shared by the detectors)'] = best(3, () => rebuild(() => buildClientTotals(db.sqlite)))
  for (const detector of DETECTORS) {
    const run = (): number => {
      let elapsed = 0
      rebuild(() => {
        buildClientTotals(db.sqlite)
        ;[, elapsed] = time(() => detector.run(db.sqlite, { ...thresholds, as_of: asOf }))
      })
      return elapsed
    }
    queries[`${detector.type}: full run`] = Math.min(run(), run(), run())
  }
  queries['all derived results (rebuild)'] = best(3, () => rebuildDerived(db, asOf))
  // What the screens ask for once the results are in.
  for (const detector of DETECTORS) {
    queries[`${detector.type}: first page`] = best(3, () => listOpportunities(db, { type: detector.type, limit: 100 }))
  }
  queries['stats (as the app serves them)'] = best(3, () => getStats(db, {}))
  queries['agents table'] = best(3, () => listAgents(db, {}))
  queries['Today: first page (100 clients)'] = best(3, () => listToday(db, { limit: 100 }))
  queries["Today: the day's plan"] = best(3, () => getDayPlan(db, {}))
  // What the advisor waits for after each call (each answer worked out again for the client called, the rest kept).
  const afterACall = (read: () => unknown) => () => {
    const { user_id, agent_external_id } = listToday(db, { limit: 1 }).rows[0]
    logCall(db, parseRequest('calls:log', { user_id, agent_external_id, outcome: 'no_answer', next_action_date: null }))
    return read()
  }
  queries['a call saved, then Today: first page (100 clients)'] = best(3, afterACall(() => listToday(db, { limit: 100 })))
  queries["a call saved, then Today: the day's plan"] = best(3, afterACall(() => getDayPlan(db, {})))
  queries['a call saved, then stats'] = best(3, afterACall(() => getStats(db, {})))
  queries['first page of All (100)'] = best(3, () => listOpportunities(db, { limit: 100 }))
  const someone = listOpportunities(db, { limit: 1 }).rows[0]?.user_id
  if (someone) queries['client detail'] = best(3, () => getClient(db, { user_id: someone }))
  queries['What changed: first page (100 events)'] = best(3, () => getChanges(db, { limit: 100 }))
  const { event_counts: nextMonthEvents, totals: nextMonthTotals } = getChanges(db, { limit: 1 })
  const [, undoMs] = time(() => undoLastImport(db))
  db.close()
  removeDb(measured)
  const beside = await besideTheReference(file)
  return {
    records: size,
    fileMb: fs.statSync(file).size / 1e6,
    ...toToday,
    importS: first,
    analysisS: firstAnalysis,
    nextMonthS: nextMonthMs / 1000,
    changesS: ((steps.baseline ?? 0) + (steps.changes ?? 0)) / 1000,
    nextMonthSteps: steps,
    nextMonthEvents,
    nextMonthTotals,
    undoS: undoMs / 1000,
    plainNextMonthS: Math.min(...plain) / 1000,
    maxLagMs: lag.max / 1e6,
    peakRssMb,
    ...beside,
    queries,
  }
}

/** Issue #25's figure: a first import as the app runs it until Today answers, beside SQLite's own import of the same file. */
function timeToTodayTable(results: TimeToToday[]): string {
  const head = ['records', 'file MB', 'time to Today s', "of which Today's first page ms", 'reference s', 'ours/reference', 'peak RSS MB']
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---:').join('|')}|`,
    ...results.map(
      (r) =>
        `| ${[
          r.records.toLocaleString('en-IN'),
          r.fileMb.toFixed(1),
          r.toTodayS.toFixed(2),
          r.todayPageMs.toFixed(0),
          r.referenceS === null ? r.referenceNote : r.referenceS.toFixed(2),
          r.referenceS === null ? '—' : (r.toTodayS / r.referenceS).toFixed(2),
          r.toTodayRssMb.toFixed(0),
        ].join(' | ')} |`,
    ),
    ...results.flatMap((r) => whereTheTimeGoes(r)),
    ...mediansOfRounds(results),
  ].join('\n')
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const spread = (values: number[], digits: number): string =>
  `median ${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`

/** Per size run more than once (`--rounds`): the medians and ranges of its rounds. */
function mediansOfRounds(results: TimeToToday[]): string[] {
  const sizes = [...new Set(results.map((r) => r.records))]
  return sizes.flatMap((size) => {
    const rounds = results.filter((r) => r.records === size)
    if (rounds.length < 2) return []
    const referenced = rounds.filter((r) => r.referenceS !== null)
    const ratio = referenced.length > 0 ? `, ours/reference ${spread(referenced.map((r) => r.toTodayS / r.referenceS!), 2)}` : ''
    const reference = referenced.length > 0 ? `, reference s ${spread(referenced.map((r) => r.referenceS!), 2)}` : ''
    return [
      '',
      `${size.toLocaleString('en-IN')} in ${rounds.length} rounds: time to Today s ${spread(rounds.map((r) => r.toTodayS), 2)}${reference}${ratio}, ` +
        `peak RSS MB ${spread(rounds.map((r) => r.toTodayRssMb), 0)}`,
    ]
  })
}

/**
 * The steps of the same first import (run again in the bench's thread), and what they would add up
 * to were parsing free: the rows' writing, the rebuild, the changes and the commit, one after the
 * other in the import's one transaction (SPEC §2.4, §7), beside the reference.
 */
function whereTheTimeGoes({ records, firstImportSteps: steps, referenceS }: TimeToToday): string[] {
  if (!steps || referenceS === null) return []
  const s = (step: keyof ImportTimings): number => (steps[step] ?? 0) / 1000
  const withoutParsing = s('writing') + s('rebuild') + s('changes') + s('commit')
  return [
    '',
    `At ${records.toLocaleString('en-IN')}, the same import in the bench's thread, s: until the first rows ${s('baseline').toFixed(2)}, ` +
      `files ${s('files').toFixed(2)} (writing rows ${s('writing').toFixed(2)}, the rest waiting for the parser), rebuild ${s('rebuild').toFixed(2)}, ` +
      `changes ${s('changes').toFixed(2)}, commit ${s('commit').toFixed(2)}; were parsing free (writing + rebuild + changes + commit) ` +
      `${withoutParsing.toFixed(2)} s = ${(withoutParsing / referenceS).toFixed(2)}× the reference`,
  ]
}

function table(results: Result[]): string {
  const head = [
    'records',
    'file MB',
    'import s',
    'records/s',
    'MB/s',
    'peak RSS MB',
    'reference s',
    'ours/reference',
    'analysis s',
    'next month s',
    'of which changes s',
    'changes / rest',
    'without sets s',
    'sets cost',
    'undo s',
    'max UI-thread lag ms',
  ]
  const lines = [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---:').join('|')}|`,
    ...results.map(
      (r) =>
        `| ${[
          r.records.toLocaleString('en-IN'),
          r.fileMb.toFixed(1),
          r.importS.toFixed(2),
          Math.round(r.records / r.importS).toLocaleString('en-IN'),
          (r.fileMb / r.importS).toFixed(1),
          r.peakRssMb.toFixed(0),
          r.referenceS === null ? r.referenceNote : r.referenceS.toFixed(2),
          r.referenceS === null ? '—' : (r.importS / r.referenceS).toFixed(2),
          r.analysisS.toFixed(2),
          r.nextMonthS.toFixed(2),
          r.changesS.toFixed(2),
          `${((100 * r.changesS) / (r.nextMonthS - r.changesS)).toFixed(0)} %`,
          r.plainNextMonthS.toFixed(2),
          `${((100 * (r.nextMonthS - r.plainNextMonthS)) / r.plainNextMonthS).toFixed(0)} %`,
          r.undoS.toFixed(2),
          r.maxLagMs.toFixed(0),
        ].join(' | ')} |`,
    ),
  ]
  for (const r of results) {
    const { writing, ...inOrder } = r.nextMonthSteps
    const steps = Object.entries(inOrder).map(
      ([step, stepMs]) =>
        `${step} ${(stepMs / 1000).toFixed(2)}${step === 'files' && writing ? ` (writing rows ${(writing / 1000).toFixed(2)})` : ''}`,
    )
    const events = Object.entries(r.nextMonthEvents).map(([event, n]) => `${n.toLocaleString('en-IN')} ${event}`)
    const { new: opened, resolved, credited, won_annual } = r.nextMonthTotals
    lines.push(
      '',
      `Next month at ${r.records.toLocaleString('en-IN')}, its steps in s: ${steps.join(', ')}`,
      `  SIP events: ${events.join(', ')}`,
      `  opportunities: ${opened.toLocaleString('en-IN')} new, ${resolved.toLocaleString('en-IN')} resolved, ${credited.toLocaleString('en-IN')} credited (a call reached every client due in month 1), ${formatInr(won_annual)} a year won`,
    )
  }
  const queryNames = Object.keys(results[0]?.queries ?? {})
  const qhead = ['query (ms, best of 3)', ...results.map((r) => `${r.records.toLocaleString('en-IN')} SIPs`)]
  lines.push('', `| ${qhead.join(' | ')} |`, `|---|${results.map(() => '---:').join('|')}|`)
  for (const name of queryNames) lines.push(`| ${name} | ${results.map((r) => (r.queries[name] ?? NaN).toFixed(1)).join(' | ')} |`)
  return lines.join('\n')
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000,100000' },
      /** Only the time to Today (with the reference): for the 1,000,000 size, whose next month would take the machine for long. */
      'today-only': { type: 'boolean', default: false },
      rounds: { type: 'string', default: '1' },
      child: { type: 'string' },
    },
  })
  const todayOnly = values['today-only']
  if (values.child) {
    process.stdout.write(JSON.stringify(await measure(Number(values.child), todayOnly)))
    return
  }
  const sizes = values.sizes.split(',').map((s) => Number(s.trim()))
  if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new Error(`--sizes: expected whole numbers, got ${values.sizes}`)
  const rounds = Number(values.rounds)
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds: expected a whole number from 1, got ${values.rounds}`)
  console.log(
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}; cache ${CACHE}`,
  )
  // The workers as the app runs them, plain JavaScript (from source, tsx would compile each one as it starts).
  const removeBuild = await buildWorkers()
  const results: (TimeToToday | Result)[] = []
  try {
    for (const size of sizes.flatMap((size) => Array<number>(rounds).fill(size))) {
      const args = [...process.execArgv, __filename, '--child', String(size), ...(todayOnly ? ['--today-only'] : [])]
      const child = spawnSync(process.execPath, args, {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 24,
      })
      if (child.status !== 0) throw new Error(`benchmark of ${size} SIPs failed (exit ${child.status})`)
      results.push(JSON.parse(child.stdout) as TimeToToday | Result)
    }
  } finally {
    removeBuild()
  }
  console.log(`Time to Today: a first import through the app's import job (parse, write, detectors, changes) until Today's first page (${TODAY_FIRST_PAGE.limit} clients) is answered\n`)
  console.log(timeToTodayTable(results))
  const full = results.filter((r): r is Result => 'queries' in r)
  if (full.length > 0) console.log(`\n${table(full)}`)
}

main().catch((error: Error) => {
  console.error(`bench: ${error.message}`)
  process.exit(1)
})
