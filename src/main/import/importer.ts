import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { MAX_STORED_ISSUES, type ImportCounts, type ImportIssue, type ImportReport } from '../../shared/types'
import { JsonFormatError } from './split'
import { CLIENT_KIND, importClock, SIP_KIND } from './records'
import { KINDS, MappingNeededError, openContent } from './parse'
import type { ColumnMapping } from './columns'
import { saveMapping, savedMappings } from './mappings'
import { FileFormatError } from './source'
import { parsedBatches } from './parsedBatches'
import { RecordWriter } from './writer'
import { deferIndexesOfEmptyTable } from '../db/indexes'
import { SIP_LOOKUP_INDEXES } from '../db/schema'
import { prepared, runSql, sql } from '../db/sql'
import { AppError } from '../../shared/errors'

export interface ImportOptions {
  /** Name to show and store for the file (defaults to its base name). */
  name?: string
  signal?: AbortSignal
  /** Called at least every `progressIntervalMs` while reading, and once at the end. */
  onProgress?: (progress: { records: number; bytes_read: number; total_bytes: number }) => void
  progressIntervalMs?: number
  /** Field → column of the file, for columns whose names do not say (SPEC §2.5). */
  mapping?: ColumnMapping | null
  /** Into an empty book, leave the SIPs' lookup indexes (`SIP_LOOKUP_INDEXES`) for the caller to build after its commit. */
  lookupIndexesAfterCommit?: boolean
  /** Given the milliseconds spent writing the file's rows, not counting waits for the parser (for the benchmark). */
  onWritten?: (ms: number) => void
}

/** Bookkeeping times are UTC instants; the renderer shows them in local time. */
const nowIso = (): string => new Date().toISOString()

/** 1-based line of a byte offset in the file's (decompressed) content. */
async function lineAt(file: string, byte: number): Promise<number> {
  let line = 1
  let seen = 0
  for await (const chunk of (await openContent(file)) as AsyncIterable<Buffer>) {
    const end = Math.min(chunk.length, byte - seen)
    for (let i = chunk.indexOf(0x0a); i !== -1 && i < end; i = chunk.indexOf(0x0a, i + 1)) line++
    seen += chunk.length
    if (seen >= byte) break
  }
  return line
}

function checkReadable(file: string, name: string): number {
  let stat: fs.Stats
  try {
    stat = fs.statSync(file)
  } catch {
    throw new AppError('not_found', `${name}: file not found`)
  }
  if (stat.isDirectory()) throw new AppError('import_failed', `${name}: is a folder, not an export file`)
  if (!stat.isFile()) throw new AppError('import_failed', `${name}: is not a regular file`)
  if (stat.size === 0) throw new AppError('import_failed', `${name}: the file is empty (0 bytes)`)
  return stat.size
}

/** Starts an import set (SPEC §7: the files opened together) inside the caller's transaction; returns its id. */
export function openImportSet(sqlite: Database.Database): number {
  return Number(runSql(sqlite, sql`INSERT INTO import_sets (started_at) VALUES (${nowIso()})`).lastInsertRowid)
}

/** Records when a set's files were all written and how many SIP records they brought. */
export function closeImportSet(sqlite: Database.Database, setId: number): void {
  runSql(
    sqlite,
    sql`UPDATE import_sets SET finished_at = ${nowIso()}, sip_records = (SELECT coalesce(sum(sip_records), 0) FROM imports WHERE set_id = ${setId})
        WHERE id = ${setId}`,
  )
}

/**
 * Imports one export file (SPEC §2) in a single transaction on `sqlite`, as an import of its own:
 * either every accepted record is written with the import's report, or — on malformed input, an
 * I/O error or cancel — nothing is. The connection should be one the import owns, so that readers
 * on other connections keep seeing the last committed data meanwhile. (The app imports the files
 * opened together as one set, with its changes: `importFiles` in services/imports.ts.)
 */
export async function importFile(sqlite: Database.Database, file: string, options: ImportOptions = {}): Promise<ImportReport> {
  let setId = 0
  const begin = (): number => {
    runSql(sqlite, sql`BEGIN IMMEDIATE`)
    return (setId = openImportSet(sqlite))
  }
  try {
    const report = await writeFile(sqlite, file, begin, options)
    closeImportSet(sqlite, setId)
    runSql(sqlite, sql`COMMIT`)
    return report
  } catch (error) {
    if (sqlite.inTransaction) runSql(sqlite, sql`ROLLBACK`)
    throw error
  }
}

/**
 * Writes one export file as part of an import set, inside the caller's transaction (which the
 * caller rolls back when this throws). The file is read and parsed first: `begin` is called once
 * its first batch is ready to write (SPEC §2.4: the book stays writable while a file is parsed),
 * opens the transaction if it is not open yet, and returns the set's id.
 */
