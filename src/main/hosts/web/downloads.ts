import fs from 'node:fs'
import type { BookAccess } from '../../services'
import { suggestedBackupName } from '../../services/backup'
import type { BackupResult } from '../../../shared/types'
import type { TempFiles } from './tempFiles'

/** The book's size on disk (the file and its write-ahead log): what a backup of it may take at most. */
const databaseBytes = (dbPath: string): number =>
  [dbPath, `${dbPath}-wal`].reduce((bytes, file) => bytes + (fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0), 0)

/**
 * The web host's backup: a copy in its temporary folder, offered at `download/<id>` (relative to
 * the page) until its first complete download or its expiry.
 */
export const backupAsDownload =
  (dbPath: string, temp: TempFiles) =>
  async (backup: BookAccess['backup']): Promise<BackupResult> => {
    const release = temp.reserve(databaseBytes(dbPath))
    try {
      const { path: file, bytes } = await backup(temp.newPath('.sqlite'))
      return { path: null, download: `download/${temp.addDownload(file, suggestedBackupName())}`, bytes }
    } finally {
      release()
    }
  }
