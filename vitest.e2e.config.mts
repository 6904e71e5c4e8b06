import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
    // The screens recalculate in a worker and poll every 0.7 s: a changed figure can take a few seconds to show.
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
})