export async function writeFile(
  sqlite: Database.Database,
  file: string,
  begin: () => number,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const name = options.name ?? path.basename(file)
  const totalBytes = checkReadable(file, name)
  const startedAt = nowIso()
  const batches = parsedBatches(
    { file, choice: { given: options.mapping ?? null, saved: savedMappings(sqlite) }, clock: importClock() },
    options.signal,
  )

  try {
    let next = await batches.next()
    const setId = begin()
    const restoreIndexes = deferIndexesOfEmptyTable(sqlite, 'sips', options.lookupIndexesAfterCommit ? SIP_LOOKUP_INDEXES : [])
    const importId = Number(
      runSql(
        sqlite,
        sql`INSERT INTO imports (file_name, file_path, size_bytes, sha256, started_at, set_id)
            VALUES (${name}, ${path.resolve(file)}, ${totalBytes}, '', ${startedAt}, ${setId})`,
      ).lastInsertRowid,
    )
    const writers = KINDS.map((kind) => new RecordWriter(sqlite, kind, importId))
    const issues: ImportIssue[] = []
    let issueCount = 0
    let rejected = 0
    let warnings = 0
    let records = 0
    const interval = options.progressIntervalMs ?? 100
    let lastProgress = Date.now()

    let writingMs = 0
    for (; !next.done; next = await batches.next()) {
      const batchStart = performance.now()
      if (options.signal?.aborted) throw new AppError('cancelled', `${name}: import cancelled; nothing was imported`)
      const batch = next.value
      for (let row = 0; row < batch.kinds.length; row++) writers[batch.kinds[row]].write(batch.rows[row], batch.snapshots[row])
      for (const issue of batch.issues) {
        if (issue.level === 'rejected') rejected++
        else warnings++
        if (issues.length < MAX_STORED_ISSUES) issues.push(issue)
      }
      issueCount += batch.issues.length
      records += batch.records
      if (options.onProgress && Date.now() - lastProgress >= interval) {
        lastProgress = Date.now()
        options.onProgress({ records, bytes_read: batch.bytesRead, total_bytes: totalBytes })
      }
      writingMs += performance.now() - batchStart
    }
    options.onWritten?.(writingMs)
    if (options.signal?.aborted) throw new AppError('cancelled', `${name}: import cancelled; nothing was imported`)

    const [sipCounts, clientCounts] = [SIP_KIND, CLIENT_KIND].map((kind) => writers[KINDS.indexOf(kind)].counts())
    const inserted = sipCounts.inserted + clientCounts.inserted
    const updated = sipCounts.updated + clientCounts.updated
    const counts: ImportCounts = {
      read: records,
      inserted,
      updated,
      unchanged: records - rejected - inserted - updated,
      rejected,
      warnings,
      sip_records: sipCounts.accepted,
      client_records: clientCounts.accepted,
    }
    const finishedAt = nowIso()
    const { sha256, columns, givenApplied, savedAt } = next.value
    if (givenApplied && columns && options.mapping) saveMapping(sqlite, columns, options.mapping, finishedAt)
    runSql(
      sqlite,
      sql`UPDATE imports SET sha256 = ${sha256}, finished_at = ${finishedAt}, records_read = ${counts.read}, inserted = ${counts.inserted},
          updated = ${counts.updated}, unchanged = ${counts.unchanged}, rejected = ${counts.rejected}, warnings = ${counts.warnings},
          sip_records = ${counts.sip_records}, client_records = ${counts.client_records}, mapping_saved_at = ${savedAt} WHERE id = ${importId}`,
    )
    const insertIssue = prepared(
      sqlite,
      (issue: ImportIssue) =>
        sql`INSERT INTO import_issues (import_id, level, position, sip_meta_id, field, reason)
            VALUES (${importId}, ${issue.level}, ${issue.position}, ${issue.sip_meta_id}, ${issue.field}, ${issue.reason})`,
    )
    for (const issue of issues) insertIssue.run(issue)
    restoreIndexes()
    options.onProgress?.({ records, bytes_read: totalBytes, total_bytes: totalBytes })
    return {
      import_id: importId,
      set_id: setId,
      file: name,
      size_bytes: totalBytes,
      sha256,
      started_at: startedAt,
      finished_at: finishedAt,
      issues,
      issue_count: issueCount,
      mapping_saved_at: savedAt,
      ...counts,
    }
  } catch (error) {
    await batches.return({ sha256: '', columns: null, savedAt: null, givenApplied: false })
    if (options.signal?.aborted) throw new AppError('cancelled', `${name}: import cancelled; nothing was imported`)
    throw await asImportError(error, file, name)
  }
}

/** A failed import as the user reads it: the file, and where it applies, where it broke. */
async function asImportError(error: unknown, file: string, name: string): Promise<AppError> {
  if (error instanceof AppError) return error
  if (error instanceof MappingNeededError) {
    error.file = { path: file, name }
    return new AppError('import_failed', `${name}: ${error.message}; nothing was imported`, { cause: error })
  }
  if (error instanceof FileFormatError) return new AppError('import_failed', `${name}: ${error.message}; nothing was imported`)
  if (error instanceof JsonFormatError) {
    const line = await lineAt(file, error.byte).catch(() => null)
    const where = line === null ? `byte ${error.byte}` : `line ${line}, byte ${error.byte}`
    return new AppError('import_failed', `${name}: ${error.message} (${where}); nothing was imported`)
  }
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') {
    return new AppError('import_failed', `${name}: the compressed file is damaged or truncated; nothing was imported`)
  }
  return new AppError('import_failed', `${name}: could not be imported (${(error as Error).message}); nothing was imported`, {
    cause: error,
  })
}
