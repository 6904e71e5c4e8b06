/**
 * Vitest global set-up: builds the worker threads and the CLI to plain JavaScript once per run, as
 * the app's own build lays them out (entries side by side, the migrations beside them), so the
 * hundreds of workers and CLI processes the tests start do not each compile TypeScript through
 * tsx (a worker starts in about a third of the CPU time). Tests find them through
 * `PARTNER_DASHBOARD_BUILT` (see `src/main/workers.ts` and `hosts/cli/cliProcess.ts`). It also makes
 * the empty book once, which `tempDb` copies (`PARTNER_DASHBOARD_EMPTY_BOOK`).
 */
import fs from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'
import { WORKER_SOURCES } from '../workers'
import { openDb } from '../db/open'

const root = path.resolve(__dirname, '../../..')

/** Every worker the app starts (one list, in `workers.ts`), and the CLI. */
const ENTRIES = {
  ...Object.fromEntries(Object.entries(WORKER_SOURCES).map(([name, file]) => [name, `src/main/${file}`])),
  cli: 'src/main/hosts/cli/index.ts',
}

export default async function setup(): Promise<() => void> {
  // Inside the repository, so code that looks for package.json upwards finds it; one folder per run.
  const out = path.join(root, 'out', `test-build-${process.pid}`)
  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(root, file)])),
    outdir: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    logLevel: 'warning',
  })
  fs.cpSync(path.join(root, 'src/main/db/migrations'), path.join(out, 'migrations'), { recursive: true })
  process.env.PARTNER_DASHBOARD_BUILT = out
  // The empty book the migrations make, which `tempDb` copies: migrating a new file waits on the disk (~50 ms).
  const empty = path.join(out, 'empty.sqlite')
  openDb(empty).close()
  process.env.PARTNER_DASHBOARD_EMPTY_BOOK = empty
  return () => fs.rmSync(out, { recursive: true, force: true })
}
