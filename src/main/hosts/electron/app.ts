import path from 'node:path'
import { app, BrowserWindow, dialog, shell } from 'electron'
import { AppError } from '../../../shared/errors'
import { startServices, type HostedServices } from '../bookThread'
import { checksAnswers } from '../dispatch'
import { createMainWindow } from './window'
import { hardenContents, hardenSession, registerAppScheme, serveRenderer } from './security'
import { registerIpc } from './ipc'
import { installMenu } from './menu'
import { saveReportPdf } from './print'
import { nativeDialogs } from './dialogs'
import { exportFiles, exportPathsFromArgv, launchFiles } from './launchFiles'
import { MENU_EVENT, type MenuAction } from '../../../shared/bridge'

let mainWindow: BrowserWindow | null = null
let services: HostedServices | null = null
const openedFiles = launchFiles(() => mainWindow?.webContents.send(MENU_EVENT, { kind: 'opened-files' } satisfies MenuAction))

const resourcesDir = (): string => (app.isPackaged ? process.resourcesPath : path.join(app.getAppPath(), 'resources'))

/** Electron's main thread only routes: the book is opened and read in the database worker (see `startServices`). */
async function start(): Promise<void> {
  hardenSession()
  serveRenderer(path.join(__dirname, '../renderer'))
  const dbPath = process.env.PARTNER_DASHBOARD_DB ?? path.join(app.getPath('userData'), 'partner-dashboard.sqlite')
  try {
    services = await startServices({
      dbPath,
      // Answers are checked against the contract in development, never in the packaged app.
      checkAnswers: !app.isPackaged && checksAnswers(),
      host: 'electron',
      version: app.getVersion(),
      resourcesDir: resourcesDir(),
      ...nativeDialogs(() => mainWindow),
      saveReportPdf: (suggestedName) => saveReportPdf(mainWindow, suggestedName),
      takeOpenedFiles: openedFiles.take,
      openExternal: (url) => shell.openExternal(url),
    })
  } catch (error) {
    dialog.showErrorBox('Partner Dashboard cannot open its database', error instanceof AppError ? error.message : String(error))
    app.quit()
    return
  }
  registerIpc(services.route)
  installMenu(() => mainWindow)
  mainWindow = createMainWindow()
  mainWindow.on('closed', () => (mainWindow = null))
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  registerAppScheme()
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
    openedFiles.add(exportFiles([file], process.cwd()))
  })
  // Every web contents the app ever creates gets the same rules, not just the main window's.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents))
  void app.whenReady().then(start)
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && services) mainWindow = createMainWindow()
  })
  // The book closes before the app exits: the worker finishes the request it is on and folds nothing half-written.
  let closed = false
  app.on('will-quit', (event) => {
    if (closed || !services) return
    event.preventDefault()
    void services.close().finally(() => {
      closed = true
      app.quit()
    })
  })
}
