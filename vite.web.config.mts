import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import { rendererConfig } from './vite.renderer.config.mts'

const renderer = rendererConfig(import.meta.dirname)

export default defineConfig({
  ...renderer,
  base: './',
  build: { ...renderer.build, outDir: resolve(import.meta.dirname, 'out/web'), emptyOutDir: true },
})
