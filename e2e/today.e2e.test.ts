import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page, Request } from 'playwright-core'
import { TYPE_LABELS, type CallOutcome, type ScheduledPage, type TodayPage, type TodayPlan } from '../src/shared/detection'
import { addDays, formatCount, formatDate, formatInr, localToday } from '../src/shared/format'
import { describeOnFixtures, fixtureFiles } from '../src/main/testing/support'
import { QUEUE_GROUP } from '../src/shared/queueGroups'
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
    // The day's plan: the queue's first 25, in its order, with the rest collapsed under Later.
    const plan = await api<TodayPlan>('today:plan')
    expect(await page.getByTestId('plan-progress').innerText()).toBe(`0 of ${plan.total} done`)
    const first25 = (await api<TodayPage>('today:list', { limit: 25 })).rows.map((r) => r.user_id)
    expect(plan.rows.map((r) => r.user_id)).toEqual(first25)
    expect(await rows().evaluateAll((els) => els.slice(0, 5).map((el) => el.getAttribute('data-user')))).toEqual(first25.slice(0, 5))
    const later = page.getByTestId('plan-later')
    await page.getByTestId('today-rows').evaluate((el) => (el.scrollTop = el.scrollHeight)) // the list draws what is in view
    await later.waitFor()
    expect(await later.innerText()).toMatch(new RegExp(`^Later: ${formatCount(queue.total - plan.total)} more clients$`, 'i'))
    expect(await page.getByTestId('today-group').count()).toBe(0)
    await later.click()
    // Opened: the rest of the queue under its groups, the 26th client first.
    const group = page.getByTestId('today-group').first()
    await group.waitFor()
    expect(await group.innerText()).toMatch(/Overdue|Due today|One failure from cancellation|Everyone else/i)
    const next = (await api<TodayPage>('today:list', { limit: 1, offset: plan.rows.length })).rows[0]
    await page.locator(`[data-testid=today-row][data-user="${next.user_id}"]`).waitFor()
    await later.click()
    await page.getByTestId('today-rows').evaluate((el) => (el.scrollTop = 0))
    // The list draws the rows now in view after the scroll.
    await page.locator(`[data-testid=today-row][data-user="${first25[0]}"]`).waitFor()
  })

  it('shows ten rows or more at 1366×768, and nothing is wider than its box', async () => {
    const box = (await page.getByTestId('today-rows').boundingBox())!
    const rowsInView = async (): Promise<number> => {
      let visible = 0
      for (const row of await rows().all()) {
        const r = await row.boundingBox()
        if (r && r.y >= box.y && r.y + r.height <= box.y + box.height + 1) visible++
      }
      return visible
    }
    const boxes = [page.locator('html'), page.getByTestId('today'), page.getByTestId('today-rows'), ...(await rows().all())]
    const overflowing: string[] = []
    for (const [i, element] of boxes.entries()) {
      if (await element.evaluate((el) => el.scrollWidth > el.clientWidth))
        overflowing.push(i < 3 ? ['html', 'today', 'today-rows'][i] : `row ${i - 3}`)
    }
    // Polled: the list may still be drawing the rows scrolled back into view.
    await expect.poll(rowsInView).toBeGreaterThanOrEqual(10)
    expect(overflowing).toEqual([])
  })

  it('says once, in the header, that the data is old: a passed debit date on a row only reads “(passed)” in grey', async () => {
    expect(await page.getByTestId('as-of').innerText()).toMatch(/\d+ days old/i)
    const nextActions = await page.getByTestId('next-action').allInnerTexts()
    expect(nextActions.filter((text) => /^Debit \d{1,2} [A-Z][a-z]{2} \d{4} \(passed\)$/.test(text)).length).toBeGreaterThan(0)
    const lastColumns = await page.locator('[data-testid=today-row] [role=cell]:nth-child(5)').allInnerTexts()
    expect(lastColumns.filter((text) => /fresh export/i.test(text))).toEqual([])
  })

  it('logs a call on the first row, which leaves the queue but stays in the plan, done; selects the next; shows on the client page', async () => {
    const before = await queueSize()
    const first = await rows().nth(0).getAttribute('data-user')
    const second = await rows().nth(1).getAttribute('data-user')
    await rows().nth(0).getByRole('button', { name: 'Log call' }).click()
    const form = page.getByTestId('log-call-form')
    await form.getByText('1 Reached').click()
    await form.getByLabel('Note').fill('Spoke to him; he will top up the bank account by Friday')
    await form.getByLabel('Next action date').fill('+3')
    await page.keyboard.press('Enter') // from the date field: the typed date is taken and the call saved
    await form.waitFor({ state: 'detached' })
    await page.getByText(/^Call logged: /).waitFor()
    await expect.poll(selectedUser).toBe(second)
    await expect.poll(queueSize).toBe(before - 1)
    // In place, greyed, with its outcome; the plan counts it.
    const done = page.locator(`[data-testid=today-row][data-user="${first}"]`)
    await expect.poll(() => done.getAttribute('data-done')).toBe('true')
    expect(await done.getByTestId('plan-status').innerText()).toBe('✓ done today · Reached')
    expect(await rows().first().getAttribute('data-user')).toBe(first)
    expect(await page.getByTestId('plan-progress').innerText()).toMatch(/^1 of \d+ done$/)
    expect(await page.getByTestId('calls-today').innerText()).toBe('1 call logged today')
    // Scheduled lists it on its next date (3 days on), with the same row and its ₹ at stake.
    await page.getByText(/^Scheduled: \d+$/).click()
    const heading = page.getByTestId('today-group').first()
    await heading.waitFor()
    expect(await heading.innerText()).toMatch(new RegExp(`^${formatDate(addDays(localToday(), 3))}`, 'i'))
    const scheduled = page.locator(`[data-testid=today-row][data-user="${first}"]`)
    expect(number(await scheduled.getByTestId('at-stake').innerText())).toBeGreaterThan(0)
    await scheduled.getByRole('button', { name: 'Log call' }).waitFor()
    await page.getByText('Today’s plan', { exact: true }).click()
    await done.waitFor()

    await page.goto(`${base}#/clients/${encodeURIComponent(first!)}`)
    const entry = page.getByTestId('call-entry').first()
    await entry.waitFor()
    const text = await entry.innerText()
    expect(text).toContain('Reached')
    expect(text).toContain('Spoke to him; he will top up the bank account by Friday')
    expect(text).toContain(`next ${formatDate(addDays(localToday(), 3))}`)
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
    const row = queue.rows.find((r) => r.reasons.some((o) => o.type === 'failed_sips' && o.annual_value > 0))!
    const failed = row.reasons.find((o) => o.type === 'failed_sips')!
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
    if (row.reasons.length > 1) await form.getByText('Failed SIPs', { exact: true }).click()
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

  describe('the Log call dialog (SPEC §5)', () => {
    const form = () => page.getByTestId('log-call-form')
    const dateField = () => form().getByLabel('Next action date')
    const callsToday = async (): Promise<number> => number(await page.getByTestId('calls-today').innerText())
    const openToday = async () => {
      await page.goto(`${base}#/today`)
      await page.reload()
      await rows().first().waitFor()
    }

    it('shows the client beside the form and pre-fills each outcome’s default next date', async () => {
      await openToday()
      const row = (await api<TodayPage>('today:list', { limit: 1 })).rows[0]
      const defaults = await api<Record<CallOutcome, string | null>>('calls:nextDates', {
        user_id: row.user_id,
        agent_external_id: row.agent_external_id,
      })
      await page.keyboard.press('l')
      const context = form().getByTestId('log-call-context')
      await context.waitFor()
      expect(await context.innerText()).toContain(`${formatInr(row.at_stake)} a year at stake`)
      // Every reason with its amount, most urgent first, as the row orders them.
      const reasons = await context.getByTestId('reason-amount').allInnerTexts()
      expect(reasons).toEqual(
        row.reasons.map((r) => expect.stringMatching(new RegExp(`^${TYPE_LABELS[r.type]}\\s+${formatInr(r.annual_value)} a year$`))),
      )
      await expect.poll(() => dateField().inputValue()).toBe(formatDate(defaults.reached))
      await page.keyboard.press('2')
      await expect.poll(() => dateField().inputValue()).toBe(formatDate(addDays(localToday(), 1))) // next_after_no_answer: 1
      await form().getByText('5 Not interested').click() // the note has the focus now: a digit there is text
      await expect.poll(() => dateField().inputValue()).toBe('')
      // The calendar stays on its month: its label is no control that could take the focus out of the dialog.
      await dateField().click()
      const month = page.getByText(new Date().toLocaleDateString('en-IN', { month: 'long', year: 'numeric' }), { exact: true })
      await month.waitFor()
      expect(await month.evaluate((el) => el.closest('button') === null && el.getAttribute('tabindex') !== '0')).toBe(true)
      await page.keyboard.press('Escape') // the calendar closes
      await page.keyboard.press('Escape')
      await form().waitFor({ state: 'detached' })
    })

    it('closes at once on Enter; a save that fails reopens with what was typed and says why', async () => {
      await openToday()
      const before = await callsToday()
      let refuse = true
      await page.route('**/api/calls:log', (route) =>
        refuse
          ? route.fulfill({ json: { ok: false, error: { code: 'conflict', message: 'The book is being restored' } } })
          : route.continue(),
      )
      const first = await selectedUser()
      await page.keyboard.press('l')
      await form().waitFor()
      await page.keyboard.press('3') // call back, and on to the note
      await page.keyboard.type('Call after the salary')
      await dateField().fill('12 Feb')
      await page.keyboard.press('Enter')
      const error = page.getByTestId('log-call-error')
      await error.waitFor()
      expect(await error.innerText()).toContain('The book is being restored')
      expect(await form().getByLabel('Note').inputValue()).toBe('Call after the salary')
      expect(await form().getByRole('radio', { name: '3 Call back' }).isChecked()).toBe(true)
      expect(await dateField().inputValue()).toMatch(/^12 Feb 20\d\d$/)
      refuse = false
      await form().getByLabel('Note').press('Enter')
      await form().waitFor({ state: 'detached' })
      await expect.poll(callsToday).toBe(before + 1)
      const client = await api<{ calls: { note: string; next_action_date: string }[] }>('client:get', { user_id: first })
      expect(client.calls[0]).toMatchObject({ note: 'Call after the salary', next_action_date: expect.stringMatching(/-02-12$/) })
      await page.unroute('**/api/calls:log')
    })

    it('loses no key when calls are logged one after another while the saves are slow', async () => {
      await openToday()
      const before = await callsToday()
      const held: (() => void)[] = []
      await page.route('**/api/calls:log', (route) => held.push(() => void route.continue()))
      // The rows still to call, in order: each save moves on to the next of them.
      const planned = await rows().evaluateAll((els) =>
        els.filter((el) => !el.hasAttribute('data-done')).map((el) => el.getAttribute('data-user')),
      )
      const start = planned.indexOf(await selectedUser())
      // Three calls typed straight through, each saved while the next is typed.
      for (const note of ['first', 'second', 'third']) {
        await page.keyboard.press('l')
        await page.keyboard.press('2')
        await page.keyboard.type(note)
        await page.keyboard.press('Enter')
      }
      await expect.poll(() => held.length).toBe(3)
      expect(await form().count()).toBe(0)
      expect(await selectedUser()).toBe(planned[start + 3])
      held.forEach((release) => release())
      await expect.poll(callsToday).toBe(before + 3)
      for (const [i, note] of ['first', 'second', 'third'].entries()) {
        const client = await api<{ calls: { note: string; outcome: string }[] }>('client:get', { user_id: planned[start + i] })
        expect(client.calls[0]).toMatchObject({ note, outcome: 'no_answer' })
      }
      await page.unroute('**/api/calls:log')
    })
  })

  it('reads a next action date that has passed as overdue, in red, on the plan’s row', async () => {
    const plan = await api<TodayPlan>('today:plan')
    const row = plan.rows.find((r) => !r.done && !r.resolved && r.group !== null && r.next_action_date === null)!
    const yesterday = addDays(localToday(), -1)
    const client = { user_id: row.user_id, agent_external_id: row.agent_external_id }
    await api('followup:update', { ...client, type: row.reasons[0].type, next_action_date: yesterday })
    const overdue = (await api<TodayPage>('today:list', { limit: 10 })).rows.filter((r) => r.group === QUEUE_GROUP.overdue)
    expect(overdue).toContainEqual(expect.objectContaining({ ...client, next_action_date: yesterday }))
    await page.goto(`${base}#/today`)
    await page.reload()
    const next = page.locator(`[data-testid=today-row][data-user="${row.user_id}"]`).getByTestId('next-action')
    await expect.poll(() => next.innerText()).toBe(`${formatDate(yesterday)} · overdue`)
    const red = await next.evaluate((el) => {
      const probe = el.appendChild(el.ownerDocument.createElement('span'))
      probe.style.color = 'var(--mantine-color-red-text)'
      const view = el.ownerDocument.defaultView!
      const same = view.getComputedStyle(el).color === view.getComputedStyle(probe).color
      probe.remove()
      return same
    })
    expect(red).toBe(true)
  })

  it('fetches Scheduled a page at a time as it scrolls, each date’s heading counting all its clients', async () => {
    // 60 more clients scheduled over two dates: more than Scheduled's first page (30).
    const queue = (await api<TodayPage>('today:list', { limit: 60 })).rows
    const dates = [addDays(localToday(), 5), addDays(localToday(), 6)]
    for (const [i, row] of queue.entries()) {
      const client = { user_id: row.user_id, agent_external_id: row.agent_external_id }
      await api('followup:update', { ...client, type: row.reasons[0].type, next_action_date: dates[i % 2] })
    }
    const all = await api<ScheduledPage>('today:scheduled', { limit: 1000 })
    expect(all.total).toBeGreaterThan(60)
    const offsets: number[] = []
    const asked = (request: Request) => {
      if (decodeURIComponent(request.url()).includes('/api/today:scheduled'))
        offsets.push((JSON.parse(request.postData() ?? '{}') as { offset?: number }).offset ?? 0)
    }
    page.on('request', asked)
    await page.goto(`${base}#/today`)
    await page.reload()
    await page.getByText(`Scheduled: ${formatCount(all.total)}`, { exact: true }).click()
    // The first date's heading counts its 30 clients before the page holding the last of them is fetched.
    const heading = page.getByTestId('today-group').filter({ hasText: formatDate(dates[0]) })
    await heading.waitFor()
    expect(await heading.locator('span').last().innerText()).toBe('30')
    expect(all.dates.find((d) => d.date === dates[0])?.clients).toBe(30)
    expect(all.rows.findIndex((r) => r.next_action_date === dates[0])).toBeGreaterThan(0) // so the first page holds 29 of them at most
    const lastRow = page.locator(`[data-testid=today-row][data-user="${all.rows.at(-1)!.user_id}"]`)
    // Scrolled to the end again as each page arrives, until the last client is drawn.
    await expect
      .poll(async () => {
        await page.getByTestId('today-rows').evaluate((el) => (el.scrollTop = el.scrollHeight))
        return lastRow.count()
      })
      .toBe(1)
    page.off('request', asked)
    // A page at a time: the first 30 (the count's), then the next ones as the list is scrolled to them.
    expect(offsets[0]).toBe(0)
    expect(offsets).toContain(30)
  })

  it('says the plan is done once every client of it is called, the rest of the queue still counted', async () => {
    await page.goto(`${base}#/today`)
    await page.getByText('Today’s plan', { exact: true }).click() // the test before left Scheduled open
    await page.getByTestId('plan-progress').waitFor()
    expect(await page.getByTestId('plan-done').count()).toBe(0)
    const plan = await api<TodayPlan>('today:plan')
    for (const row of plan.rows.filter((r) => !r.done && !r.resolved))
      await api('calls:log', { user_id: row.user_id, agent_external_id: row.agent_external_id, outcome: 'no_answer' })
    const after = await api<TodayPlan>('today:plan')
    await page.reload()
    await page.getByTestId('plan-done').waitFor()
    expect(await page.getByTestId('plan-progress').innerText()).toBe(`${after.done} of ${after.total} done`)
    expect(await page.getByTestId('plan-done').innerText()).toBe('Plan done')
    // The rest of the queue is still counted in the header, and Refill plan takes the next of them.
    expect(number(await page.getByTestId('queue-size').innerText())).toBe(after.later)
    expect(await page.getByRole('button', { name: 'Refill plan' }).isEnabled()).toBe(true)
  })
})
