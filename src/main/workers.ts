import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Worker } from 'node:worker_threads'

/** Worker entry modules, by the name electron-vite builds them under, and their source beside this file. */
export const WORKER_SOURCES = {
  parseWorker: 'import/parseWorker.ts',
  importWorker: 'services/importWorker.ts',
  restoreWorker: 'services/restoreWorker.ts',
  undoWorker: 'services/undoWorker.ts',
  bookWorker: 'hosts/bookWorker.ts',
} as const

export type WorkerName = keyof typeof WORKER_SOURCES

/**
 * Starts a worker thread: the built `<name>.js` beside the main bundle in the app (or the tests'
 * build), or the TypeScript source through tsx's require hook when running from source (CLI, web host).
 */
export function startWorker(name: WorkerName, workerData: unknown): Worker {
  // A small young generation: workers churn through short-lived records, and V8 would otherwise
  // size it for this machine's memory and hold on to it (the import's peak memory counts all threads).
  const options = { workerData, resourceLimits: { maxYoungGenerationSizeMb: 16 } }
  const built = [
    // The tests' own build of the workers (src/main/testing/buildForTests.ts).
    ...(process.env.PARTNER_DASHBOARD_BUILT ? [path.join(process.env.PARTNER_DASHBOARD_BUILT, `${name}.js`)] : []),
    path.join(__dirname, `${name}.js`),
    path.join(__dirname, '..', `${name}.js`),
  ].find((file) => fs.existsSync(file))
  if (built) return new Worker(built, options)
  const source = path.join(__dirname, WORKER_SOURCES[name])
  const tsx = createRequire(__filename).resolve('tsx/cjs')
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)})`, { ...options, eval: true })
}
