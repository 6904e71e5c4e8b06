import path from 'node:path'
import { count as countRows } from 'drizzle-orm'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { readOnlyError, type Db, type ReadableDb } from '../db/open'
import { clients, importSets, sips } from '../db/schema'
import type { Channel } from '../../shared/channels'
import { channelsWhere, type Contract, type Handlers, type ImportSource, type RequestOf } from '../../shared/contract'
import { AppError } from '../../shared/errors'
import type { BackupResult, Capabilities, RestoreResult } from '../../shared/types'
import { backupDatabase, restoreInto } from './backup'
import { getImportReport, ImportJobs, listImports, type ImportTarget } from './imports'
import { logCall, logMessage, nextDates, voidLastCall } from './calls'
import { getDayPlan, refillDayPlan } from './dayPlan'
import type { ReadOptions } from './derived'
import { getChanges } from './changes'
import { deleteMapping, listMappings, saveChosenMapping } from '../import/mappings'
import { getClient, searchClients, setClientLanguage } from './clients'
import { clientAgents } from './clientAgent'
import { clientMessages, previewMessage } from './messages'
import { clearData } from './data'
import { updateFollowUp } from './followUps'
import { listOpportunities } from './opportunities'
import { getResults } from './results'
import { getSettings, recordBackup, updateSettings } from './settings'
import { getStats, listAgents } from './stats'
import { listScheduled, listToday } from './today'

/** What a host brings: who it is, and its own ways to do what only it can (dialogs, PDF, links, uploads). */
export interface HostOptions {
  host: 'electron' | 'web'
  version: string
  /** Folder holding `sample/` (the bundled "Try sample data" exports). */
  resourcesDir: string
  /** The web host's uploaded files, by id. */
  resolveUpload?: (uploadId: string) => ImportTarget | undefined
  /** Host-specific handlers (native dialogs, printing); without them the channel answers `unsupported`. */
  openExportDialog?: () => Promise<{ paths: string[] }>
  saveReportPdf?: (suggestedName: string) => Promise<{ path: string | null }>
  /** Writes a backup where this host keeps it (a file the user picks, or a download), copying the book with `backup`. */
  saveBackup?: (backup: BookAccess['backup']) => Promise<BackupResult>
  /** Export files the app was asked to open at launch, handed out once (desktop only). */
  takeOpenedFiles?: () => { paths: string[] }
  /** The desktop's open dialog for a backup to restore; null when cancelled. */
  pickBackupFile?: () => Promise<string | null>
  /** Hands a validated mailto: or wa.me link to the system (desktop only). */
  openExternal?: (url: string) => Promise<void>
}

/** The services on one thread over an open database (the CLI's commands and tests). */
export interface ServiceOptions extends HostOptions {
  db: Db
}

/** What the book's handlers know of their host: plain data, so it crosses to the database worker. */
export interface BookSetup {
  host: HostOptions['host'] | 'cli'
  version: string
  capabilities: Capabilities
}

export const capabilitiesOf = (options: HostOptions): Capabilities => ({
  open_dialogs: options.openExportDialog !== undefined && options.pickBackupFile !== undefined,
  save_pdf: options.saveReportPdf !== undefined,
  open_external: options.openExternal !== undefined,
  launch_files: options.takeOpenedFiles !== undefined,
})

/** What the host's own handlers need of the book, wherever its connection lives. */
export interface BookAccess {
  readonly path: string
  readonly readOnly: boolean
  /** An online copy at `target` (see `backupDatabase`), remembered as the last backup unless the book is read-only. */
  backup(target: string, options?: { replace?: boolean }): Promise<{ path: string; bytes: number }>
  counts(): Promise<{ sip_count: number; client_count: number }>
}

/** The channels answered on the host's thread (the contract's `hostOnly`), and those answered from the database. */
export type HostChannel = { [C in Channel]: Contract[C]['hostOnly'] extends true ? C : never }[Channel]
export type BookChannel = Exclude<Channel, HostChannel>

/** "Try sample data": two monthly exports of one book, imported as two imports so What changed has something to show. */
export const SAMPLE_FILES = [
  ['sample-clients.json.gz', 'sample-sips.json.gz'],
  ['sample-clients-month2.json.gz', 'sample-sips-month2.json.gz'],
]

/** The host's handler, or an `unsupported` answer saying what to do instead. */
const unsupportedWithout = <F>(handler: F | undefined, message: string): F => {
  if (!handler) throw new AppError('unsupported', message)
  return handler
}

