import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { externalUrl } from '../../../shared/contract'

/**
 * The desktop app's gates as pure functions (no Electron here, so they are tested on any
 * platform, Windows paths included): which pages are the app, which files its `app://` protocol
 * serves, and which links leave for the system.
 */

/** The scheme and host the packaged renderer is served from (`app://bundle/index.html`). */
export const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://bundle`

const parse = (url: string): URL | null => {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/**
 * True for the app's own pages: the renderer under `app://bundle/`, or, in a development build
 * only, a page of the dev server's origin (a prefix match would take `http://localhost:5173@evil.example/`).
 */
export function isAppUrl(url: string, devServer: string | undefined): boolean {
  const parsed = parse(url)
  if (!parsed) return false
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'bundle') return true
  const dev = devServer ? parse(devServer) : null
  return dev !== null && dev.origin !== 'null' && parsed.origin === dev.origin
}

/**
 * Whether `file` lies inside `folder`, compared as file URLs (on Windows `C:\Program Files\…` and
 * `/C:/Program Files/…` are one place) up to a path-segment boundary (`…/app` does not contain `…/app-evil`).
 */
export function isInsideFolder(file: string, folder: string, { windows = process.platform === 'win32' } = {}): boolean {
  const href = (p: string): string => pathToFileURL(p, { windows }).href.replace(/\/+$/, '')
  const inner = href(file)
  const outer = href(folder)
  const same = (a: string, b: string): boolean => (windows ? a.toLowerCase() === b.toLowerCase() : a === b)
  return inner.length > outer.length && same(inner.slice(0, outer.length + 1), `${outer}/`)
}

/** The file an `app://bundle/…` request names inside the renderer folder, or null (another host, or a path that leaves it). */
export function rendererFile(url: string, rendererDir: string, { windows = process.platform === 'win32' } = {}): string | null {
  const parsed = parse(url)
  if (!parsed || parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== 'bundle') return null
  const paths = windows ? path.win32 : path.posix
  let relative: string
  try {
    relative = decodeURIComponent(parsed.pathname)
  } catch {
    return null
  }
  const file = paths.join(rendererDir, relative === '/' ? 'index.html' : relative)
  return isInsideFolder(file, rendererDir, { windows }) ? file : null
}

/** A phone number link: `tel:` and the characters of a number. */
const isTelLink = (url: string): boolean => /^tel:\+?[\d\s().-]{3,32}$/.test(url)

/**
 * Whether a link the page follows (a click, `window.open`) goes to the system: the same mailto: and
 * wa.me links `app:openExternal` accepts, and phone numbers. Everything else stays closed.
 */
export const opensOutside = (url: string): boolean => isTelLink(url) || externalUrl.safeParse(url).success
