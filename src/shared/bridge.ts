import type { Channel, Envelope } from './channels'

/** What main asks the renderer to do: the menu's actions (also keyboard shortcuts), and files waiting to open. */
export type MenuAction =
  | 'open-export'
  | 'try-sample'
  /** Files named on a launch are waiting: take them with `app:takeOpenedFiles`. */
  | 'opened-files'
  | 'search'
  | 'print'
  | 'navigate:dashboard'
  | 'navigate:imports'
  | 'navigate:settings'

/** What the Electron preload puts on `window.partnerDashboard`, and nothing more. */
export interface Bridge {
  invoke(channel: Channel, request: unknown): Promise<Envelope<unknown>>
  onMenu(listener: (action: MenuAction) => void): () => void
  /** The path of a file dropped on the window (Electron's `webUtils.getPathForFile`). */
  pathForFile(file: File): string
}

/** The one event channel from main to renderer. */
export const MENU_EVENT = 'menu:action'
