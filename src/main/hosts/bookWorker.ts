/**
 * Worker thread: owns the app's connection to the book and answers every request that is not
 * host-only (`bookHandlers`), so the host's own thread (Electron's main process, the web host's
 * server) never waits on SQL. Talks to `startBookThread` through `BookMessage`s.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openDb, type Db } from '../db/open'
import { bookHandlers, bookOnThisThread } from '../services'
import { asAppError, dispatch } from './dispatch'
import type { BookReply, BookRequest, BookWorkerData } from './bookThread'

const port = parentPort!
const { dbPath, setup, checkAnswers } = workerData as BookWorkerData
const post = (message: BookReply): void => port.postMessage(message)

function serve(db: Db): void {
  let notRebuilt: string | null = null
  const handlers = bookHandlers(db, { ...setup, onStale: () => post({ type: 'stale' }), notRebuilt: () => notRebuilt })
  const access = bookOnThisThread(db)
  port.on('message', (message: BookRequest) => {
    if (message.type === 'close') {
      db.close()
      port.close()
      return
    }
    if (message.type === 'not-rebuilt') {
      notRebuilt = message.reason
      return
    }
    const answer =
      message.type === 'request'
        ? dispatch(handlers, message.channel, message.request, { checkAnswers })
        : (message.type === 'backup' ? access.backup(message.target, { replace: message.replace }) : access.counts()).then(
            (data) => ({ ok: true as const, data }),
            (error: unknown) => ({ ok: false as const, error: asAppError(error, message.type).toJSON() }),
          )
    void answer.then((envelope) => post({ type: 'answer', id: message.id, envelope }))
  })
  post({ type: 'ready', path: db.path, readOnly: db.readOnly })
}

try {
  serve(openDb(dbPath))
} catch (error) {
  post({ type: 'failed', error: asAppError(error, 'opening the database').toJSON() })
  port.close()
}
