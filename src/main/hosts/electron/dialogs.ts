import path from 'node:path'
import { app, dialog, type BrowserWindow } from 'electron'
import type { BookAccess } from '../../services'
import { suggestedBackupName } from '../../services/backup'
import type { BackupResult } from '../../../shared/types'

/** The native dialogs behind the contract's desktop-only requests, parented to the main window. */
export function nativeDialogs(getWindow: () => BrowserWindow | null) {
  const showOpen = (options: Electron.OpenDialogOptions) => {
    const window = getWindow()
    return window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options)
  }
  const showSave = (options: Electron.SaveDialogOptions) => {
    const window = getWindow()
    return window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options)
  }
  return {
    openExportDialog: async (): Promise<{ paths: string[] }> => {
      const result = await showOpen({
        title: 'Open SIP or client export',
        properties: ['openFile', 'multiSelections'],
        filters: [
          { name: 'Exports', extensions: ['json', 'jsonl', 'ndjson', 'csv', 'tsv', 'txt', 'xlsx', 'gz'] },
          { name: 'All files', extensions: ['*'] },
        ],
      })
      return { paths: result.canceled ? [] : result.filePaths }
    },
    saveBackup: async (backup: BookAccess['backup']): Promise<BackupResult> => {
      const choice = await showSave({
        title: 'Back up database',
        defaultPath: path.join(app.getPath('documents'), suggestedBackupName()),
        filters: [{ name: 'Partner Dashboard backup', extensions: ['sqlite'] }],
      })
      if (choice.canceled || !choice.filePath) return { path: null, download: null, bytes: 0 }
      // The save dialog has already asked before replacing an existing file.
      const { path: saved, bytes } = await backup(choice.filePath, { replace: true })
      return { path: saved, download: null, bytes }
    },
    pickBackupFile: async (): Promise<string | null> => {
      const result = await showOpen({
        title: 'Restore from backup',
        properties: ['openFile'],
        filters: [
          { name: 'Partner Dashboard backup', extensions: ['sqlite', 'db'] },
          { name: 'All files', extensions: ['*'] },
        ],
      })
      return result.canceled ? null : (result.filePaths[0] ?? null)
    },
  }
}
