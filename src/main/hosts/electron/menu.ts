import { app, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron'
import { MENU_EVENT, type MenuAction } from '../../../shared/bridge'

/** The app menu: the same actions as the renderer's keyboard shortcuts. */
export function installMenu(getWindow: () => BrowserWindow | null): void {
  const send = (action: MenuAction) => () => getWindow()?.webContents.send(MENU_EVENT, action)
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Export…', accelerator: 'CmdOrCtrl+O', click: send({ kind: 'open-export' }) },
        { label: 'Try Sample Data', click: send({ kind: 'try-sample' }) },
        { type: 'separator' },
        { label: 'Print Client Report…', accelerator: 'CmdOrCtrl+P', click: send({ kind: 'print' }) },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'Go',
      submenu: [
        { label: 'Dashboard', accelerator: 'CmdOrCtrl+1', click: send({ kind: 'navigate', screen: 'dashboard' }) },
        { label: 'Imports', accelerator: 'CmdOrCtrl+2', click: send({ kind: 'navigate', screen: 'imports' }) },
        { label: 'Settings', accelerator: 'CmdOrCtrl+,', click: send({ kind: 'navigate', screen: 'settings' }) },
        { type: 'separator' },
        { label: 'Search Clients…', accelerator: 'CmdOrCtrl+K', click: send({ kind: 'search' }) },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        // The developer tools are for development: a packaged app has none in its menu.
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
