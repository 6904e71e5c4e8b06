import { app, ipcMain } from 'electron'
import { CHANNELS } from '../../../shared/channels'
import type { Handlers } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import { checksAnswers, dispatch } from '../dispatch'
import { isAppUrl } from './security'

/** Registers every channel of the contract with one loop; each request is checked for its sender. */
export function registerIpc(handlers: Handlers): void {
  // Answers are checked against the contract in development, never in the packaged app.
  const checkAnswers = !app.isPackaged && checksAnswers()
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, request: unknown) => {
      const frameUrl = event.senderFrame?.url ?? ''
      if (!isAppUrl(frameUrl)) {
        return { ok: false, error: new AppError('forbidden', 'request from a page that is not the app').toJSON() }
      }
      return dispatch(handlers, channel, request, { checkAnswers })
    })
  }
}
