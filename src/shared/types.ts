/** Domain types shared by main and renderer: requests from the zod schemas in contract.ts, answers from those in answers.ts. */
import type { z } from 'zod'
import type * as answers from './answers'

export type ImportIssue = z.infer<typeof answers.importIssue>
export type ImportCounts = z.infer<typeof answers.importCounts>
export type ImportReport = z.infer<typeof answers.importReport>
export type ImportProgress = z.infer<typeof answers.importProgress>
export type ImportJob = z.infer<typeof answers.importJob>
export type BackupResult = z.infer<typeof answers.backupResult>
export type RestoreResult = z.infer<typeof answers.restoreResult>
export type MappingQuestion = z.infer<typeof answers.mappingQuestion>
export type MappingField = z.infer<typeof answers.mappingField>
export type SavedMapping = z.infer<typeof answers.savedMapping>
export type Capabilities = z.infer<typeof answers.capabilities>

export const MAX_STORED_ISSUES = 10_000
