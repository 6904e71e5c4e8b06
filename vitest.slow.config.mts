import { defineConfig } from 'vitest/config'
import { alias, SLOW_TESTS } from './vitest.config.mts'

/** `npm run test:slow`: the kill and crash tests, apart from the unit suite (`npm test` runs both). */
export default defineConfig({
  resolve: { alias },
  test: { include: [SLOW_TESTS], testTimeout: 180_000, pool: 'forks', globalSetup: ['src/main/testing/buildForTests.ts'] },
})
