import { randomUUID } from 'node:crypto'
import path from 'node:path'
import type { Db } from '../../db/open'
import { backupDatabase, suggestedBackupName } from '../../services/backup'
import type { ImportTarget } from '../../services/imports'
import type { BackupResult } from '../../../shared/types'

/** The web host's backup: a copy in `dir`, offered once at `download/<id>` (relative to the page). */
export const backupAsDownload = (db: Db, dir: string, downloads: Map<string, ImportTarget>) => async (): Promise<BackupResult> => {
  const id = randomUUID()
  const { path: file, bytes } = backupDatabase(db, path.join(dir, `${id}.sqlite`))
  downloads.set(id, { path: file, name: suggestedBackupName() })
  return { path: null, download: `download/${id}`, bytes }
}
