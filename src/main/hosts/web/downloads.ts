import type { Db } from '../../db/open'
import { backupDatabase, suggestedBackupName } from '../../services/backup'
import type { BackupResult } from '../../../shared/types'
import type { TempFiles } from './tempFiles'

/** The database's size on disk: what a backup of it may take at most. */
const databaseBytes = (db: Db): number =>
  (db.sqlite.pragma('page_count', { simple: true }) as number) * (db.sqlite.pragma('page_size', { simple: true }) as number)

/**
 * The web host's backup: a copy in its temporary folder, offered at `download/<id>` (relative to
 * the page) until its first complete download or its expiry.
 */
export const backupAsDownload = (db: Db, temp: TempFiles) => async (): Promise<BackupResult> => {
  const release = temp.reserve(databaseBytes(db))
  try {
    const { path: file, bytes } = backupDatabase(db, temp.newPath('.sqlite'))
    return { path: null, download: `download/${temp.addDownload(file, suggestedBackupName())}`, bytes }
  } finally {
    release()
  }
}
