import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openDb } from '../src/main/db/open'
import { writeExport } from '../src/main/generator/write'
import { importFiles } from '../src/main/services/imports'
import { CHROMIUM, openApp, type App } from './support'

const haveChromium = fs.existsSync(CHROMIUM)
if (!haveChromium) console.warn(`skipping browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium)`)

describe.skipIf(!haveChromium)('a read-only book in Chromium (issue #14)', () => {
  let dir: string
  let dbPath: string
  let app: App
  let page: Page

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-e2e-readonly-'))
    dbPath = path.join(dir, 'book.sqlite')
    const file = path.join(dir, 'book.json')
    await writeExport(file, { sips: 400, seed: 14 })
    openDb(dbPath).close()
    await importFiles(dbPath, [{ path: file, name: 'book.json' }])
    fs.chmodSync(dbPath, 0o444) // as a book copied from a read-only share or marked read-only
    app = await openApp({ dbPath })
    page = app.page
  })
  afterAll(async () => {
    await app?.close()
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('is browsed with a read-only badge, and a follow-up change says it was not saved', async () => {
    const base = app.host.url.replace(/\?.*$/, '')
    await page.goto(`${base}#/opportunities`)
    await page.getByTestId('read-only').waitFor()
    const first = page.getByTestId('opportunity-row').first()
    await first.waitFor()
    const select = first.getByLabel(/Follow-up state of/)
    await select.selectOption('contacted')
    await page.getByText('Not saved').waitFor()
    await page.getByText(/this book is read-only: it can be browsed, not changed/).waitFor()
    await page.reload()
    await first.waitFor()
    expect(await first.getByLabel(/Follow-up state of/).inputValue()).toBe('open')
    expect(fs.statSync(dbPath).mode & 0o777).toBe(0o444)
  })
})
