import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import { rendererConfig } from './vite.renderer.config'

export default defineConfig({
  ...rendererConfig,
  base: './',
  build: { ...rendererConfig.build, outDir: resolve(__dirname, 'out/web'), emptyOutDir: true },
})
