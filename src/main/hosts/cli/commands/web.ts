import path from 'node:path'
import { projectRoot } from '../../paths'
import { startWebHost } from '../../web'
import { defineCommand, wholeNumber } from '../command'

export default defineCommand({
  name: 'web',
  summary: 'Serves the app to a browser on 127.0.0.1 only, behind a per-run token (the address is printed); Ctrl-C stops it.',
  options: {
    port: { type: 'string', value: 'N', check: wholeNumber(0, 65535), help: 'the port (default: 0, any free port)' },
    static: { type: 'string', value: 'DIR', help: 'the built renderer (default: out/web, made by npm run build:web)' },
  },
  run({ values, dbPath }) {
    return startWebHost({
      port: Number(values.port ?? 0),
      staticDir: path.resolve(values.static ?? path.join(projectRoot, 'out', 'web')),
      dbPath,
    })
  },
})
