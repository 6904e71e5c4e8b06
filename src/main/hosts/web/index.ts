/** `npm run web -- [--port N] [--db PATH]`: the app in a browser, served on 127.0.0.1 only. */
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { openDb } from '../../db/open'
import { createServices } from '../../services'
import { projectRoot, resolveDbPath, resourcesDir, version } from '../paths'
import { createWebServer, newToken } from './server'
import { backupAsDownload } from './downloads'
import { TempFiles } from './tempFiles'

function main(): void {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      db: { type: 'string' },
      static: { type: 'string', default: path.join(projectRoot, 'out', 'web') },
    },
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`)
  if (!fs.existsSync(path.join(values.static, 'index.html'))) {
    throw new Error(`${values.static} has no built renderer: run npm run build:web first`)
  }
  const db = openDb(resolveDbPath(values.db))
  const temp = new TempFiles()
  const { handlers, jobs } = createServices({
    db,
    host: 'web',
    version: version(),
    resourcesDir,
    resolveUpload: (id) => temp.upload(id),
    saveBackup: backupAsDownload(db, temp),
  })
  const token = newToken()
  const server = createWebServer({ handlers, jobs, staticDir: values.static, token, temp })
  server.listen(port, '127.0.0.1', () => {
    const address = server.address()
    if (address && typeof address === 'object') console.log(`Listening on http://127.0.0.1:${address.port}/?token=${token}`)
  })
  const stop = (): void => {
    server.close()
    jobs.cancelAll()
    void jobs.idle().then(() => {
      db.close()
      temp.dispose()
      process.exit(0)
    })
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

try {
  main()
} catch (error) {
  console.error((error as Error).message)
  process.exit(1)
}
