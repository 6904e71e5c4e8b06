import path from 'node:path'
import { BrowserWindow, dialog } from 'electron'
import { APP_ORIGIN } from './gates'
import { devServer } from './security'

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Partner Dashboard',
    icon: path.join(__dirname, '../../resources/icon.png'),
    webPreferences: {
      // electron-vite writes the preload as CommonJS beside main: a sandboxed preload cannot be ESM.
      preload: path.join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  window.once('ready-to-show', () => window.show())
  // A typed, unsaved call note holds the page (its `beforeunload`): Electron then keeps the window
  // without a word, so ask here what a browser would.
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: ['Discard note', 'Keep editing'],
      defaultId: 1,
      cancelId: 1,
      message: 'Discard the note you typed?',
      detail: 'The call has not been saved.',
    })
    if (choice === 0) event.preventDefault() // unload all the same
  })
  void window.loadURL(devServer() ?? `${APP_ORIGIN}/index.html`)
  return window
}
