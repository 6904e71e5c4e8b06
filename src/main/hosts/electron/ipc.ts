import { ipcMain } from 'electron'
import { CHANNELS } from '../../../shared/channels'
import { AppError } from '../../../shared/errors'
import type { Route } from '../dispatch'
import { isAppUrl } from './security'

/** Registers every channel of the contract with one loop; each request is checked for its sender, then routed. */
export function registerIpc(route: Route): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, request: unknown) => {
      const frameUrl = event.senderFrame?.url ?? ''
      if (!isAppUrl(frameUrl)) {
        return { ok: false, error: new AppError('forbidden', 'request from a page that is not the app').toJSON() }
      }
      return route(channel, request)
    })
  }
}
