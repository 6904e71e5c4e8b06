import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { TodayPage } from '../src/shared/detection'
import { formatInr } from '../src/shared/format'
import { describeOnFixtures, fixtureFiles } from '../src/main/testing/support'
import { CHROMIUM, launchChromium, pageApi, startWebHost, type WebHost } from './support'

const haveChromium = fs.existsSync(CHROMIUM)
if (!haveChromium) console.warn(`skipping browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium)`)
const describeInChromium = haveChromium ? describeOnFixtures : describe.skip

/** The first number in a text as shown (`374 clients to call`). */
const number = (text: string): number => Number(/-?[\d,]+/.exec(text)?.[0].replaceAll(',', '') ?? NaN)

describeInChromium('Today in Chromium on the real sample exports', () => {
  let host: WebHost
  let browser: Browser
  let page: Page
  let base: string

  const api = <T>(channel: string, request: object = {}): Promise<T> => pageApi(page, () => host.token)<T>(channel, request)

  const rows = () => page.getByTestId('today-row')
  const queueSize = async (): Promise<number> => number(await page.getByTestId('queue-size').innerText())
  const selectedUser = () => page.locator('[data-testid=today-row][aria-selected=true]').getAttribute('data-user')

  beforeAll(async () => {
    host = await startWebHost()
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-IN' })
    page.on('pageerror', (error) => console.error('page error:', error.message))
    base = host.url.replace(/\?.*$/, '')
  })
  afterAll(async () => {
    await browser?.close()
    await host?.stop()
  })

  it('opens Today once the real exports are imported', async () => {
    await page.goto(host.url)
    await page.getByTestId('empty-state').waitFor()
    const chooser = page.waitForEvent('filechooser')
    await page.getByRole('button', { name: 'Open export…' }).click()
    await (await chooser).setFiles(fixtureFiles())
    await page.getByRole('button', { name: 'Done' }).click({ timeout: 90_000 })
    await rows().first().waitFor({ timeout: 60_000 })
    expect(page.url()).toMatch(/#\/today$/)
    const queue = await api<TodayPage>('today:list', { limit: 1 })
    expect(await queueSize()).toBe(queue.total)
    expect(number(await page.getByTestId('today-badge').innerText())).toBe(queue.total)
    // The first group's heading, with its count, above the first row.
    const [group, count] = (await page.getByTestId('today-group').first().innerText()).split('\n')
    expect(group).toMatch(/Overdue|Due today|One failure from cancellation|Everyone else/i)
    expect(number(count)).toBe(queue.groups[queue.rows[0].group])
  })

  it('shows ten rows or more at 1366×768, and nothing is wider than its box', async () => {
    const box = (await page.getByTestId('today-rows').boundingBox())!
    let visible = 0
    for (const row of await rows().all()) {
      const r = await row.boundingBox()
      if (r && r.y >= box.y && r.y + r.height <= box.y + box.height + 1) visible++
    }
    const boxes = [page.locator('html'), page.getByTestId('today'), page.getByTestId('today-rows'), ...(await rows().all())]
    const overflowing: string[] = []
    for (const [i, element] of boxes.entries()) {
      if (await element.evaluate((el) => el.scrollWidth > el.clientWidth))
        overflowing.push(i < 3 ? ['html', 'today', 'today-rows'][i] : `row ${i - 3}`)
    }
    expect(visible).toBeGreaterThanOrEqual(10)
    expect(overflowing).toEqual([])
  })

  it('logs a call on the first row, which leaves the queue, selects the next, and shows on the client page', async () => {
    const before = await queueSize()
    const first = await rows().nth(0).getAttribute('data-user')
    const second = await rows().nth(1).getAttribute('data-user')
    await rows().nth(0).getByRole('button', { name: 'Log call' }).click()
    const form = page.getByTestId('log-call-form')
    await form.getByText('Reached').click()
    await form.getByLabel('Note').fill('Spoke to him; he will top up the bank account by Friday')
    await form.getByRole('button', { name: 'Next week' }).click()
    await page.keyboard.press('Enter') // the quick pick hands the focus back to the note: Enter saves
    await page.getByText(/^Call logged: /).waitFor()
    await form.waitFor({ state: 'detached' })
    await expect.poll(queueSize).toBe(before - 1)
    await expect.poll(() => page.locator(`[data-testid=today-row][data-user="${first}"]`).count()).toBe(0)
    await expect.poll(selectedUser).toBe(second)
    expect(await page.getByTestId('calls-today').innerText()).toBe('1 call logged today')

    await page.goto(`${base}#/clients/${encodeURIComponent(first!)}`)
    const entry = page.getByTestId('call-entry').first()
    await entry.waitFor()
    const text = await entry.innerText()
    expect(text).toContain('Reached')
    expect(text).toContain('Spoke to him; he will top up the bank account by Friday')
    expect(text).toMatch(/next \d{1,2} [A-Z][a-z]{2} \d{4}/)
  })

  it('asks before dropping a typed note, from the keyboard', async () => {
    await page
      .getByRole('button', { name: 'Today' })
      .or(page.getByText('Today', { exact: true }))
      .first()
      .click()
    await rows().first().waitFor()
    const selected = await selectedUser()
    await page.keyboard.press('j')
    await expect.poll(selectedUser).not.toBe(selected)
    await page.keyboard.press('l')
    const form = page.getByTestId('log-call-form')
    await form.waitFor()
    await page.keyboard.press('2') // no answer, and on to the note
    await page.keyboard.type('Rang twice')
    await page.keyboard.press('Escape')
    await page.getByTestId('discard-note').waitFor()
    await page.getByRole('button', { name: 'Keep editing' }).click()
    expect(await form.getByLabel('Note').inputValue()).toBe('Rang twice')
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'Discard note' }).click()
    await form.waitFor({ state: 'detached' })
    expect(await page.getByTestId('calls-today').innerText()).toBe('1 call logged today')
  })

  it('asks before leaving the screen with a typed note (Back), and leaves only when told', async () => {
    await page.goto(`${base}#/dashboard`)
    await page.getByTestId('count-failed_sips').waitFor()
    await page.locator('nav').getByText('Today', { exact: true }).click()
    await rows().first().waitFor()
    await rows().first().getByRole('button', { name: 'Log call' }).click()
    const form = page.getByTestId('log-call-form')
    await form.getByLabel('Note').fill('Asked for a call after 6 pm')
    await page.evaluate('history.back()')
    await page.getByTestId('discard-note').waitFor()
    await expect.poll(() => page.url()).toMatch(/#\/today$/) // the address stays with the screen meanwhile
    await page.getByRole('button', { name: 'Keep editing' }).click()
    expect(await form.getByLabel('Note').inputValue()).toBe('Asked for a call after 6 pm')
    await page.evaluate('history.back()')
    await page.getByRole('button', { name: 'Discard note and leave' }).click()
    await form.waitFor({ state: 'detached' })
    await page.getByTestId('count-failed_sips').waitFor()
    expect(page.url()).toMatch(/#\/dashboard$/)
    await page.locator('nav').getByText('Today', { exact: true }).click() // where the next test starts
    await rows().first().waitFor()
  })

  it('asks for the advisor’s name first, then fills a message about a SIP failing now, and warns the book is old', async () => {
    const queue = await api<TodayPage>('today:list', { limit: 50 })
    const row = queue.rows.find((r) => r.opportunities.some((o) => o.type === 'failed_sips' && o.annual_value > 0))!
    const failed = row.opportunities.find((o) => o.type === 'failed_sips')!
    const shown = page.locator(`[data-testid=today-row][data-user="${row.user_id}"]`)
    await shown.getByRole('button', { name: 'Message' }).click()
    const form = page.getByTestId('message-form')
    await form.waitFor()
    // No advisor name yet: asked for here, and no text is offered until it is given (never "your advisor").
    const prompt = form.getByTestId('advisor-prompt')
    await prompt.waitFor()
    expect(await form.getByTestId('message-text').inputValue()).toBe('')
    await prompt.getByLabel('Your name').fill('Anita Desai')
    await prompt.getByLabel('ARN').fill('112233')
    await prompt.getByRole('button', { name: 'Save' }).click()
    await prompt.waitFor({ state: 'detached' })
    if (row.opportunities.length > 1) await form.getByText('Failed SIPs', { exact: true }).click()
    const message = form.getByTestId('message-text')
    await expect.poll(() => message.inputValue()).toContain('Anita Desai')
    expect(await message.inputValue()).toContain(row.client_name ?? 'Hello there')
    // Only the SIPs failing now: a year of them is the opportunity's ₹ a year at stake.
    expect(await message.inputValue()).toContain(`${formatInr(failed.annual_value / 12)} a month`)
    // The real exports are from January: the dialog says how old the book is before anything is sent.
    expect(await form.getByTestId('message-stale').innerText()).toMatch(/This book is \d+ days old/)
    // The real exports carry no contact details: WhatsApp and email say why they cannot be used.
    expect(await form.getByRole('button', { name: 'WhatsApp' }).isDisabled()).toBe(true)
    expect(await form.innerText()).toContain('no phone number')
  })
})
