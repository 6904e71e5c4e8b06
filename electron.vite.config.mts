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
    build: { rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/main/index.ts') } } },
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
