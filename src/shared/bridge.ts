import type { Channel, Envelope } from './channels'

/** The screens the menu's Go items open, by their address. */
export type MenuScreen = 'dashboard' | 'imports' | 'settings'

/** What main asks the renderer to do: the menu's actions (also keyboard shortcuts), and files waiting to open. */
export type MenuAction =
  | { kind: 'open-export' }
  | { kind: 'try-sample' }
  /** Files named on a launch are waiting: take them with `app:takeOpenedFiles`. */
  | { kind: 'opened-files' }
  | { kind: 'search' }
  | { kind: 'print' }
  | { kind: 'navigate'; screen: MenuScreen }

/** What the Electron preload puts on `window.partnerDashboard`, and nothing more. */
export interface Bridge {
  invoke(channel: Channel, request: unknown): Promise<Envelope<unknown>>
  onMenu(listener: (action: MenuAction) => void): () => void
  /** The path of a file dropped on the window (Electron's `webUtils.getPathForFile`). */
  pathForFile(file: File): string
}

/** The one event channel from main to renderer. */
export const MENU_EVENT = 'menu:action'
