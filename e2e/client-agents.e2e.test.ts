import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openDb } from '../src/main/db/open'
import { importFiles } from '../src/main/services/imports'
import { twoYearSip } from '../src/main/testing/rawSip'
import { CHROMIUM, openApp, type App } from './support'

const haveChromium = fs.existsSync(CHROMIUM)
if (!haveChromium) console.warn(`skipping browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium)`)

const sip = (id: string, user: string, agent: string, amount: number) => twoYearSip(id, user, agent, amount, { scheme_name: `Fund ${id}` })

/** SPEC §3.1: Meera has SIPs under two agents, so she is two clients; Ravi is one. */
describe.skipIf(!haveChromium)('a client per agent in Chromium (issue #22)', () => {
  let dir: string
  let app: App
  let page: Page
  let base: string

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-e2e-agents-'))
    const dbPath = path.join(dir, 'book.sqlite')
    const book = path.join(dir, 'book.json')
    fs.writeFileSync(
      book,
      JSON.stringify([
        sip('101', 'meera', 'ag_A', 1000),
        sip('201', 'meera', 'ag_B', 4000),
        sip('301', 'ravi', 'ag_A', 2000),
        // Kiran's first SIP debits ₹1,000 twice a month (SPEC §2.3): ₹2,000 a month.
        twoYearSip('401', 'kiran', 'ag_A', 1000, { sip_days: '5,20' }),
        sip('402', 'kiran', 'ag_A', 3000),
      ]),
    )
    const clients = path.join(dir, 'clients.json')
    fs.writeFileSync(clients, JSON.stringify([{ user_id: 'meera', name: 'Meera Iyer', agent_external_id: 'ag_A', agent_name: 'Asha Rao' }]))
    openDb(dbPath).close()
    await importFiles(dbPath, [
      { path: book, name: 'book.json' },
      { path: clients, name: 'clients.json' },
    ])
    app = await openApp({ dbPath })
    page = app.page
    base = app.host.url.replace(/\?.*$/, '')
  })
  afterAll(async () => {
    await app?.close()
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  const sipIds = async (): Promise<string[]> => {
    const rows = page.getByTestId('sip-table').locator('tbody tr')
    await rows.first().waitFor()
    return rows.evaluateAll((rows) => rows.map((r) => r.querySelector('td')?.textContent ?? ''))
  }

  it('asks which client an old address means when the user_id has two agents, and opens the one picked', async () => {
    await page.goto(`${base}#/clients/meera`)
    await page.getByText('Which client meera?').waitFor()
    const choices = page.getByTestId('client-agents').getByRole('link')
    expect(await choices.allInnerTexts()).toEqual(['Asha Rao (ag_A) · 1 SIP', 'ag_B · 1 SIP'])
    await choices.nth(1).click()
    await page.getByTestId('client-agent').getByText('Agent: ag_B').waitFor()
    expect(page.url()).toMatch(/#\/clients\/meera\?agent=ag_B$/)
    expect(await sipIds()).toEqual(['201'])
    await page.getByText('Also a client under:').waitFor()
  })

  it('opens the one client of a single-agent user_id from an old address', async () => {
    await page.goto(`${base}#/clients/ravi`)
    await page.getByTestId('client-agent').getByText('Agent: Asha Rao').waitFor()
    expect(page.url()).toMatch(/#\/clients\/ravi\?agent=ag_A$/)
    expect(await sipIds()).toEqual(['301'])
  })

  it("adds up a client's monthly SIP from every debit of the month, as its SIP table and report do", async () => {
    await page.goto(`${base}#/clients/kiran`)
    await page.getByTestId('client-agent').getByText('Agent: Asha Rao').waitFor()
    const card = page.locator('.mantine-Card-root', { hasText: 'Monthly SIP' })
    expect(await card.innerText()).toMatch(/Monthly SIP\s+₹5,000$/i)
    await page.getByRole('button', { name: 'Print report' }).click()
    await page.getByTestId('report-sips').waitFor()
    expect(await page.getByText('Monthly SIP', { exact: true }).locator('..').innerText()).toMatch(/₹5,000$/)
  })

  it('lists each (client, agent) in search with its agent, and the report shows that agent only', async () => {
    await page.goto(`${base}#/dashboard`)
    await page.getByRole('combobox', { name: 'Search clients' }).fill('meera')
    const options = page.getByRole('option')
    await options.nth(1).waitFor()
    expect(await options.allInnerTexts()).toEqual(['Meera Iyer · Asha Rao · 1 SIP', 'Meera Iyer · ag_B · 1 SIP'])
    await options.nth(0).click()
    await page.getByTestId('client-agent').getByText('Agent: Asha Rao').waitFor()
    expect(await sipIds()).toEqual(['101'])
    await page.getByRole('button', { name: 'Print report' }).click()
    const report = page.getByTestId('report-sips')
    await report.waitFor()
    expect(await report.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.querySelector('td')?.textContent))).toEqual(['101'])
    expect(page.url()).toMatch(/#\/clients\/meera\/report\?agent=ag_A$/)
  })
})

/** SPEC §5 (rev 3), "Empty and counted": before any import every screen offers a way to open one. */
describe.skipIf(!haveChromium)('an empty book in Chromium (issue #22)', () => {
  let app: App

  beforeAll(async () => {
    app = await openApp()
  })
  afterAll(async () => {
    await app?.close()
  })

  it.each(['opportunities', 'agents'])('offers Open export and Try sample data on %s, not "no match"', async (screen) => {
    const { page } = app
    await page.goto(`${app.host.url.replace(/\?.*$/, '')}#/${screen}`)
    const empty = page.locator('[data-testid="empty-state"]:visible')
    await empty.waitFor()
    await empty.getByRole('button', { name: /Try sample data/ }).waitFor()
    expect(await page.getByText(/No opportunities match|No agent matches/).count()).toBe(0)
  })
})
