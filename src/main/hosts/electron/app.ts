import path from 'node:path'
import { app, BrowserWindow, dialog, shell } from 'electron'
import { openDb, type Db } from '../../db/open'
import { AppError } from '../../../shared/errors'
import { createServices } from '../../services'
import { createMainWindow } from './window'
import { hardenContents, hardenSession } from './security'
import { registerIpc } from './ipc'
import { installMenu } from './menu'
import { saveReportPdf } from './print'
import { nativeDialogs } from './dialogs'
import { exportPathsFromArgv, launchFiles } from './launchFiles'
import { MENU_EVENT, type MenuAction } from '../../../shared/bridge'

let mainWindow: BrowserWindow | null = null
let db: Db | null = null
const openedFiles = launchFiles(() => mainWindow?.webContents.send(MENU_EVENT, { kind: 'opened-files' } satisfies MenuAction))

const resourcesDir = (): string => (app.isPackaged ? process.resourcesPath : path.join(app.getAppPath(), 'resources'))

function start(): void {
  hardenSession()
  const dbPath = process.env.PARTNER_DASHBOARD_DB ?? path.join(app.getPath('userData'), 'partner-dashboard.sqlite')
  try {
    db = openDb(dbPath)
  } catch (error) {
    dialog.showErrorBox('Partner Dashboard cannot open its database', error instanceof AppError ? error.message : String(error))
    app.quit()
    return
  }
  const { handlers } = createServices({
    db,
    host: 'electron',
    version: app.getVersion(),
    resourcesDir: resourcesDir(),
    ...nativeDialogs(() => mainWindow, db),
    saveReportPdf: (suggestedName) => saveReportPdf(mainWindow, suggestedName),
    takeOpenedFiles: openedFiles.take,
    openExternal: (url) => shell.openExternal(url),
  })
  registerIpc(handlers)
  installMenu(() => mainWindow)
  mainWindow = createMainWindow()
  mainWindow.on('closed', () => (mainWindow = null))
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  openedFiles.add(exportPathsFromArgv(process.argv, process.cwd()))
  app.on('second-instance', (_event, argv, workingDirectory) => {
    openedFiles.add(exportPathsFromArgv(argv, workingDirectory))
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  // macOS hands files to the running app ("Open With", dropping on the Dock icon) as events.
  app.on('open-file', (event, file) => {
    event.preventDefault()
    openedFiles.add([file])
  })
  // Every web contents the app ever creates gets the same rules, not just the main window's.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents))
  void app.whenReady().then(start)
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && db) mainWindow = createMainWindow()
  })
  app.on('will-quit', () => db?.close())
}
