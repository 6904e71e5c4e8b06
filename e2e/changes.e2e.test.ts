import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { OpportunityChange } from '../src/shared/changes'
import type { ClientDetail } from '../src/shared/detection'
import { CHROMIUM, importThroughTheScreen, openApp, pageApi, twoMonthsWithCredits, type App, type WebHost } from './support'

/**
 * SPEC §7 in Chromium: import month 1, mark a call, import month 2, see the call credited under
 * What changed, undo month 2 and find month 1 again with the follow-up kept.
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('what changed and undo in Chromium', () => {
  let dir: string
  let month1: string
  let month2: string
  /** An opportunity month 2 resolves in a way that earns a credit when its follow-up is contacted. */
  let creditable: OpportunityChange
  let host: WebHost
  let app: App
  let page: Page

  const api = <T>(channel: string, request: object = {}): Promise<T> => pageApi(page, () => host.token)<T>(channel, request)

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-e2e-changes-'))
    const months = await twoMonthsWithCredits(dir, 500)
    ;({ month1, month2 } = months)
    creditable = months.credited[0]
    expect(creditable).toBeDefined()

    app = await openApp()
    ;({ host, page } = app)
  })
  afterAll(async () => {
    await app?.close()
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('credits a call with the next export, shows it under What changed, and undoes the export keeping the call', async () => {
    await page.getByRole('button', { name: 'Try sample data' }).waitFor()
    await importThroughTheScreen(page, month1)
    await page.getByTestId('import-changes').getByText('What this first import brought').waitFor()
    await page.getByRole('button', { name: 'Done' }).click()

    // The advisor calls the client and marks the opportunity contacted on the client page.
    const base = host.url.replace(/\?.*$/, '')
    await page.goto(`${base}#/clients/${encodeURIComponent(creditable.user_id)}`)
    const card = page.getByTestId(`opportunity-${creditable.type}`)
    await card.getByLabel(/Follow-up state of/).selectOption('contacted')
    await expect.poll(() => card.getByLabel(/Follow-up state of/).inputValue()).toBe('contacted')

    await importThroughTheScreen(page, month2)
    const summary = page.getByTestId('import-changes')
    await summary.getByText(/What changed since the export of 12 Jan 2026/).waitFor()
    expect(await summary.getByTestId('change-totals').innerText()).toMatch(/\b1 follow-up credited · ₹[\d,]+ a year won/)
    await page.getByRole('button', { name: 'Done' }).click()
    await expect.poll(() => page.getByTestId('as-of').innerText()).toMatch(/12 Feb 2026/i)

    await page
      .getByRole('link', { name: 'What changed' })
      .or(page.getByText('What changed', { exact: true }))
      .first()
      .click()
    await page.getByTestId('changes-title').waitFor()
    const credited = page.locator('[data-testid="opportunity-changes"] tr[data-credited="true"]')
    await credited.first().waitFor()
    expect(await credited.count()).toBe(1)
    expect(await credited.innerText()).toMatch(new RegExp(`credited\\s+${creditable.reason}`, 'i'))
    expect(await credited.innerText()).toContain(`Client ${creditable.user_id.slice(0, 8)}`)
    await page.getByTestId('event-filter').click()
    await page.getByRole('option', { name: /^Stepped up/ }).click()
    await expect
      .poll(async () => {
        const rows = await page.getByTestId('sip-events').locator('tbody tr').allInnerTexts()
        return rows.length > 0 && rows.every((row) => /stepped up/i.test(row))
      })
      .toBe(true)
    await page.getByTestId('sip-events').locator('tbody tr').first().click()
    await page.waitForURL(/#\/clients\//)

    await page.getByText('Imports', { exact: true }).click()
    await page.getByRole('button', { name: 'Undo last import' }).click()
    await page.getByTestId('confirm-undo').click()
    await page.getByText(/Import #2 undone/).waitFor()
    await expect.poll(() => page.getByTestId('as-of').innerText()).toMatch(/12 Jan 2026/i)
    await page.locator('[data-testid="import-row"][data-undone="true"]').waitFor()

    const client = await api<ClientDetail>('client:get', { user_id: creditable.user_id })
    const followUp = client.follow_ups.find((f) => f.type === creditable.type)!
    expect(followUp.state).toBe('contacted')
    expect(followUp.events.map((e) => e.to_value)).toEqual(['contacted', 'converted', 'contacted'])
    expect(followUp.events[0].detail).toMatch(/^import #2 \(.+\.json\) was undone$/)
  })
})

/**
 * SPEC §4 "Reopening" and §5 "The day's plan" in Chromium: a client reached after month 1 whose SIP
 * then fails more is back in Today after month 2, with the reopening in its log; a call on it counts
 * in the plan's progress, and voiding that call takes it back out.
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('a called client that gets worse comes back (Chromium)', () => {
  let dir: string
  let months: Awaited<ReturnType<typeof twoMonthsWithCredits>>
  let host: WebHost
  let app: App
  let page: Page

  const api = <T>(channel: string, request: object = {}): Promise<T> => pageApi(page, () => host.token)<T>(channel, request)
  const progress = async (): Promise<[number, number]> => {
    const [done, total] = /^(\d+) of (\d+) done$/
      .exec(await page.getByTestId('plan-progress').innerText())!
      .slice(1)
      .map(Number)
    return [done, total]
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-e2e-reopen-'))
    months = await twoMonthsWithCredits(dir, 500)
    app = await openApp()
    ;({ host, page } = app)
  })
  afterAll(async () => {
    await app?.close()
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('reached after month 1, failing more in month 2: back in Today, “reopened” in its log; a void call leaves the plan’s progress', async () => {
    // A client month 2 reopens by a failure on its own SIPs, once it has been called.
    const worse = months.reopened.find((r) => r.events.some((e) => e.event === 'more_failed' || e.event === 'missed_grew'))!
    expect(worse).toBeDefined()
    const base = host.url.replace(/\?.*$/, '')
    const clientPage = `${base}#/clients/${encodeURIComponent(worse.user_id)}?agent=${encodeURIComponent(worse.agent_external_id ?? '')}`

    await page.getByRole('button', { name: 'Try sample data' }).waitFor()
    await importThroughTheScreen(page, months.month1)
    await page.getByRole('button', { name: 'Done' }).click()

    // Reached, from the client page, with the default next date.
    await page.goto(clientPage)
    await page.getByRole('button', { name: 'Log call' }).click()
    await page.getByTestId('log-call-form').waitFor()
    await page.keyboard.press('1')
    await page.keyboard.type('Will top up the account')
    await page.keyboard.press('Enter')
    await page.getByText(/^Call logged: /).waitFor()
    const contacted = await api<ClientDetail>('client:get', { user_id: worse.user_id, agent_external_id: worse.agent_external_id })
    expect(contacted.follow_ups.find((f) => f.type === worse.type)).toMatchObject({ state: 'contacted' })

    await importThroughTheScreen(page, months.month2)
    await page.getByRole('button', { name: 'Done' }).click()

    // Back in Today: in the day's plan, not done (due again today), and reopened in its log.
    await page.goto(`${base}#/today`)
    await page.getByTestId('plan-progress').waitFor()
    const row = page.locator(`[data-testid=today-row][data-user="${worse.user_id}"]`)
    await page.getByTestId('today-rows').evaluate((el) => (el.scrollTop = el.scrollHeight))
    await row.waitFor()
    expect(await row.getAttribute('data-done')).toBeNull()
    const before = await progress()

    // A call on it counts in the plan; voided, it counts no more.
    await row.getByRole('button', { name: 'Log call' }).click()
    await page.keyboard.press('2')
    await page.keyboard.press('Enter')
    await expect.poll(progress).toEqual([before[0] + 1, before[1]])
    await expect.poll(() => row.getAttribute('data-done')).toBe('true')
    // The row is done at once; the call is saved when its notice says so.
    await page.getByText(/^Call logged: .* — No answer$/).waitFor()

    await page.goto(clientPage)
    const reopened = page.getByTestId(`opportunity-${worse.type}`).getByText(/reopened by import #2 \(.+\): /)
    await reopened.first().waitFor()
    // The page may first show the client as it was last read, before the call, and then as it is now.
    const latest = page.getByTestId('call-entry').first()
    await expect.poll(() => latest.innerText()).toContain('No answer')
    await latest.getByRole('button', { name: 'Undo' }).click()
    await page.getByText('Call voided: its changes were put back').waitFor()
    await expect.poll(() => page.getByTestId('call-entry').first().innerText()).toMatch(/void since/)

    await page.goto(`${base}#/today`)
    await page.getByTestId('plan-progress').waitFor()
    await expect.poll(progress).toEqual(before)
  })
})
