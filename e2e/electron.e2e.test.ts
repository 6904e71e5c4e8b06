import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { _electron as electron } from 'playwright-core'
import { createRequire } from 'node:module'
import { generatedExport, scratch } from '../src/main/testing/support'
import { root } from './support'

/** The Electron binary is absent where it cannot be downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD). */
function electronBinary(): string | null {
  try {
    const binary = createRequire(__filename)('electron') as unknown as string
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

const binary = electronBinary()
const built = fs.existsSync(path.join(root, 'out/main/index.js'))
if (!binary)
  console.warn(
    'skipping Electron e2e: no Electron binary installed (run npm install without ELECTRON_SKIP_BINARY_DOWNLOAD, then npm run build)',
  )
else if (!built) console.warn('skipping Electron e2e: run npm run build first')

const launch = (dbPath: string, ...files: string[]) =>
  electron.launch({ executablePath: binary!, args: [root, ...files], env: { ...process.env, PARTNER_DASHBOARD_DB: dbPath } })

describe.skipIf(!binary || !built)('the desktop app', () => {
  it('opens a sandboxed window showing the first-run screen', async () => {
    const tmp = scratch()
    const app = await launch(tmp.file('first.sqlite'))
    try {
      const window = await app.firstWindow()
      await window.getByText('Open your SIP book').waitFor()
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
      expect(await window.evaluate(() => Object.keys((window as unknown as { partnerDashboard: object }).partnerDashboard).sort())).toEqual(
        ['invoke', 'onMenu', 'pathForFile'],
      )
    } finally {
      await app.close()
      tmp.cleanup()
    }
  })

  it('imports the export file it was launched with', async () => {
    const tmp = scratch()
    const file = await generatedExport(tmp.dir, 'book.json', { sips: 50, seed: 5 })
    const app = await launch(tmp.file('launch.sqlite'), file)
    try {
      const window = await app.firstWindow()
      await window.getByText('Import finished').waitFor({ timeout: 30_000 })
      await window.getByText('book.json').first().waitFor()
    } finally {
      await app.close()
      tmp.cleanup()
    }
  })
})
