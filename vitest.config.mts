import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { configDefaults, defineConfig } from 'vitest/config'

/** The tests that kill or crash a process part-way, each after writing a big book: `npm run test:slow`. */
export const SLOW_TESTS = 'src/**/*.slow.test.ts'

export const alias = { '@shared': resolve(import.meta.dirname, 'src/shared') }

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
    exclude: [...configDefaults.exclude, SLOW_TESTS],
    testTimeout: 30_000,
    pool: 'forks',
    // One process runs the files one after another, loading the modules once instead of per file
    // (about a second a file on 2 cores). A file that changes the process (TZ, timers) puts it back.
    isolate: false,
    restoreMocks: true, // a spy on `console` ends with its test, failed or not
    // Vitest's default leaves one core to itself; these tests wait on child processes, worker threads
    // and the disk often enough that a second file at a time keeps a 2-core machine busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['src/main/testing/buildForTests.ts'],
  },
})
