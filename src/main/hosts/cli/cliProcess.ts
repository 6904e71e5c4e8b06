import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { projectRoot } from '../paths'

/** The CLI from source, as `npm run cli -- …` runs it: tsx's entry and ours, for tests that spawn it. */
export const TSX = path.join(projectRoot, 'node_modules/tsx/dist/cli.mjs')
export const CLI_ENTRY = path.join(projectRoot, 'src/main/hosts/cli/index.ts')

/** Runs the CLI as a user would, with no database named in the environment and no terminal on stdin. */
export const runCli = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
  const result = spawnSync(process.execPath, [TSX, CLI_ENTRY, ...args], {
    cwd: projectRoot,
    encoding: 'utf8',
    env: { ...process.env, PARTNER_DASHBOARD_DB: '' },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}
