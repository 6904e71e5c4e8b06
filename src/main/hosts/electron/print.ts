import fs from 'node:fs/promises'
import path from 'node:path'
import { app, dialog, type BrowserWindow } from 'electron'

/** Writes the window's current page (the client report) as an A4 PDF where the user chooses. */
export async function saveReportPdf(window: BrowserWindow | null, suggestedName: string): Promise<{ path: string | null }> {
  if (!window) return { path: null }
  const safeName = suggestedName.replace(/[\\/:*?"<>|]/g, '_')
  const choice = await dialog.showSaveDialog(window, {
    title: 'Save client report as PDF',
    defaultPath: path.join(app.getPath('documents'), safeName),
    filters: [{ name: 'PDF', extensions: ['pdf'] }],
  })
  if (choice.canceled || !choice.filePath) return { path: null }
  const pdf = await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true })
  await fs.writeFile(choice.filePath, pdf)
  return { path: choice.filePath }
}
