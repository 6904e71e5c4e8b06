import { cpSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { rendererConfig } from './vite.renderer.config.mts'

/** The committed drizzle-kit migrations travel beside the built main process. */
const copyMigrations = {
  name: 'copy-migrations',
  writeBundle(): void {
    cpSync(resolve(import.meta.dirname, 'src/main/db/migrations'), resolve(import.meta.dirname, 'out/main/migrations'), { recursive: true })
  },
}

const renderer = rendererConfig(import.meta.dirname)

export default defineConfig({
  main: {
    plugins: [copyMigrations],
    build: {
      rollupOptions: {
        // Worker threads are entries of their own, built beside index.js (see src/main/workers.ts).
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          parseWorker: resolve(import.meta.dirname, 'src/main/import/parseWorker.ts'),
          importWorker: resolve(import.meta.dirname, 'src/main/services/importWorker.ts'),
          restoreWorker: resolve(import.meta.dirname, 'src/main/services/restoreWorker.ts'),
        },
        // Shared chunks beside the entries: code finding files by `__dirname` sees out/main wherever it lands.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    ...renderer,
    build: { ...renderer.build, rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } } },
  },
})
