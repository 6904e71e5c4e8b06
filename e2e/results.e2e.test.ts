import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { ChangeSet, OpportunityChange } from '../src/shared/changes'
import { formatInr } from '../src/shared/format'
import { mondayOf } from '../src/shared/results'
import { CHROMIUM, importThroughTheScreen, openApp, pageApi, twoMonthsWithCredits, type App, type WebHost } from './support'

/**
 * SPEC §5a in Chromium: log calls, import the next month, and Results shows this week's calls and the
 * ₹ a year won that What changed credits; a point of the book's charts opens that import; it prints on one page.
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('results in Chromium', () => {
  let dir: string
  let month1: string
  let month2: string
  /** Clients whose opportunities month 2 credits once they are contacted. */
  let creditable: OpportunityChange[]
  let host: WebHost
  let app: App
  let page: Page

  const api = <T>(channel: string, request: object = {}): Promise<T> => pageApi(page, () => host.token)<T>(channel, request)
  const importAndClose = async (file: string): Promise<void> => {
    await importThroughTheScreen(page, file)
    await page.getByRole('button', { name: 'Done' }).click()
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-e2e-results-'))
    ;({ month1, month2, credited: creditable } = await twoMonthsWithCredits(dir, 500))
    expect(creditable.length).toBeGreaterThan(0)

    app = await openApp()
    ;({ host, page } = app)
  })
  afterAll(async () => {
    await app?.close()
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  it("shows the week's calls and the ₹ won What changed credits, each import's book, and prints on one A4 page", async () => {
    const base = host.url.replace(/\?.*$/, '')
    await page.getByRole('button', { name: 'Try sample data' }).waitFor()
    await importAndClose(month1)
    await page.locator('nav').getByText('Results', { exact: true }).click()
    // Nothing called yet: the screen says what to do.
    await page.getByTestId('results-no-calls').getByText('Log each call from Today').waitFor()

    // The advisor reaches the clients (one no answer among them, which never earns a credit).
    const clients = [...new Map(creditable.map((o) => [`${o.user_id}|${o.agent_external_id}`, o])).values()]
    for (const c of clients) await api('calls:log', { user_id: c.user_id, agent_external_id: c.agent_external_id, outcome: 'reached' })
    await api('calls:log', { user_id: clients[0].user_id, agent_external_id: clients[0].agent_external_id, outcome: 'no_answer' })

    await importAndClose(month2)
    const changes = await api<ChangeSet>('changes:get', {})
    expect(changes.totals.won_annual).toBeGreaterThan(0)
    await page.goto(`${base}#/results`)
    const local = new Date()
    const thisWeek = mondayOf(
      `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')}`,
    )
    const week = page.getByTestId(`week-${thisWeek}`)
    await expect.poll(() => week.locator('[data-testid="week-won"]').textContent()).toBe(formatInr(changes.totals.won_annual))
    const cells = (await week.locator('td').allTextContents()).slice(1)
    expect(cells.slice(0, 6)).toEqual(['' + clients.length, '1', '0', '0', '0', '' + clients.length])
    expect(cells[7]).toBe(String(changes.totals.credited))
    await expect.poll(() => page.getByTestId('book-live_sips').textContent()).not.toBe('')

    // A point of the book's charts opens that import's What changed: the right end is the latest import.
    // Clicked again until it opens: the chart may still be settling into its box (its size, its animation).
    const chart = page.getByRole('img', { name: /Live SIPs across imports/ })
    await expect
      .poll(async () => {
        const hash = new URL(page.url()).hash
        if (hash !== '#/results') return hash
        const box = (await chart.boundingBox())!
        await page.mouse.click(box.x + box.width * 0.9, box.y + box.height / 2)
        return new URL(page.url()).hash
      })
      .toBe(`#/changes/${changes.import_id}`)

    await page.goBack()
    await page.getByTestId('results-summary').waitFor()
    const pdf = await page.pdf({ format: 'A4' })
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)).toHaveLength(1)
  })
})
