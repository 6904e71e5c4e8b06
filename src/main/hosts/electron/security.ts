import { app, session, shell, type WebContents } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp'

/** True for the app's own pages: the built renderer on disk, or the dev server in development. */
export function isAppUrl(url: string): boolean {
  const devServer = process.env.ELECTRON_RENDERER_URL
  if (devServer && url.startsWith(devServer)) return true
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'file:' && decodeURIComponent(parsed.pathname).startsWith(app.getAppPath().replaceAll('\\', '/'))
  } catch {
    return false
  }
}

/** Session-wide rules: CSP on every response, no permissions, no requests off the machine. */
export function hardenSession(): void {
  const ses = session.defaultSession
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = ['file:', 'devtools:', 'data:', 'blob:'].some((scheme) => details.url.startsWith(scheme)) || isAppUrl(details.url)
    callback({ cancel: !allowed })
  })
  ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
}

/** Per-window rules: no new windows, no navigation away from the app, no webviews. */
export function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https:')) void shell.openExternal(url) // help links open in the user's browser
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}
