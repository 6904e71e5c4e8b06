import path from 'node:path'
import type { Db } from '../db/open'
import { RequestError, type Handlers, type ImportSource } from '../../shared/contract'
import { getImportReport, ImportJobs, listImports, type ImportTarget } from './imports'
import { clearData, getClient, getStats, listAgents, searchClients } from './book'
import { updateFollowUp } from './followUps'
import { listOpportunities } from './opportunities'
import { getSettings, updateSettings } from './settings'

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
}

export const SAMPLE_FILES = ['sample-clients.json.gz', 'sample-sips.json.gz']

const desktopOnly = <F>(handler: F | undefined, what: string): F => {
  if (!handler) throw new RequestError('unsupported', `${what} exists only in the desktop app; use Print… and choose Save as PDF`)
  return handler
}

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
        const upload = options.resolveUpload?.(source.uploadId)
        if (!upload) throw new RequestError('not_found', `no uploaded file ${source.uploadId}`)
        return [upload]
      }
      case 'sample':
        return SAMPLE_FILES.map((name) => ({
          path: path.join(options.resourcesDir, 'sample', name),
          name: `sample data (${name.replace('.gz', '')})`,
        }))
    }
  }

  const count = (table: string): number => (db.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n

  const handlers: Handlers = {
    'app:info': () => ({
      version: options.version,
      host: options.host,
      dbPath: db.path,
      sipCount: count('sips'),
      clientCount: count('clients'),
      importCount: count('imports'),
    }),
    'import:start': ({ sources }) => jobs.start(sources.flatMap(toTargets)),
    'import:status': ({ jobId }) => jobs.status(jobId),
    'import:cancel': ({ jobId }) => jobs.cancel(jobId),
    'import:list': () => listImports(db),
    'import:report': ({ importId }) => getImportReport(db, importId),
    'dialog:openExport': () => desktopOnly(options.openExportDialog, 'the open dialog')(),
    'report:savePdf': ({ suggestedName }) => desktopOnly(options.saveReportPdf, 'saving a PDF')(suggestedName),
    'opportunities:list': (query) => listOpportunities(db, query),
    'stats:get': (request) => getStats(db, request),
    'agents:list': (request) => listAgents(db, request),
    'client:get': (request) => getClient(db, request),
    'followup:update': (change) => updateFollowUp(db, change),
    'settings:get': () => getSettings(db),
    'settings:update': (change) => updateSettings(db, change),
    'clients:search': (request) => searchClients(db, request),
    'data:clear': () => {
      if (jobs.isRunning()) throw new RequestError('conflict', 'an import is running; cancel it before clearing data')
      return clearData(db)
    },
  }
  return { handlers, jobs }
}
