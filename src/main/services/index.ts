import path from 'node:path'
import { count as countRows } from 'drizzle-orm'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { readOnlyError, type Db } from '../db/open'
import { clients, importSets, sips } from '../db/schema'
import { channelsWhere, type Handlers, type ImportSource, type RequestOf } from '../../shared/contract'
import { AppError } from '../../shared/errors'
import type { BackupResult, RestoreResult } from '../../shared/types'
import { restoreInto } from './backup'
import { getImportReport, ImportJobs, listImports, type ImportTarget } from './imports'
import { logCall } from './calls'
import { getChanges } from './changes'
import { clientAgents, getClient, searchClients, setClientLanguage } from './clients'
import { clientMessages, previewMessage } from './messages'
import { clearData } from './data'
import { updateFollowUp } from './followUps'
import { listOpportunities } from './opportunities'
import { getResults } from './results'
import { getSettings, recordBackup, updateSettings } from './settings'
import { getStats, listAgents } from './stats'
import { listToday } from './today'

export interface ServiceOptions {
  db: Db
  host: 'electron' | 'web'
  version: string
  /** Folder holding `sample/` (the bundled "Try sample data" exports). */
  resourcesDir: string
  /** The web host's uploaded files, by id. */
  resolveUpload?: (uploadId: string) => ImportTarget | undefined
  /** Host-specific handlers (native dialogs, printing); without them the channel answers `unsupported`. */
  openExportDialog?: () => Promise<{ paths: string[] }>
  saveReportPdf?: (suggestedName: string) => Promise<{ path: string | null }>
  /** Writes a backup where this host keeps it: a file the user picks, or a download. */
  saveBackup?: () => Promise<BackupResult>
  /** Export files the app was asked to open at launch, handed out once (desktop only). */
  takeOpenedFiles?: () => { paths: string[] }
  /** The desktop's open dialog for a backup to restore; null when cancelled. */
  pickBackupFile?: () => Promise<string | null>
  /** Hands a validated mailto: or wa.me link to the system (desktop only). */
  openExternal?: (url: string) => Promise<void>
}

/** "Try sample data": two monthly exports of one book, imported as two imports so What changed has something to show. */
export const SAMPLE_FILES = [
  ['sample-clients.json.gz', 'sample-sips.json.gz'],
  ['sample-clients-month2.json.gz', 'sample-sips-month2.json.gz'],
]

/** The host's handler, or an `unsupported` answer saying what to do instead. */
const hostOnly = <F>(handler: F | undefined, message: string): F => {
  if (!handler) throw new AppError('unsupported', message)
  return handler
}

/** The handlers of some channels: a domain's share of the contract. */
type DomainHandlers<C extends keyof Handlers> = Pick<Handlers, C>

export interface Services {
  handlers: Handlers
  jobs: ImportJobs
}

