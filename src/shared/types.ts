/** Domain types shared by main and renderer. Request types come from the zod schemas in contract.ts. */

export type IssueLevel = 'rejected' | 'warning'

export interface ImportIssue {
  level: IssueLevel
  /** 1-based position of the record in the file. */
  position: number
  sipMetaId: string | null
  field: string | null
  reason: string
}

export interface ImportCounts {
  read: number
  inserted: number
  updated: number
  unchanged: number
  rejected: number
  warnings: number
  sipRecords: number
  clientRecords: number
}

export interface ImportReport extends ImportCounts {
  importId: number
  file: string
  sizeBytes: number
  sha256: string
  startedAt: string
  finishedAt: string
  /** The first issues, in file order (at most `MAX_STORED_ISSUES`). */
  issues: ImportIssue[]
  /** Total issues found, which can exceed `issues.length`. */
  issueCount: number
}

export const MAX_STORED_ISSUES = 10_000

export interface ImportProgress {
  file: string
  fileIndex: number
  fileCount: number
  records: number
  bytesRead: number
  totalBytes: number
  /** Every file is in; the detectors are running over the new book. */
  analysing?: boolean
}

export type ImportJobState = 'running' | 'done' | 'failed' | 'cancelled'

export interface ImportJob {
  jobId: string
  state: ImportJobState
  progress: ImportProgress | null
  /** Reports of the files imported so far, in order. */
  reports: ImportReport[]
  /** Why the job stopped, when it failed: names the file and where it broke. */
  error: string | null
}

/** One line of the import history. */
export type ImportSummary = Omit<ImportReport, 'sha256' | 'issues' | 'issueCount' | 'sipRecords' | 'clientRecords'>

/** A finished backup: saved at `path` (desktop) or offered at the `download` address (web host); both null when cancelled. */
export interface BackupResult {
  path: string | null
  download: string | null
  bytes: number
}

/** A restore: `keptAs` is where the replaced database was copied; `restored` is false when the user cancelled. */
export interface RestoreResult {
  restored: boolean
  keptAs: string | null
  sipCount: number
  clientCount: number
}

/** What the host the renderer talks to can do beyond the contract's common ground. */
export interface Capabilities {
  /** Native open dialogs (exports, backups); else the page's own file input. */
  openDialogs: boolean
  /** Save the current page as a PDF at a path the user picks; else the print dialog. */
  savePdf: boolean
  /** Hand a mailto: or WhatsApp link to the system; else a plain link. */
  openExternal: boolean
  /** Export files the app was launched with. */
  launchFiles: boolean
}

export interface AppInfo {
  version: string
  host: 'electron' | 'web'
  capabilities: Capabilities
  dbPath: string
  sipCount: number
  clientCount: number
  importCount: number
}
