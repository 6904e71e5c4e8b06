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
    globalSetup: ['src/main/testing/buildForTests.ts'],
  },
})
