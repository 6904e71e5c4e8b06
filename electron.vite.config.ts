import { chmodSync, cpSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { rendererConfig } from './vite.renderer.config.mts'

/** The committed drizzle-kit migrations travel beside the built main process; the CLI is made executable. */
const afterBuild = {
  name: 'migrations-and-bin',
  writeBundle(): void {
    cpSync(resolve(__dirname, 'src/main/db/migrations'), resolve(__dirname, 'out/main/migrations'), { recursive: true })
    chmodSync(resolve(__dirname, 'out/main/cli.js'), 0o755)
  },
}

const renderer = rendererConfig(__dirname)

export default defineConfig({
  main: {
    plugins: [afterBuild],
    build: {
      // Bundled (tree-shaken) rather than required whole at run time: the CLI starts in half the time.
      externalizeDeps: { exclude: ['drizzle-orm', 'zod'] },
      rollupOptions: {
        // Worker threads are entries of their own, built beside index.js (see src/main/workers.ts).
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          parseWorker: resolve(__dirname, 'src/main/import/parseWorker.ts'),
          importWorker: resolve(__dirname, 'src/main/services/importWorker.ts'),
          restoreWorker: resolve(__dirname, 'src/main/services/restoreWorker.ts'),
          undoWorker: resolve(__dirname, 'src/main/services/undoWorker.ts'),
          bookWorker: resolve(__dirname, 'src/main/hosts/bookWorker.ts'),
          // The `partner-dashboard` command (package.json `bin`): plain Node, beside the workers and migrations it uses.
          cli: resolve(__dirname, 'src/main/hosts/cli/index.ts'),
        },
        // Shared chunks beside the entries: code finding files by `__dirname` sees out/main wherever it lands.
        output: { chunkFileNames: '[name]-[hash].js', banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : '') },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    ...renderer,
    build: { ...renderer.build, rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } },
  },
})