export interface Services {
  handlers: Handlers
  jobs: ImportJobs
}

/** Refuses every change on a read-only book before anything runs (an import or restore would start a worker). */
function refuseChangesIfReadOnly<H extends Partial<Handlers>>(handlers: H, readOnly: boolean, bookPath: string): H {
  if (!readOnly) return handlers
  const refused: Partial<Handlers> = { ...handlers }
  for (const channel of channelsWhere((facts) => facts.writes)) {
    if (channel in handlers) {
      refused[channel] = () => {
        throw readOnlyError(bookPath)
      }
    }
  }
  return refused as H
}

/**
 * The requests answered from the database: every channel not host-only, plain functions over one
 * connection. `onStale` asks the host to rebuild out-of-date opportunities in the background;
 * reads answer from the previous ones meanwhile (and say why while `notRebuilt` gives a reason).
 */
export function bookHandlers(db: Db, setup: BookSetup & ReadOptions): Pick<Handlers, BookChannel> {
  // Reads get a handle they cannot write through; the channels the contract says write get the whole one.
  const read: ReadableDb = db
  const count = (table: SQLiteTable): number => read.orm.select({ n: countRows() }).from(table).get()!.n
  const inBackground: ReadOptions = { onStale: setup.onStale, notRebuilt: setup.notRebuilt }
  const handlers: Pick<Handlers, BookChannel> = {
    'app:info': () => ({
      version: setup.version,
      host: setup.host,
      capabilities: setup.capabilities,
      db_path: db.path,
      sip_count: count(sips),
      client_count: count(clients),
      // SPEC §5: an import is the files opened together, as the Imports screen lists them (undone ones too).
      import_count: count(importSets),
      read_only: db.readOnly,
    }),
    'import:list': () => listImports(read),
    'import:report': ({ import_id }) => getImportReport(read, import_id),
    'changes:get': (request) => getChanges(read, request),
    'mappings:list': () => listMappings(read),
    'mappings:save': (request) => saveChosenMapping(db, request),
    'mappings:delete': ({ columns_key }) => deleteMapping(db, columns_key),
    'opportunities:list': (query) => listOpportunities(read, query, inBackground),
    'stats:get': (request) => getStats(read, request, inBackground),
    'agents:list': (request) => listAgents(read, request, inBackground),
    'client:get': (request) => getClient(read, request, inBackground),
    'client:agents': (request) => clientAgents(read, request.user_id),
    'results:get': (request) => getResults(read, request),
    'clients:search': (request) => searchClients(read, request),
    'today:list': (request) => listToday(read, request, inBackground),
    'today:scheduled': (request) => listScheduled(read, request),
    'today:plan': (request) => getDayPlan(db, request, inBackground),
    'today:refill': (request) => refillDayPlan(db, request, inBackground),
    'followup:update': (change) => updateFollowUp(db, change),
    'calls:log': (call) => logCall(db, call),
    'calls:voidLast': (request) => voidLastCall(db, request),
    'calls:nextDates': (request) => nextDates(read, request),
    'messages:log': (message) => logMessage(db, message),
    'messages:get': (request) => clientMessages(read, request),
    'messages:preview': (request) => previewMessage(read, request),
    'client:setLanguage': (request) => setClientLanguage(db, request),
    'settings:get': () => getSettings(read),
    'settings:update': (change) => updateSettings(db, change),
    'data:clear': () => clearData(db),
  }
  return refuseChangesIfReadOnly(handlers, db.readOnly, db.path)
}

/** The book through a connection on this thread. */
export function bookOnThisThread(db: Db): BookAccess {
  return {
    path: db.path,
    readOnly: db.readOnly,
    backup: async (target, options) => {
      const { path: saved, bytes } = backupDatabase(db, target, options)
      if (!db.readOnly) recordBackup(db)
      return { path: saved, bytes }
    },
    counts: async () => ({
      sip_count: db.orm.select({ n: countRows() }).from(sips).get()!.n,
      client_count: db.orm.select({ n: countRows() }).from(clients).get()!.n,
    }),
  }
}

/** Checks on the host's thread before a book request runs: the jobs live here. */
export const bookGuards = (jobs: ImportJobs): Partial<Record<BookChannel, () => void>> => ({
  'data:clear': () => refuseWhileJobRuns(jobs, 'clearing data'),
})

const refuseWhileJobRuns = (jobs: ImportJobs, what: string): void => {
  if (jobs.isRunning()) throw new AppError('conflict', `an import, an undo or a recalculation is running; wait for it before ${what}`)
}

