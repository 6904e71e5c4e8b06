import { cpSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { rendererConfig } from './vite.renderer.config'

/** The committed drizzle-kit migrations travel beside the built main process. */
const copyMigrations = {
  name: 'copy-migrations',
  writeBundle(): void {
    cpSync(resolve(__dirname, 'src/main/db/migrations'), resolve(__dirname, 'out/main/migrations'), { recursive: true })
  },
}

export default defineConfig({
  main: {
    plugins: [copyMigrations],
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src/main/index.ts') } } },
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
    ...rendererConfig,
    build: { ...rendererConfig.build, rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } },
  },
})