/** The services every host serves: plain functions over one database handle. */
export function createServices(options: ServiceOptions): Services {
  const { db } = options
  const jobs = new ImportJobs(db.path)

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

  const count = (table: SQLiteTable): number => db.orm.select({ n: countRows() }).from(table).get()!.n

  // Out-of-date opportunities are rebuilt in the import worker; reads answer from the previous ones.
  const inBackground = { onStale: () => jobs.refresh() }

  const refuseWhileImporting = (what: string): void => {
    if (jobs.isRunning()) throw new AppError('conflict', `an import, an undo or a recalculation is running; wait for it before ${what}`)
  }

  const restore = async ({ source }: RequestOf<'data:restore'>): Promise<RestoreResult> => {
    refuseWhileImporting('restoring a backup')
    let file: { path: string; name: string } | null
    if (source.kind === 'dialog') {
      const picked = await hostOnly(options.pickBackupFile, 'the open dialog exists only in the desktop app; upload the backup instead')()
      file = picked ? { path: picked, name: picked } : null
    } else {
      file = options.resolveUpload?.(source.upload_id) ?? null
      if (!file) throw new AppError('not_found', `no uploaded file ${source.upload_id}`)
    }
    if (!file) {
      return {
        restored: false,
        kept_as: null,
        sip_count: count(sips),
        client_count: count(clients),
        outside_limits: { cleared: 0, cut: 0, dropped: 0 },
      }
    }
    refuseWhileImporting('restoring a backup')
    try {
      const { keptAs, repairs } = await restoreInto(db, file.path, { label: file.name })
      return { restored: true, kept_as: keptAs, sip_count: count(sips), client_count: count(clients), outside_limits: repairs }
    } catch (error) {
      if (error instanceof AppError) throw new AppError('restore_refused', `${error.message}. Nothing was changed.`, { cause: error })
      throw error
    }
  }

  /** The handlers, by domain; each channel belongs to exactly one. */
  const app: DomainHandlers<'app:info' | 'app:takeOpenedFiles' | 'dialog:openExport' | 'report:savePdf' | 'app:openExternal'> = {
    'app:info': () => ({
      version: options.version,
      host: options.host,
      capabilities: {
        open_dialogs: options.openExportDialog !== undefined && options.pickBackupFile !== undefined,
        save_pdf: options.saveReportPdf !== undefined,
        open_external: options.openExternal !== undefined,
        launch_files: options.takeOpenedFiles !== undefined,
      },
      db_path: db.path,
      sip_count: count(sips),
      client_count: count(clients),
      // SPEC §5: an import is the files opened together, as the Imports screen lists them (undone ones too).
      import_count: count(importSets),
      read_only: db.readOnly,
    }),
    'app:takeOpenedFiles': () => options.takeOpenedFiles?.() ?? { paths: [] },
    'dialog:openExport': () =>
      hostOnly(options.openExportDialog, 'the open dialog exists only in the desktop app; drop or pick the file instead')(),
    'report:savePdf': ({ suggested_name }) =>
      hostOnly(options.saveReportPdf, 'saving a PDF exists only in the desktop app; use Print… and choose Save as PDF')(suggested_name),
    'app:openExternal': async ({ url }) => {
      await hostOnly(options.openExternal, 'this host opens no links itself; the browser follows the link')(url)
      return { opened: true }
    },
  }
  const imports: DomainHandlers<
    'import:start' | 'import:status' | 'import:cancel' | 'import:list' | 'import:report' | 'import:undo' | 'changes:get'
  > = {
    'import:start': ({ sources }) => jobs.start(sources.flatMap(toTargets)),
    'import:status': ({ job_id }) => jobs.status(job_id),
    'import:cancel': ({ job_id }) => jobs.cancel(job_id),
    'import:list': () => listImports(db),
    'import:report': ({ import_id }) => getImportReport(db, import_id),
    'import:undo': () => jobs.undo(),
    'changes:get': (request) => getChanges(db, request),
  }
  const book: DomainHandlers<
    'opportunities:list' | 'stats:get' | 'agents:list' | 'client:get' | 'client:agents' | 'clients:search' | 'today:list' | 'results:get'
  > = {
    'opportunities:list': (query) => listOpportunities(db, query, inBackground),
    'stats:get': (request) => getStats(db, request, inBackground),
    'agents:list': (request) => listAgents(db, request, inBackground),
    'client:get': (request) => getClient(db, request, inBackground),
    'client:agents': (request) => clientAgents(db, request.user_id),
    'clients:search': (request) => searchClients(db, request),
    'today:list': (request) => listToday(db, request, inBackground),
    'results:get': (request) => getResults(db, request),
  }
  const followUps: DomainHandlers<'followup:update' | 'calls:log'> = {
    'followup:update': (change) => updateFollowUp(db, change),
    'calls:log': (call) => logCall(db, call),
  }
  const messages: DomainHandlers<'messages:get' | 'messages:preview' | 'client:setLanguage'> = {
    'messages:get': (request) => clientMessages(db, request),
    'messages:preview': (request) => previewMessage(db, request),
    'client:setLanguage': (request) => setClientLanguage(db, request),
  }
  const settings: DomainHandlers<'settings:get' | 'settings:update'> = {
    'settings:get': () => getSettings(db),
    'settings:update': (change) => updateSettings(db, change),
  }
  const data: DomainHandlers<'data:clear' | 'data:backup' | 'data:restore'> = {
    'data:clear': () => {
      refuseWhileImporting('clearing data')
      return clearData(db)
    },
    'data:backup': async () => {
      const result = await hostOnly(options.saveBackup, 'this host cannot save backups; use the CLI: partner-dashboard backup <file>')()
      if ((result.path !== null || result.download !== null) && !db.readOnly) recordBackup(db)
      return result
    },
    'data:restore': restore,
  }
  const handlers: Handlers = { ...app, ...imports, ...book, ...followUps, ...messages, ...settings, ...data }
  // A read-only book refuses every change before anything runs (an import or restore would start a worker).
  if (db.readOnly) {
    for (const channel of channelsWhere((facts) => facts.writes)) {
      handlers[channel] = () => {
        throw readOnlyError(db.path)
      }
    }
  }
  return { handlers, jobs }
}
