import fs from 'node:fs/promises'
import { protocol, session, shell, type WebContents } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp'
import { contentType } from '../contentTypes'
import { APP_SCHEME, isAppUrl as isAppPage, opensOutside, rendererFile } from './gates'

/** The dev server, honoured only by a development build (`electron-vite dev`); a packaged app ignores the variable. */
export const devServer = (): string | undefined => (import.meta.env.DEV ? process.env.ELECTRON_RENDERER_URL : undefined)

/** True for the app's own pages (see `gates.ts`). */
export const isAppUrl = (url: string): boolean => isAppPage(url, devServer())

/** Before the app is ready: `app://` is a standard, secure scheme, so the renderer never needs `file://`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])
}

/** Serves the built renderer at `app://bundle/…`, from `rendererDir` only. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFile(request.url, rendererDir)
    if (!file) return new Response('not found', { status: 404 })
    try {
      return new Response(await fs.readFile(file), { headers: { 'Content-Type': contentType(file) } })
    } catch {
      return new Response('not found', { status: 404 })
    }
  })
}

/** Session-wide rules: CSP on every response, no permissions, no requests off the machine. */
export function hardenSession(): void {
  const ses = session.defaultSession
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = ['devtools:', 'data:', 'blob:'].some((scheme) => details.url.startsWith(scheme)) || isAppUrl(details.url)
    callback({ cancel: !allowed })
  })
  ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
}

/**
 * Per-window rules: no new windows, no navigation away from the app, no webviews. A link to an
 * email draft, a WhatsApp chat or a phone number goes to the system (the `app:openExternal` list, and `tel:`).
 */
export function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (opensOutside(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return
    event.preventDefault()
    if (opensOutside(url)) void shell.openExternal(url)
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}
