/** Domain types shared by main and renderer. Request types come from the zod schemas in contract.ts. */

export type IssueLevel = 'rejected' | 'warning'

export interface ImportIssue {
  level: IssueLevel
  /** 1-based position of the record in the file. */
  position: number
  sip_meta_id: string | null
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
  sip_records: number
  client_records: number
}

export interface ImportReport extends ImportCounts {
  import_id: number
  /** The import (SPEC §7: the files opened together) the file was part of. */
  set_id: number
  file: string
  size_bytes: number
  sha256: string
  started_at: string
  finished_at: string
  /** The first issues, in file order (at most `MAX_STORED_ISSUES`). */
  issues: ImportIssue[]
  /** Total issues found, which can exceed `issues.length`. */
  issue_count: number
}

export const MAX_STORED_ISSUES = 10_000

export interface ImportProgress {
  file: string
  file_index: number
  file_count: number
  records: number
  bytes_read: number
  total_bytes: number
  /** Every file is in; the detectors are running over the new book. */
  analysing?: boolean
}

export type ImportJobState = 'running' | 'done' | 'failed' | 'cancelled'

export interface ImportJob {
  job_id: string
  state: ImportJobState
  progress: ImportProgress | null
  /** Reports of the files imported so far, in order. */
  reports: ImportReport[]
  /** Why the job stopped, when it failed: names the file and where it broke. */
  error: string | null
}

/** A finished backup: saved at `path` (desktop) or offered at the `download` address (web host); both null when cancelled. */
export interface BackupResult {
  path: string | null
  download: string | null
  bytes: number
}

/** A restore: `keptAs` is where the replaced database was copied; `restored` is false when the user cancelled. */
export interface RestoreResult {
  restored: boolean
  kept_as: string | null
  sip_count: number
  client_count: number
}

/** What the host the renderer talks to can do beyond the contract's common ground. */
export interface Capabilities {
  /** Native open dialogs (exports, backups); else the page's own file input. */
  open_dialogs: boolean
  /** Save the current page as a PDF at a path the user picks; else the print dialog. */
  save_pdf: boolean
  /** Hand a mailto: or WhatsApp link to the system; else a plain link. */
  open_external: boolean
  /** Export files the app was launched with. */
  launch_files: boolean
}

export interface AppInfo {
  version: string
  host: 'electron' | 'web'
  capabilities: Capabilities
  db_path: string
  sip_count: number
  client_count: number
  import_count: number
}
