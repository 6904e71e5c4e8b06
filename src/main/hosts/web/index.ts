/** The app in a browser, served on 127.0.0.1 only: `partner-dashboard web` (see `cli/commands/web.ts`). */
import fs from 'node:fs'
import path from 'node:path'
import { startServices } from '../bookThread'
import { checksAnswers } from '../dispatch'
import { AppError } from '../../../shared/errors'
import { resourcesDir, version } from '../paths'
import { createWebServer, newToken } from './server'
import { backupAsDownload } from './downloads'
import { TempFiles } from './tempFiles'
import { webHandlers } from './handlers'

/**
 * Serves the built renderer in `staticDir` and the contract over the database at `dbPath` until
 * SIGINT or SIGTERM; resolves once listening (the address is printed), rejects when it cannot listen.
 */
export async function startWebHost({ port, staticDir, dbPath }: { port: number; staticDir: string; dbPath: string }): Promise<void> {
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    throw new AppError('not_built', `${staticDir} has no built renderer: run npm run build:web first`)
  }
  const temp = new TempFiles()
  let services: Awaited<ReturnType<typeof startServices>>
  try {
    services = await startServices({
      dbPath,
      checkAnswers: checksAnswers(),
      host: 'web',
      version: version(),
      resourcesDir,
      resolveUpload: (id) => temp.upload(id),
      saveBackup: backupAsDownload(dbPath, temp),
      adapt: (handlers, jobs) => webHandlers(handlers, jobs, temp),
    })
  } catch (error) {
    temp.dispose()
    throw error
  }
  const token = newToken()
  const server = createWebServer({ route: services.route, staticDir, token, temp })
  const cleanUp = (): Promise<void> => services.close().finally(() => temp.dispose())
  const stop = (): void => {
    server.close()
    void cleanUp().then(() => process.exit(0))
  }
  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      void cleanUp()
      reject(new AppError('conflict', `cannot listen on 127.0.0.1:${port}: ${error.message}`, { cause: error }))
    })
    server.listen(port, '127.0.0.1', () => {
      const address = server.address()
      if (address && typeof address === 'object') console.log(`Listening on http://127.0.0.1:${address.port}/?token=${token}`)
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
      resolve()
    })
  })
}
