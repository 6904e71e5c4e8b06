import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { writeExport } from '../src/main/generator/write'
import { CHROMIUM, launchChromium, startWebHost, type WebHost } from './support'

const haveChromium = fs.existsSync(CHROMIUM)
if (!haveChromium) console.warn(`skipping browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium)`)

describe.skipIf(!haveChromium)('the app in Chromium against the web host', () => {
  let host: WebHost
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    host = await startWebHost()
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1360, height: 880 } })
    page.on('pageerror', (error) => console.error('page error:', error.message))
  })
  afterAll(async () => {
    await browser?.close()
    await host?.stop()
  })

  it('imports a generated export through the file chooser and shows its report', async () => {
    const book = `${host.dir}/book-upload.json`
    await writeExport(book, { sips: 1500, seed: 21, quirks: 0.02 })
    await page.goto(host.url)
    await page.getByTestId('empty-state').waitFor()

    const chooser = page.waitForEvent('filechooser')
    await page.getByRole('button', { name: 'Open export…' }).click()
    await (await chooser).setFiles(book)

    const report = page.getByTestId('import-report')
    await report.waitFor({ timeout: 60_000 })
    const shown = async (key: string): Promise<number> => Number((await report.getByTestId(`count-${key}`).innerText()).replaceAll(',', ''))
    const read = await shown('read')
    const inserted = await shown('inserted')
    const rejected = await shown('rejected')
    const warnings = await shown('warnings')
    expect(read).toBe(1500)
    expect(rejected).toBeGreaterThan(0)
    expect(warnings).toBeGreaterThan(0)
    expect(inserted + rejected).toBe(1500)
    expect(await page.getByTestId('issues-table').getByRole('row').count()).toBeGreaterThan(1)

    await page.getByRole('button', { name: 'Done' }).click()
    await page.getByText('Dashboard', { exact: true }).click() // a loaded book opens on Today
    await page.getByTestId('book-sips').waitFor()
    const info = await page.evaluate(
      async (token) =>
        (await (await fetch('api/app:info', { method: 'POST', body: '{}', headers: { Authorization: `Bearer ${token}` } })).json()) as {
          data: { sip_count: number }
        },
      host.token,
    )
    expect(info.data.sip_count).toBe(inserted)
    // The dashboard counts live SIPs: the generator marks about 1% deleted.
    const live = Number((await page.getByTestId('book-sips').innerText()).replaceAll(',', ''))
    expect(live).toBeLessThanOrEqual(inserted)
    expect(live).toBeGreaterThan(inserted * 0.95)
  })

  it('shows where a broken file broke, and imports nothing from it', async () => {
    const broken = `${host.dir}/broken.json`
    fs.writeFileSync(broken, '[{"sip_meta_id":"1","user_id":"u","amount":"5"},\n{"sip_meta_id":"2",')
    const before = await page.getByTestId('book-sips').innerText()
    const chooser = page.waitForEvent('filechooser')
    await page.getByRole('button', { name: 'Open export' }).click()
    await (await chooser).setFiles(broken)
    const message = await page.getByTestId('import-error').innerText({ timeout: 30_000 })
    expect(message).toMatch(/broken\.json: the file ends unexpectedly.*line 2, byte \d+/)
    await page.getByRole('button', { name: 'Done' }).click()
    expect(await page.getByTestId('book-sips').innerText()).toBe(before)
  })

  it('lists the imports with their reports', async () => {
    await page
      .getByRole('link', { name: 'Imports' })
      .or(page.getByText('Imports', { exact: true }))
      .first()
      .click()
    const table = page.getByTestId('imports-table')
    await table.waitFor()
    expect(await table.getByRole('row').count()).toBe(2)
    expect(await table.innerText()).toMatch(/book-upload\.json/)
  })
})
