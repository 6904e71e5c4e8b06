import type { Channel, Envelope } from './channels'

/** Actions the desktop menu (and keyboard shortcuts) ask the renderer to perform. */
export type MenuAction = 'open-export' | 'try-sample' | 'search' | 'print' | 'navigate:dashboard' | 'navigate:imports' | 'navigate:settings'

/** What the Electron preload puts on `window.partnerDashboard`, and nothing more. */
export interface Bridge {
  invoke(channel: Channel, request: unknown): Promise<Envelope<unknown>>
  onMenu(listener: (action: MenuAction) => void): () => void
  /** The path of a file dropped on the window (Electron's `webUtils.getPathForFile`). */
  pathForFile(file: File): string
}

/** The one event channel from main to renderer. */
export const MENU_EVENT = 'menu:action'
