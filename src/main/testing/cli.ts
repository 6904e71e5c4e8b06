import path from 'node:path'
import { projectRoot } from '../hosts/paths'

/**
 * Node's arguments for the CLI in one process: the tests' build of it (`buildForTests.ts`), else
 * tsx's loader and our entry. (tsx's own `cli.mjs` runs the script in a child process, so a signal
 * sent to what a test spawned would not reach it.)
 */
export const CLI_FROM_SOURCE = process.env.PARTNER_DASHBOARD_BUILT
  ? [path.join(process.env.PARTNER_DASHBOARD_BUILT, 'cli.js')]
  : ['--import', 'tsx', path.join(projectRoot, 'src/main/hosts/cli/index.ts')]
