import fs from 'node:fs'
import path from 'node:path'

/** The repository root when running from source (CLI and web host run through tsx). */
export const projectRoot = path.resolve(__dirname, '../../..')

export const resourcesDir = path.join(projectRoot, 'resources')

/** SPEC §6: `--db`, else `PARTNER_DASHBOARD_DB`, else `./partner-dashboard.sqlite`. */
export const resolveDbPath = (flag: string | undefined): string =>
  path.resolve(flag ?? process.env.PARTNER_DASHBOARD_DB ?? 'partner-dashboard.sqlite')

export const version = (): string =>
  (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version
