import { spawn, spawnSync, type ChildProcess, type SpawnOptions, type SpawnSyncOptions } from 'node:child_process'
import { CLI_FROM_SOURCE } from '../../testing/cli'
import { projectRoot } from '../paths'

/** A user's environment: no database named in it. */
const env = { ...process.env, PARTNER_DASHBOARD_DB: '' }

type CliResult = { code: number | null; stdout: string; stderr: string }

/** Runs the CLI with `options` (another user, more environment), waiting for it to end. */
export const runCliWith = (options: Pick<SpawnSyncOptions, 'uid' | 'gid' | 'env'>, ...args: string[]): CliResult => {
  const result = spawnSync(process.execPath, [...CLI_FROM_SOURCE, ...args], {
    cwd: projectRoot,
    encoding: 'utf8',
    ...options,
    env: { ...env, ...options.env },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Runs the CLI as a user would, with no database named in the environment and no terminal on stdin. */
export const runCli = (...args: string[]): CliResult => runCliWith({}, ...args)

/** Starts the CLI without waiting for it, for tests that signal it or read its output as it comes. */
export const spawnCli = (args: string[], options: Pick<SpawnOptions, 'stdio'>): ChildProcess =>
  spawn(process.execPath, [...CLI_FROM_SOURCE, ...args], { cwd: projectRoot, env, ...options })
