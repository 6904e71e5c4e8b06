/**
 * Vitest global set-up: builds the worker threads and the CLI to plain JavaScript once per run, as
 * the app's own build lays them out (entries side by side, the migrations beside them), so the
 * hundreds of workers and CLI processes the tests start do not each compile TypeScript through
 * tsx (a worker starts in about a third of the CPU time). Tests find them through
 * `PARTNER_DASHBOARD_BUILT` (see `src/main/workers.ts` and `hosts/cli/cliProcess.ts`). It also makes
 * the empty book once, which `tempDb` copies (`PARTNER_DASHBOARD_EMPTY_BOOK`), and points the
 * tests' temp folder at memory where Linux has it.
 */
import fs from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'
import { WORKER_SOURCES } from '../workers'
import { openDb } from '../db/open'
import { privateTempFolder, sweepDeadFolders } from '../tempFolders'

const root = path.resolve(__dirname, '../../..')

/** Linux's memory-backed folder: scratch books there never wait for the disk to sync (a test asserts nothing about that). */
const MEMORY_DISK = '/dev/shm'
const SCRATCH_PREFIX = 'partner-dashboard-tests-'

/** The tests' temp folder for this run (`TMPDIR`, which `os.tmpdir()` reads): in memory where there is one. */
function scratchRoot(): string | null {
  try {
    fs.accessSync(MEMORY_DISK, fs.constants.W_OK)
  } catch {
    return null
  }
  sweepDeadFolders(SCRATCH_PREFIX, MEMORY_DISK) // runs that were killed
  const dir = privateTempFolder(SCRATCH_PREFIX, MEMORY_DISK)
  fs.chmodSync(dir, 0o1777) // as /tmp: the tests that run as another user reach their own folders
  return dir
}

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
  const scratch = scratchRoot()
  if (scratch) process.env.TMPDIR = scratch
  return () => {
    fs.rmSync(out, { recursive: true, force: true })
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true })
  }
}
