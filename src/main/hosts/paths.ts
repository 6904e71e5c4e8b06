import fs from 'node:fs'
import path from 'node:path'

/** The folder of this package's `package.json`: the repository when running from source, wherever the build is. */
const packageRoot = (dir: string): string =>
  fs.existsSync(path.join(dir, 'package.json')) || path.dirname(dir) === dir ? dir : packageRoot(path.dirname(dir))

export const projectRoot = packageRoot(__dirname)

export const resourcesDir = path.join(projectRoot, 'resources')

/** SPEC §6: `--db`, else `PARTNER_DASHBOARD_DB`, else `./partner-dashboard.sqlite`. */
export const resolveDbPath = (flag: string | undefined): string =>
  path.resolve(flag ?? process.env.PARTNER_DASHBOARD_DB ?? 'partner-dashboard.sqlite')

export const version = (): string =>
  (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version