/**
 * The requests the host answers on its own thread: its dialogs, PDF, links and launch files, and
 * the jobs (import, undo, restore) that run in workers of their own.
 */
export function hostHandlers(options: HostOptions, jobs: ImportJobs, book: BookAccess): Pick<Handlers, HostChannel> {
  const toTargets = (source: ImportSource): ImportTarget[] => {
    switch (source.kind) {
      case 'path':
        return [{ path: source.path, name: path.basename(source.path) }]
      case 'upload': {
        const upload = options.resolveUpload?.(source.upload_id)
        if (!upload) throw new AppError('not_found', `no uploaded file ${source.upload_id}`)
        return [upload]
      }
      case 'sample':
        return SAMPLE_FILES.flatMap((names, month) =>
          names.map((name) => ({
            path: path.join(options.resourcesDir, 'sample', name),
            name: `sample data (${name.replace('.gz', '')})`,
            set: month,
          })),
        )
    }
  }

  const restore = async ({ source }: RequestOf<'data:restore'>): Promise<RestoreResult> => {
    refuseWhileJobRuns(jobs, 'restoring a backup')
    let file: { path: string; name: string } | null
    if (source.kind === 'dialog') {
      const picked = await unsupportedWithout(
        options.pickBackupFile,
        'the open dialog exists only in the desktop app; upload the backup instead',
      )()
      file = picked ? { path: picked, name: picked } : null
    } else {
      file = options.resolveUpload?.(source.upload_id) ?? null
      if (!file) throw new AppError('not_found', `no uploaded file ${source.upload_id}`)
    }
    if (!file)
      return {
        restored: false,
        kept_as: null,
        restored_from: null,
        backup_made_at: null,
        ...(await book.counts()),
        outside_limits: { cleared: 0, cut: 0, dropped: 0 },
      }
    refuseWhileJobRuns(jobs, 'restoring a backup')
    try {
      const { keptAs, repairs, backupMadeAt } = await restoreInto(book, file.path, { label: file.name })
      return {
        restored: true,
        kept_as: keptAs,
        restored_from: file.name,
        backup_made_at: backupMadeAt,
        ...(await book.counts()),
        outside_limits: repairs,
      }
    } catch (error) {
      if (error instanceof AppError) throw new AppError('restore_refused', `${error.message}. Nothing was changed.`, { cause: error })
      throw error
    }
  }

  const handlers: Pick<Handlers, HostChannel> = {
    'app:takeOpenedFiles': () => options.takeOpenedFiles?.() ?? { paths: [] },
    'dialog:openExport': () =>
      unsupportedWithout(options.openExportDialog, 'the open dialog exists only in the desktop app; drop or pick the file instead')(),
    'report:savePdf': ({ suggested_name }) =>
      unsupportedWithout(
        options.saveReportPdf,
        'saving a PDF exists only in the desktop app; use Print… and choose Save as PDF',
      )(suggested_name),
    'app:openExternal': async ({ url }) => {
      await unsupportedWithout(options.openExternal, 'this host opens no links itself; the browser follows the link')(url)
      return { opened: true }
    },
    'import:start': ({ sources }) => jobs.start(sources.flatMap(toTargets)),
    'import:status': ({ job_id }) => jobs.status(job_id),
    'import:cancel': ({ job_id }) => jobs.cancel(job_id),
    'import:undo': () => jobs.undo(),
    'data:backup': () =>
      unsupportedWithout(options.saveBackup, 'this host cannot save backups; use the CLI: partner-dashboard backup <file>')(book.backup),
    'data:restore': restore,
  }
  return refuseChangesIfReadOnly(handlers, book.readOnly, book.path)
}

/** Every service on this thread over one database handle (the CLI and tests; the desktop and web hosts use a database worker). */
export function createServices(options: ServiceOptions): Services {
  const { db } = options
  const jobs = new ImportJobs(db.path)
  const book = bookHandlers(db, {
    host: options.host,
    version: options.version,
    capabilities: capabilitiesOf(options),
    onStale: () => jobs.refresh(),
    notRebuilt: () => jobs.notRebuilt(),
  })
  for (const [channel, guard] of Object.entries(bookGuards(jobs)) as [BookChannel, () => void][]) {
    const handler = book[channel] as (request: unknown) => unknown
    ;(book as Record<BookChannel, (request: unknown) => unknown>)[channel] = (request) => {
      guard()
      return handler(request)
    }
  }
  return { handlers: { ...book, ...hostHandlers(options, jobs, bookOnThisThread(db)) }, jobs }
}
