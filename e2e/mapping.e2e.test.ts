import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { writeExport } from '../src/main/generator/write'
import { importFiles } from '../src/main/services/imports'
import { listToday } from '../src/main/services/today'
import { openDb } from '../src/main/db/open'
import type { TodayPage } from '../src/shared/detection'
import { CHROMIUM, openApp, pageApi, type WebHost } from './support'

/** Columns of the CSV renamed so they no longer name their field (two with a close name, two without). */
const RENAMED: Record<string, string> = {
  'Sip Meta ID': 'SIP Meta Ref',
  'User ID': 'Investor',
  Amount: 'Instalment',
  'Goal Name': 'Goal Title',
}

describe.skipIf(!fs.existsSync(CHROMIUM))('column mapping in Chromium (SPEC §2.5)', () => {
  let dir: string
  let sipsCsv: string
  let clientsCsv: string
  let jsonToday: TodayPage
  let app: Awaited<ReturnType<typeof openApp>>
  let host: WebHost
  let page: Page

  const api = <T>(channel: string, request: object = {}): Promise<T> => pageApi(page, () => host.token)<T>(channel, request)

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-e2e-mapping-'))
    const book = { sips: 300, seed: 4242 }
    // The book as JSON with SQL names, imported here: the Today the CSV must give.
    const sipsJson = path.join(dir, 'sips.json')
    const clientsJson = path.join(dir, 'clients.json')
    await writeExport(sipsJson, { ...book, clientsPath: clientsJson })
    const reference = path.join(dir, 'reference.sqlite')
    openDb(reference).close()
    await importFiles(reference, [
      { path: sipsJson, name: 'sips.json' },
      { path: clientsJson, name: 'clients.json' },
    ])
    const db = openDb(reference)
    jsonToday = listToday(db, { limit: 1000 })
    db.close()
    expect(jsonToday.total).toBeGreaterThan(10)

    // The same book as CSV with Metabase's display names, four of the SIP file's columns renamed.
    sipsCsv = path.join(dir, 'sip-book.csv')
    clientsCsv = path.join(dir, 'client-list.csv')
    await writeExport(sipsCsv, { ...book, format: 'csv', keys: 'display', clientsPath: clientsCsv })
    const text = fs.readFileSync(sipsCsv, 'utf8')
    const at = text.indexOf('\n')
    const header = text
      .slice(0, at)
      .split(',')
      .map((c) => RENAMED[c] ?? c)
    fs.writeFileSync(sipsCsv, header.join(',') + text.slice(at))

    app = await openApp()
    ;({ host, page } = app)
  })
  afterAll(async () => {
    await app?.close()
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('asks for the columns a file does not name, pre-filled with the closest ones, with a preview; fits 1366×768', async () => {
    await page.getByTestId('file-input').setInputFiles([sipsCsv, clientsCsv])
    const dialog = page.getByTestId('mapping-dialog')
    await dialog.waitFor({ timeout: 60_000 })
    await expect.poll(() => dialog.innerText()).toMatch(/sip-book\.csv \(CSV\): its columns do not name sip_meta_id, user_id, amount/)
    expect(await page.getByTestId('map-sip_meta_id').inputValue()).toBe('SIP Meta Ref')
    expect(await page.getByTestId('map-goal_name').inputValue()).toBe('Goal Title')
    expect(await page.getByTestId('map-user_id').inputValue()).toBe('')
    // Beside the fields, the columns nothing reads yet, where the missing ones are.
    expect(await page.getByTestId('mapping-preview').locator('th').allInnerTexts()).toEqual([
      'sip_meta_id',
      'user_id',
      'amount',
      'goal_name',
      '“Investor”',
      '“Instalment”',
    ])
    // Nothing to import until every required field has a column.
    const importButton = page.getByRole('button', { name: 'Import with these columns' })
    expect(await importButton.isDisabled()).toBe(true)
    const fits = await dialog.evaluate((el) => {
      const modal = el.closest('.mantine-Modal-content')!
      const box = modal.getBoundingClientRect()
      const height = el.ownerDocument.defaultView!.innerHeight
      return {
        page: el.ownerDocument.documentElement.scrollHeight <= height,
        modal: box.top >= 0 && box.bottom <= height,
        inner: modal.scrollHeight <= modal.clientHeight,
      }
    })
    expect(fits).toEqual({ page: true, modal: true, inner: true })
  })

  it('imports by the chosen columns to the same Today as the JSON of the same book', async () => {
    const choose = async (field: string, column: string): Promise<void> => {
      await page.getByTestId(`map-${field}`).fill(column)
      await page.getByRole('option', { name: column, exact: true }).click()
    }
    await choose('user_id', 'Investor')
    await choose('amount', 'Instalment')
    const preview = page.getByTestId('mapping-preview')
    expect(await preview.locator('th').allInnerTexts()).toEqual(['sip_meta_id', 'user_id', 'amount', 'goal_name'])
    // Each field shows what it would read from the first record.
    const first = await preview.locator('tbody tr').first().locator('td').allInnerTexts()
    expect(first[1]).toMatch(/^[0-9a-f-]{36}$/)
    expect(first[2]).toMatch(/^[\d,]+$/)
    expect(await preview.locator('tbody tr').count()).toBe(5)
    await page.getByRole('button', { name: 'Import with these columns' }).click()
    await page.getByText('Import finished').waitFor({ timeout: 60_000 })
    const sipReport = page.locator('[data-testid=import-report][data-file="sip-book.csv"]')
    expect(await sipReport.getByTestId('count-rejected').innerText()).toBe('0')
    expect(await sipReport.getByTestId('mapping-line').innerText()).toMatch(/columns mapped as saved on \d{1,2} [A-Z][a-z]{2} \d{4}/)
    await page.getByRole('button', { name: 'Done' }).click()
    expect(await api<TodayPage>('today:list', { limit: 1000 })).toEqual(jsonToday)
  })

  it('reads a file with the same columns by the saved mapping, without asking; Settings lists it and deletes it', async () => {
    await page.getByTestId('file-input').setInputFiles(sipsCsv)
    await page.getByText('Import finished').waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('mapping-dialog').count()).toBe(0)
    expect(await page.getByTestId('mapping-line').innerText()).toMatch(/columns mapped as saved on/)
    expect(await page.getByTestId('count-unchanged').innerText()).toBe('300')
    await page.getByRole('button', { name: 'Done' }).click()

    await page.goto(`${host.url.replace(/\?.*$/, '')}#/settings`)
    const saved = page.getByTestId('saved-mapping')
    await saved.waitFor()
    expect(await saved.innerText()).toMatch(
      /sip_meta_id ← “SIP Meta Ref” · user_id ← “Investor” · amount ← “Instalment” · goal_name ← “Goal Title”/,
    )
    await saved.getByRole('button', { name: 'Delete mapping' }).click()
    await page.getByTestId('mappings-card').getByText('No mapping saved.').waitFor()
    expect(await api<unknown[]>('mappings:list')).toEqual([])
  })
})
