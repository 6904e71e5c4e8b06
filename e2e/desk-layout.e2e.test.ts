/**
 * Issue #13 in Chromium at 1366×768 (en-IN): the list fits and keeps its place, dates are typed
 * safely, cards equal their lists, the keyboard reaches everything, and the report is one A4 page.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { TYPE_LABELS, type FollowUp, type OpportunityPage, type Stats, type TodayPlan } from '../src/shared/detection'
import { openDb } from '../src/main/db/open'
import { ExportWriter } from '../src/main/generator/write'
import { generateSips, type GeneratedSip } from '../src/main/generator/generate'
import { formatClient, formatSip } from '../src/main/generator/format'
import { importFiles } from '../src/main/services/imports'
import { CHROMIUM, launchChromium, pageApi, startWebHost, type WebHost } from './support'

const haveChromium = fs.existsSync(CHROMIUM)
const havePdfinfo = (() => {
  try {
    execFileSync('pdfinfo', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" }

/**
 * The words of a client report's scheme column, line by line (`pdftotext -bbox`): those left of
 * the "Status" header, from the "Scheme" header down to "Suggestions for you".
 */
function schemeColumn(pdf: string): string {
  const html = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' })
  const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({
    x0: Number(m[1]),
    y0: Number(m[2]),
    x1: Number(m[3]),
    text: m[4].replace(/&(\w+|#\d+);/g, (whole, name: string) => ENTITIES[name] ?? whole),
  }))
  const at = (text: string) => words.find((w) => w.text === text)!
  const [scheme, status, end] = [at('Scheme'), at('Status'), at('Suggestions')]
  return words
    .filter((w) => w.y0 > scheme.y0 + 2 && w.y0 < end.y0 && w.x0 >= scheme.x0 - 1 && w.x1 <= status.x0)
    .sort((a, b) => Math.round(a.y0) - Math.round(b.y0) || a.x0 - b.x0)
    .map((w) => w.text)
    .join(' ')
}

/** The first number in a text as shown (`₹1,20,000`, `177 opportunities`). */
const number = (text: string): number => Number(/-?[\d,]+(\.\d+)?/.exec(text)?.[0].replaceAll(',', '') ?? NaN)

type DOMRectLike = { top: number; bottom: number }

/** Clients made to hold exactly this many live SIPs, for the report; the 30-SIP one has a Devanagari name. */
const REPORT_SIZES = [1, 15, 30, 60] as const
const bigClient = (n: number) => `big-${n}`

/** Clients named in India's other major scripts (one SIP each), whose reports must print in the bundled fonts. */
const SCRIPT_NAMES = {
  Bengali: 'সুমিত্রা বন্দ্যোপাধ্যায়',
  Gujarati: 'હર્ષદ પટેલ',
  Gurmukhi: 'ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ',
  Oriya: 'ସୁଭଶ୍ରୀ ମହାପାତ୍ର',
  Tamil: 'முருகன் சுப்பிரமணியம்',
  Telugu: 'వెంకట లక్ష్మి',
  Kannada: 'ಮಂಜುನಾಥ ಗೌಡ',
  Malayalam: 'അനിത നായർ',
} as const
const scriptClient = (script: string) => `script-${script.toLowerCase()}`

/** A generated book in which a few clients hold 1, 15, 30 and 60 SIPs, and a few are named in Indian scripts. */
async function writeBook(dir: string): Promise<{ sips: string; clients: string }> {
  const sips = [...generateSips({ sips: 600, seed: 1313 })]
  const clients = new Map<string, GeneratedSip['client']>()
  let next = 0
  for (const n of REPORT_SIZES) {
    const owner = { ...sips[next].client, userId: bigClient(n), name: n === 30 ? 'रमेश कुमार शर्मा' : `Report Client ${n}` }
    for (let i = 0; i < n; i++) sips[next + i] = { ...sips[next + i], client: owner, deleted: false }
    next += n
  }
  for (const [script, name] of Object.entries(SCRIPT_NAMES)) {
    sips[next] = { ...sips[next], client: { ...sips[next].client, userId: scriptClient(script), name }, deleted: false }
    next += 1
  }
  const files = { sips: path.join(dir, 'sips.json'), clients: path.join(dir, 'clients.json') }
  const sipWriter = new ExportWriter(files.sips, 'array')
  for (const sip of sips) {
    await sipWriter.add(formatSip(sip, true))
    clients.set(sip.client.userId, sip.client)
  }
  await sipWriter.close()
  const clientWriter = new ExportWriter(files.clients, 'array')
  for (const client of clients.values()) await clientWriter.add(formatClient(client, true))
  await clientWriter.close()
  return files
}

describe.skipIf(!haveChromium)('the desk at 1366×768 (issue #13)', () => {
  let host: WebHost
  let browser: Browser
  let page: Page
  let base: string
  let dir: string

  const api = <T>(channel: string, request: object = {}): Promise<T> => pageApi(page, () => host.token)<T>(channel, request)

  /** Opens a screen by its address; a screen's state is in the hash (`/opportunities?type=…`). */
  const go = async (route: string): Promise<void> => {
    await page.goto('about:blank') // a fresh page: nothing remembered from the previous screen
    await page.goto(`${base}#${route}`)
  }
  const rows = () => page.getByTestId('opportunity-row')
  /** The list's count once it is known (not "Loading…"). */
  const count = async (): Promise<number> => {
    const shown = page.getByTestId('result-count')
    await expect.poll(async () => /\d/.test(await shown.innerText())).toBe(true)
    return number(await shown.innerText())
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'pd-desk-'))
    const files = await writeBook(dir)
    const dbPath = path.join(dir, 'desk.sqlite')
    openDb(dbPath).close()
    await importFiles(dbPath, [
      { path: files.sips, name: 'sips.json' },
      { path: files.clients, name: 'clients.json' },
    ])
    host = await startWebHost({ dbPath })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-IN' })
    page.on('pageerror', (error) => console.error('page error:', error.message))
    await page.goto(host.url) // hands the page its token; a loaded book opens on Today
    base = host.url.replace(/\?.*$/, '')
    await page.goto(`${base}#/dashboard`)
    await page.getByTestId('count-failed_sips').waitFor({ timeout: 60_000 })
  })
  afterAll(async () => {
    await browser?.close()
    await host?.stop()
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('shows 10+ rows of about 42 px, nothing wider than its box, the header over its columns (also after Tab), filters on one line', async () => {
    await go('/opportunities')
    await rows().first().waitFor()
    // Playwright hands the page's own elements in; their document stands in for the DOM globals.
    const measure = () =>
      page.locator('main').evaluate((main) => {
        const document = main.ownerDocument
        const getComputedStyle = (el: object) => document.defaultView!.getComputedStyle(el)
        const body = document.querySelector('[data-testid="opportunity-rows"]')
        const view = body.getBoundingClientRect()
        const all = [...body.querySelectorAll('[data-testid="opportunity-row"]')]
        const inView = all.filter((r) => {
          const box = r.getBoundingClientRect()
          return box.top >= view.top - 1 && box.bottom <= view.bottom + 1
        })
        const header = [...document.querySelectorAll('[role="columnheader"]')].map((h) => Math.round(h.getBoundingClientRect().left))
        const cells = [...all[0].querySelectorAll(':scope > [role="cell"]')].map((c) => Math.round(c.getBoundingClientRect().left))
        const overflowing = [...document.querySelectorAll('main *')]
          .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
          .filter((el) => !el.matches('input, textarea, [class*="ellipsis"], [class*="why"], [class*="name"]'))
          .map((el) => `${el.tagName}.${el.className}`)
        const line = document.querySelector('[data-testid="filter-line"]').getBoundingClientRect()
        const filters = [...document.querySelectorAll('[data-testid="filter-line"] > *')].map((el) => el.getBoundingClientRect())
        return {
          inView: inView.length,
          heights: inView.filter((r) => !r.hasAttribute('data-selected')).map((r) => Math.round(r.getBoundingClientRect().height)),
          header,
          cells,
          bodyScrollLeft: body.scrollLeft,
          bodyWider: body.scrollWidth > body.clientWidth,
          pageWider: document.documentElement.scrollWidth > document.documentElement.clientWidth,
          overflowing,
          filterLine: {
            height: Math.round(line.height),
            outside: filters.filter(
              (box: DOMRectLike) => box.bottom > box.top && (box.top < line.top - 0.5 || box.bottom > line.bottom + 0.5),
            ).length,
          },
        }
      })
    const before = await measure()
    expect(before.inView).toBeGreaterThanOrEqual(10)
    expect(before.heights.every((h) => h >= 40 && h <= 44)).toBe(true)
    expect(before.cells).toEqual(before.header)
    expect(before.bodyWider).toBe(false)
    expect(before.pageWider).toBe(false)
    expect(before.overflowing).toEqual([])
    expect(before.filterLine.height).toBeLessThanOrEqual(44)
    expect(before.filterLine.outside).toBe(0)
    // Tab into the list and through a row's follow-up field: nothing scrolls sideways.
    await rows().first().focus()
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    const after = await measure()
    expect(after.bodyScrollLeft).toBe(0)
    expect(after.cells).toEqual(after.header)
  })

  it('shows the whole “why” line of the selected row, and phone and ₹ a year as columns', async () => {
    await go('/opportunities')
    const first = rows().first()
    await first.waitFor()
    const why = first.getByTestId('cell-why')
    const full = (await why.getAttribute('title')) ?? ''
    expect(full.length).toBeGreaterThan(20)
    await first.focus()
    await expect.poll(async () => first.getAttribute('aria-selected')).toBe('true')
    // Selected, the line wraps instead of being cut: all of its text is visible.
    expect(await why.evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight + 1)).toBe(true)
    const listed = await api<OpportunityPage>('opportunities:list', { limit: 1 })
    expect(await first.getByTestId('cell-phone').innerText()).toBe(listed.rows[0].phone_number ?? '—')
    expect(number(await first.getByTestId('cell-annual').innerText())).toBe(Math.round(listed.rows[0].annual_value))
  })

  it('keeps the list in the address: Back from a client returns to the same filters, search, sort and row', async () => {
    await go('/opportunities')
    await rows().first().waitFor()
    await page.locator('label', { hasText: /^Failed SIPs$/ }).click()
    await page.getByRole('columnheader', { name: 'Monthly SIP' }).click()
    const search = page.getByTestId('list-search')
    await search.fill('a')
    await expect.poll(() => page.url()).toContain('q=a')
    const filtered = await count()
    expect(filtered).toBeGreaterThan(5)
    // Move down to the 5th row with the keyboard and open it.
    await rows().first().focus()
    for (let i = 0; i < 4; i++) await page.keyboard.press('j')
    const chosen = page.locator('[data-testid="opportunity-row"][aria-selected="true"]')
    await expect.poll(() => chosen.getAttribute('aria-rowindex')).toBe('5')
    const chosenName = await chosen.locator('b').first().innerText()
    await page.keyboard.press('Enter')
    await page.getByTestId('client-name').waitFor()
    expect(await page.getByTestId('client-name').innerText()).toBe(chosenName)
    await page.goBack()
    await rows().first().waitFor()
    await expect.poll(count).toBe(filtered)
    expect(await search.inputValue()).toBe('a')
    expect(await page.locator('label', { hasText: /^Failed SIPs$/ }).getAttribute('data-active')).toBe('true')
    expect(await page.getByRole('columnheader', { name: 'Monthly SIP' }).getAttribute('aria-sort')).toBe('descending')
    await expect.poll(() => chosen.getAttribute('aria-rowindex')).toBe('5')
    expect(await chosen.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true)
    // Forward goes to the client again, Back returns: the screen follows the address.
    await page.goForward()
    await page.getByTestId('client-name').waitFor()
    await page.goBack()
    await rows().first().waitFor()
    // The sidebar item opens the default list, not the last one.
    await page.getByRole('link', { name: 'Opportunities' }).click()
    await expect.poll(() => page.url()).toMatch(/#\/opportunities$/)
    await expect.poll(count).toBe((await api<Stats>('stats:get')).listed_opportunities)
    expect(await search.inputValue()).toBe('')
    expect(await page.locator('label', { hasText: /^All$/ }).getAttribute('data-active')).toBe('true')
  })

  it('saves a typed next-action date only when complete, refuses junk, and marks the snoozed row', async () => {
    const target = (await api<OpportunityPage>('opportunities:list', { type: 'failed_sips', limit: 1 })).rows[0]
    await go(`/clients/${encodeURIComponent(target.user_id)}`)
    const panel = page.getByTestId('opportunity-failed_sips').first()
    const input = panel.getByTestId('next-action-input')
    await input.waitFor()
    const followUp = async () =>
      (await api<{ follow_ups: FollowUp[] }>('client:get', { user_id: target.user_id })).follow_ups.find((f) => f.type === 'failed_sips')!
    const eventsBefore = (await followUp()).events.length
    // The US order the native field invited: not a date in en-IN, and nothing is saved.
    await input.click()
    await input.pressSequentially('02152026')
    await input.press('Tab')
    await panel.getByText(/is not a date/).waitFor()
    expect((await followUp()).next_action_date).toBe(target.next_action_date)
    expect((await followUp()).events.length).toBe(eventsBefore)
    // A real date, typed day first: saved once, as 15 Feb 2030, and shown so.
    await input.fill('')
    await input.pressSequentially('15/02/2030')
    await expect.poll(async () => (await followUp()).next_action_date).toBe('2030-02-15')
    await input.press('Tab')
    await expect.poll(() => input.inputValue()).toBe('15 Feb 2030')
    const after = await followUp()
    expect(after.events.filter((e) => e.kind === 'next_action_date')).toHaveLength(1)
    expect(after.events.every((e) => e.kind !== 'next_action_date' || e.to_value === '2030-02-15')).toBe(true)
    await panel.getByText('Snoozed until 15 Feb 2030: hidden from the default list').waitFor()
    // The quick picks are beside the calendar.
    await input.click()
    await page.getByRole('button', { name: 'Tomorrow' }).waitFor()
    await input.press('Escape')
    // The list hides the snoozed row; "Show snoozed" brings it back, marked.
    await go(`/opportunities?type=failed_sips&q=${encodeURIComponent(target.user_id)}`)
    await page.getByText('No opportunities match these filters.').waitFor()
    await go(`/opportunities?type=failed_sips&q=${encodeURIComponent(target.user_id)}&snoozed=1`)
    await rows().first().waitFor()
    expect(await rows().first().getByTestId('next-action').textContent()).toContain('15 Feb 2030')
  })

  it('makes each card’s number the list it opens, with the hidden ones beside it', async () => {
    await go('/dashboard')
    const stats = await api<Stats>('stats:get')
    for (const type of ['no_sip_increase', 'failed_sips', 'high_value_inactive', 'auto_cancel_risk', 'sip_ending'] as const) {
      await go('/dashboard')
      const card = number(await page.getByTestId(`count-${type}`).innerText())
      expect(card).toBe(stats.by_type[type].listed)
      const hidden = stats.by_type[type].count - stats.by_type[type].listed
      expect(await page.getByTestId(`hidden-${type}`).innerText()).toBe(
        hidden > 0 ? `+${hidden.toLocaleString('en-IN')} snoozed, done or dismissed` : 'none hidden',
      )
      await page.getByTestId(`card-${type}`).click()
      await page.getByTestId('result-count').waitFor()
      await expect.poll(count).toBe(card)
    }
  })

  it('reaches the sidebar by Tab, never the drop zone, and opens the first match of Ctrl+K with Enter', async () => {
    await go('/dashboard')
    await page.getByTestId('count-failed_sips').waitFor()
    const stops: string[] = []
    await page.locator('body').focus()
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab')
      stops.push(
        await page.locator('body').evaluate((body) => {
          const el = body.ownerDocument.activeElement
          return `${el.tagName}|${el.getAttribute('href') ?? ''}|${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? ''}|${el.closest('[class*="dropzone"], [data-dropzone]') ? 'DROPZONE' : ''}`
        }),
      )
    }
    for (const href of ['#/today', '#/dashboard', '#/opportunities', '#/agents', '#/imports', '#/settings'])
      expect(stops.some((s) => s.startsWith(`A|${href}|`))).toBe(true)
    expect(stops.filter((s) => s.endsWith('DROPZONE'))).toEqual([])
    // Ctrl+K, type, Enter.
    await page.keyboard.press('Control+k')
    await page.keyboard.type('Report Client 15')
    await page.keyboard.press('Enter')
    await expect
      .poll(async () =>
        page
          .getByTestId('client-name')
          .innerText()
          .catch(() => ''),
      )
      .toBe('Report Client 15')
  })

  it('moves between rows with arrows and J/K, shows a focus ring, and sets follow-up states by key', async () => {
    await go('/opportunities?type=no_sip_increase')
    await rows().first().waitFor()
    const total = await count()
    await rows().first().focus()
    const selected = page.locator('[data-testid="opportunity-row"][aria-selected="true"]')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('j')
    await expect.poll(() => selected.getAttribute('aria-rowindex')).toBe('3')
    await page.keyboard.press('k')
    await expect.poll(() => selected.getAttribute('aria-rowindex')).toBe('2')
    const ring = await selected.evaluate((el) => ({
      focused: el === el.ownerDocument.activeElement,
      outline: el.ownerDocument.defaultView!.getComputedStyle(el).outlineStyle,
    }))
    expect(ring).toEqual({ focused: true, outline: 'solid' })
    await page.keyboard.press('d') // dismissed: it leaves the default list
    await expect.poll(count).toBe(total - 1)
  })

  it('shows the score’s formula and figures, and the agents table sorts on every column', async () => {
    await go('/opportunities?type=high_value_inactive')
    await expect.poll(async () => rows().first().getByTestId('cell-why').innerText()).toMatch(/invested/)
    await rows().first().getByTestId('cell-score').getByRole('button').click()
    const explanation = page.getByTestId('score-explanation')
    await explanation.waitFor()
    expect(await explanation.innerText()).toMatch(/days since the last successful instalment ÷ 30[\s\S]*min\(10, [\d,]+ ÷ 30\) = \d+\.\d\d/)
    await page.keyboard.press('Escape')
    await go('/agents')
    await page.getByTestId('agent-row').first().waitFor()
    expect(await page.getByTestId('agent-row').count()).toBeLessThan(60) // drawn as they scroll into view
    for (const name of ['Agent', 'Live SIPs', 'Clients', 'Invested', 'Failed SIPs', '₹ a year at stake']) {
      const header = page.getByRole('columnheader', { name })
      await header.click()
      const first = await header.getAttribute('aria-sort')
      await header.click()
      expect(await header.getAttribute('aria-sort')).not.toBe(first)
    }
  })

  it('shows every reason chip of a Today row whole: past three, the last place counts the rest and names them', async () => {
    const plan = await api<TodayPlan>('today:plan')
    const many = plan.rows.find((r) => r.reasons.length > 3)
    expect(many, 'a client of the plan with more than three reasons').toBeDefined()
    await go('/today')
    const row = page.locator(`[data-testid=today-row][data-user="${many!.user_id}"]`)
    await page.getByTestId('today-row').first().waitFor()
    // The list draws the rows in view: scrolled down a screen at a time until that client's row is drawn.
    await expect
      .poll(async () => {
        if ((await row.count()) === 0) await page.getByTestId('today-rows').evaluate((el) => (el.scrollTop += el.clientHeight / 2))
        return row.count()
      })
      .toBe(1)
    const chips = row.getByTestId('reason')
    expect(await chips.count()).toBe(2)
    const more = row.getByTestId('more-reasons')
    expect(await more.innerText()).toBe(`+${many!.reasons.length - 2}`)
    expect(await more.getAttribute('title')).toBe(
      many!.reasons
        .slice(2)
        .map((r) => TYPE_LABELS[r.type])
        .join(', '),
    )
    // No row's chips are cut: each box holds what it shows.
    const cut = await page
      .getByTestId('today-row')
      .evaluateAll(
        (els) =>
          els.filter((el) =>
            [...el.querySelectorAll('[data-testid=reason]')].some((c) => c.parentElement!.scrollWidth > c.parentElement!.clientWidth + 1),
          ).length,
      )
    expect(cut).toBe(0)
  })

  it('fits every figure and agent id in its box, and keeps toasts off the content', async () => {
    await go('/dashboard')
    await page.getByTestId('annual-at-stake').waitFor()
    /** How many lines a figure's text takes. */
    const lines = (testId: string): Promise<number> =>
      page.getByTestId(testId).evaluate((element) => {
        const range = element.ownerDocument.createRange()
        range.selectNodeContents(element)
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size
      })
    for (const figure of ['annual-at-stake', 'book-sips', 'book-clients', 'book-monthly', 'book-invested', 'failed-over-lives']) {
      expect(await lines(figure), figure).toBe(1)
    }
    await go('/agents')
    await page.getByTestId('agent-ids').first().waitFor()
    const ids = await page
      .getByTestId('agent-ids')
      .evaluateAll((elements) => elements.map((element) => ({ text: element.textContent, cut: element.scrollWidth > element.clientWidth })))
    expect(ids.length).toBeGreaterThan(5)
    expect(ids.filter((id) => id.cut)).toEqual([])
    expect(ids[0].text).toMatch(/^ag_\w{22}/) // a whole generated agent id

    await go('/settings')
    const invested = page.getByTestId('threshold-min_invested')
    await invested.fill('150000')
    await page.getByRole('button', { name: 'Save thresholds' }).click()
    const toast = page.getByRole('alert').filter({ hasText: 'Thresholds saved' })
    await toast.waitFor()
    const box = (await toast.boundingBox())!
    const sidebar = (await page.locator('nav').first().boundingBox())!
    // In the sidebar's lower part: never over the content's rows and their actions, nor the header.
    expect(box.x + box.width).toBeLessThanOrEqual(sidebar.x + sidebar.width)
    expect(box.y).toBeGreaterThan(sidebar.y + sidebar.height / 2)
    await page.getByRole('button', { name: 'Restore defaults' }).click()
    await page.getByRole('button', { name: 'Save thresholds' }).click()
  })

  it('refuses an empty threshold instead of saving 0, and groups money inputs the Indian way', async () => {
    await go('/settings')
    const invested = page.getByTestId('threshold-min_invested')
    await invested.waitFor()
    expect(await invested.inputValue()).toBe('₹1,00,000')
    await invested.fill('')
    await page.getByTestId('thresholds-invalid').waitFor()
    expect(await page.getByRole('button', { name: 'Save thresholds' }).isDisabled()).toBe(true)
    await invested.fill('1234567')
    expect(await invested.inputValue()).toBe('₹12,34,567')
    await page.getByRole('button', { name: 'Restore defaults' }).click()
  })

  it.skipIf(!havePdfinfo)('prints one A4 page for 1, 15, 30 and 60 SIPs, for the advisor and for the client', async () => {
    // Typed without their prefixes: they print as ARN-112233 and E445566 all the same (SPEC §5).
    await api('settings:update', {
      advisor: { name: 'Anita Desai', arn: '112233', euin: '445566', phone: '98200 12345', email: 'anita@example.in' },
    })
    const pages: Record<string, number> = {}
    const schemeLines: Record<string, string> = {}
    for (const n of REPORT_SIZES) {
      for (const audience of ['advisor', 'client'] as const) {
        await go(`/clients/${bigClient(n)}/report${audience === 'client' ? '?for=client' : ''}`)
        const report = page.getByTestId('client-report')
        await report.waitFor()
        expect(await report.getAttribute('data-audience')).toBe(audience)
        const pdf = path.join(dir, `report-${n}-${audience}.pdf`)
        await page.pdf({ path: pdf, printBackground: true, preferCSSPageSize: true })
        const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })
        pages[`${n}-${audience}`] = Number(/Pages:\s+(\d+)/.exec(info)?.[1])
        expect(info).toMatch(/Page size:\s+59\d(\.\d+)? x 84\d(\.\d+)? pts \(A4\)/)
        const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
        expect(text).toContain('Mutual fund investments are subject to market risks, read all scheme related documents carefully.')
        if (n === 60) expect(text).toMatch(/\+\d+ more SIPs/)
        if (audience === 'client') {
          expect(text).toMatch(/Anita Desai[\s\S]*ARN-112233[\s\S]*E445566/)
          expect(text.match(/ARN/g)).toHaveLength(1)
          expect(text).not.toMatch(/score|talking points|agent|big-\d+|Add your name|your advisor|₹0\b/i)
          // Full scheme names, wrapped rather than cut: the largest SIP's first three names, read back from the scheme column.
          const column = schemeColumn(pdf)
          const client = await api<{ sips: { schemes: string[]; monthly_amount: number; deleted: boolean | null }[] }>('client:get', {
            user_id: bigClient(n),
          })
          const largest = client.sips.filter((s) => !s.deleted).sort((a, b) => b.monthly_amount - a.monthly_amount)[0]
          for (const name of largest.schemes.slice(0, 3)) expect(column).toContain(name.replace(/\s+/g, ' '))
          schemeLines[`${n}`] = column
          expect(text).not.toContain('…')
          if (largest.schemes.length > 3) expect(text).toContain(`+${largest.schemes.length - 3} more fund`)
        }
        // Every glyph, the Devanagari name included, comes from the bundled Noto Sans: no fallback font, no empty boxes.
        const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' }).trim().split('\n').slice(2)
        expect(fonts.length).toBeGreaterThan(0)
        expect(fonts.every((line) => /^\w+\+NotoSans-(Regular|Bold)\s/.test(line))).toBe(true)
        if (n === 30) expect(text).toContain('रमेश')
        // No date is broken over two lines.
        expect(text).not.toMatch(/\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s*\n\s*\d{4}\b/)
      }
    }
    console.log('report pages by SIP count and copy:', JSON.stringify(pages))
    console.log('client copy scheme column by SIP count:', JSON.stringify(schemeLines, null, 1))
    expect(Object.values(pages).every((p) => p === 1)).toBe(true)
  })

  it.skipIf(!havePdfinfo)(
    'prints names in Bengali, Gujarati, Gurmukhi, Odia, Tamil, Telugu, Kannada and Malayalam in the bundled Noto fonts',
    async () => {
      const found: Record<string, string[]> = {}
      for (const [script, name] of Object.entries(SCRIPT_NAMES)) {
        await go(`/clients/${scriptClient(script)}/report?for=client`)
        await page.getByTestId('client-report').waitFor()
        expect(await page.getByTestId('client-report').innerText()).toContain(name)
        await page.evaluate('document.fonts.ready') // every face the page asked for has loaded
        const pdf = path.join(dir, `report-${script}.pdf`)
        await page.pdf({ path: pdf, printBackground: true, preferCSSPageSize: true })
        // pdffonts: name, type, encoding, emb, sub, uni, object, id — every font embedded, none Type 3 (drawn
        // glyphs stand in when a font is missing), and the script's own Noto Sans among them.
        const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' }).trim().split('\n').slice(2)
        found[script] = fonts.map((line) => line.split(/\s+/)[0].replace(/^\w+\+/, ''))
        expect(fonts.every((line) => /^\w+\+NotoSans[A-Za-z]*-(Regular|Bold)\s/.test(line) && !/Type 3/.test(line))).toBe(true)
        expect(fonts.every((line) => /\syes\s+yes\s+yes\s/.test(line))).toBe(true) // embedded, subset, with a Unicode map
        expect(found[script]).toContain(`NotoSans${script}-Bold`) // the name heads the page in bold
        // The name's letters come back out of the PDF as that script's characters (a missing glyph would not).
        const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' })
        const letters = [...name].filter((c) => /\p{L}/u.test(c))
        expect(letters.filter((c) => text.includes(c)).length).toBe(letters.length)
      }
      console.log('report fonts by script:', JSON.stringify(found))
    },
  )
})
