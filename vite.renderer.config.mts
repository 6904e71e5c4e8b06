import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import type { UserConfig } from 'vite'

/** The renderer's build, shared by electron-vite (desktop) and `vite.web.config.mts` (web host). */
export const rendererConfig = (root: string): UserConfig => ({
  root: resolve(root, 'src/renderer'),
  plugins: [react()],
  resolve: {
    alias: {
      '@shared': resolve(root, 'src/shared'),
      // The Node build of csv-stringify uses Buffer; its browser build carries its own.
      'csv-stringify/sync': 'csv-stringify/browser/esm/sync',
    },
  },
  build: { chunkSizeWarningLimit: 2000 },
})
