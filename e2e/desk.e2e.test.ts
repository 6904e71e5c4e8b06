import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { OPPORTUNITY_TYPES, type AgentSummary, type Stats } from '../src/shared/detection'
import { formatCompactInr } from '../src/shared/format'
import { CHROMIUM, launchChromium, pageApi, startWebHost, type WebHost } from './support'

const haveChromium = fs.existsSync(CHROMIUM)
const havePdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

/** The first number in a text as shown (`₹1,20,000`, `177 opportunities`). */
const number = (text: string): number => Number(/-?[\d,]+(\.\d+)?/.exec(text)?.[0].replaceAll(',', '') ?? NaN)

describe.skipIf(!haveChromium)('the advisor’s desk in Chromium', () => {
  let host: WebHost
  let browser: Browser
  let page: Page
  let base: string

  /** A request over the same contract the screens use, to compare what they show. */
  const api = <T>(channel: string, request: object = {}): Promise<T> => pageApi(page, () => host.token)<T>(channel, request)

  /** Opens a screen by its route; a screen's state (filters) is in the hash, after the route. */
  const go = async (route: string): Promise<void> => {
    await page.goto('about:blank')
    await page.goto(`${base}#${route}`)
  }

  beforeAll(async () => {
    host = await startWebHost()
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })
    page.on('pageerror', (error) => console.error('page error:', error.message))
    await page.goto(host.url)
    base = host.url.replace(/\?.*$/, '')
    await page.getByRole('button', { name: 'Try sample data' }).click()
    await page.getByText('Import finished').waitFor({ timeout: 60_000 })
    await page.getByRole('button', { name: 'Done' }).click()
    await go('/dashboard') // a loaded book opens on Today
  })
  afterAll(async () => {
    await browser?.close()
    await host?.stop()
  })

  it('shows the same numbers on the dashboard as the stats', async () => {
    await page.getByTestId('count-failed_sips').waitFor()
    const stats = await api<Stats>('stats:get')
    for (const type of OPPORTUNITY_TYPES) {
      // A card's number is the list it opens (SPEC §3.6); its money is ₹ a year, compact.
      expect(number(await page.getByTestId(`count-${type}`).innerText())).toBe(stats.by_type[type].listed)
      expect(await page.getByTestId(`annual-${type}`).innerText()).toBe(formatCompactInr(stats.by_type[type].annual_value))
    }
    expect(number(await page.getByTestId('book-sips').innerText())).toBe(stats.book.live_sips)
    expect(await page.getByTestId('as-of').innerText()).toMatch(/12 Feb 2026/i) // the sample's second month
    // Older than 35 days (the sample is from February 2026): the badge turns amber and says how old.
    expect(await page.getByTestId('as-of').getAttribute('data-stale')).toBe('true')
    expect(await page.getByTestId('as-of').innerText()).toMatch(/data \d+ days old/i) // a badge shows its text in capitals
  })

  it('opens a filtered list from a card, sorts it, and narrows it by score', async () => {
    await page.getByTestId('card-high_value_inactive').click()
    const stats = await api<Stats>('stats:get')
    await expect.poll(() => page.getByTestId('result-count').innerText()).toBe(`${stats.by_type.high_value_inactive.listed} opportunities`)
    await page.getByRole('columnheader', { name: '₹ a year' }).click()
    await expect.poll(async () => page.getByRole('columnheader', { name: '₹ a year' }).getAttribute('aria-sort')).toBe('descending')
    await expect
      .poll(async () => {
        const values = (await page.getByTestId('cell-annual').allInnerTexts()).map(number)
        return values.length > 3 && values.every((v, i) => i === 0 || values[i - 1] >= v)
      })
      .toBe(true)
    await page.getByRole('columnheader', { name: '₹ a year' }).click()
    await expect
      .poll(async () => {
        const values = (await page.getByTestId('cell-annual').allInnerTexts()).map(number)
        return values.length > 3 && values.every((v, i) => i === 0 || values[i - 1] <= v)
      })
      .toBe(true)
    await page.locator('label', { hasText: /^All$/ }).click()
    await page.getByTestId('list-search').fill('zzz-nobody')
    await expect.poll(() => page.getByTestId('result-count').innerText()).toBe('0 opportunities')
    await page.getByTestId('list-search').fill('')
  })

  it('keeps a follow-up change after a reload and hides dismissed ones from the default list', async () => {
    await go('/opportunities?type=failed_sips')
    const first = page.getByTestId('opportunity-row').first()
    await first.waitFor()
    const before = number(await page.getByTestId('result-count').innerText())
    const name = await first.locator('b').first().innerText()
    await first.getByLabel(/Follow-up state of/).selectOption('dismissed')
    await expect.poll(async () => number(await page.getByTestId('result-count').innerText())).toBe(before - 1)
    await page.reload()
    await page.getByTestId('opportunity-row').first().waitFor()
    expect(number(await page.getByTestId('result-count').innerText())).toBe(before - 1)
    const stats = await api<Stats>('stats:get')
    expect(stats.by_type.failed_sips.count).toBe(before)
    await page.getByTestId('list-search').fill(name)
    await page.getByTestId('more-filters').click()
    await page.getByLabel('Show snoozed').check({ force: true })
    const dismissedOnly = page.getByTestId('state-filter')
    await dismissedOnly.click()
    await page.getByRole('listbox').getByRole('option', { name: 'Dismissed' }).click() // not the rows' own selects
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('opportunity-row').count()).toBeGreaterThan(0)
    expect(
      await page
        .getByTestId('opportunity-row')
        .first()
        .getByLabel(/Follow-up state of/)
        .inputValue(),
    ).toBe('dismissed')
  })

  it('opens an agent’s opportunities from the agents table', async () => {
    await go('/agents')
    const row = page.getByTestId('agent-row').first()
    await row.waitFor()
    const { agents } = await api<{ agents: AgentSummary[] }>('agents:list')
    const top = [...agents].sort((a, b) => b.annual_at_stake - a.annual_at_stake)[0]
    await row.click()
    await expect.poll(() => page.url()).toContain(`agent=${top.agent_external_id}`)
    const page1 = await api<{ total: number }>('opportunities:list', { agent: top.agent_external_id, limit: 1 })
    await expect.poll(async () => number(await page.getByTestId('result-count').innerText())).toBe(page1.total)
  })

  it('exports the filtered list as CSV', async () => {
    await go('/opportunities?type=no_sip_increase')
    await page.getByTestId('opportunity-row').first().waitFor()
    const shown = number(await page.getByTestId('result-count').innerText())
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export CSV' }).click()
    const file = path.join(host.dir, 'export.csv')
    await (await download).saveAs(file)
    const text = fs.readFileSync(file, 'utf8')
    expect(text.startsWith('\uFEFFtype,user_id,client_name,')).toBe(true)
    const lines = text.trim().split('\r\n')
    expect(lines).toHaveLength(shown + 1)
    expect(lines.slice(1).every((l) => l.startsWith('no_sip_increase,'))).toBe(true)
  })

  it('shows a client and prints a one-page report whose text carries the figures', async () => {
    await go('/opportunities?type=failed_sips')
    const first = page.getByTestId('opportunity-row').first()
    await first.waitFor()
    await first.click()
    const name = await page.getByTestId('client-name').innerText()
    expect(await page.getByTestId('sip-table').getByRole('row').count()).toBeGreaterThan(1)
    await page.getByRole('button', { name: 'Print report' }).click()
    await page.getByTestId('client-report').waitFor()
    if (!havePdftotext) return console.warn('skipping the PDF text check: pdftotext is not installed (apt-get install poppler-utils)')
    const pdf = path.join(host.dir, 'report.pdf')
    await page.emulateMedia({ media: 'print' })
    await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true })
    await page.emulateMedia({ media: 'screen' })
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
    expect(text).toContain(name)
    expect(text).toMatch(/as of 12 Feb 2026/i)
    expect(text).toMatch(/Talking points/)
    expect(text).toMatch(/Failed SIPs/)
    expect(text).toMatch(/₹[\d,]+/)
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })
    expect(info).toMatch(/Pages:\s+1\b/)
    expect(info).toMatch(/Page size:\s+59\d\.\d+ x 84\d\.\d+ pts \(A4\)/)
  })

  it('changes thresholds in Settings and the lists follow', async () => {
    await go('/settings')
    const field = page.getByTestId('threshold-min_failed_amount')
    await field.waitFor()
    const before = (await api<Stats>('stats:get')).by_type.failed_sips.count
    await field.fill('50000')
    await page.getByRole('button', { name: 'Save thresholds' }).click()
    await expect.poll(async () => (await api<Stats>('stats:get')).by_type.failed_sips.count, { timeout: 30_000 }).toBeLessThan(before)
    await go('/dashboard')
    const after = (await api<Stats>('stats:get')).by_type.failed_sips
    await expect.poll(async () => number(await page.getByTestId('count-failed_sips').innerText())).toBe(after.listed)
  })

  it('refuses a threshold out of range as typed, in the words the service gives, instead of rounding it or dropping its sign', async () => {
    await go('/settings')
    const cancelAfter = page.getByTestId('threshold-auto_cancel_after')
    await cancelAfter.waitFor()
    await cancelAfter.fill('2.5')
    await page.getByText('must be a whole number from 2 to 12', { exact: true }).waitFor()
    expect(await cancelAfter.inputValue()).toContain('2.5')
    const failedFrom = page.getByTestId('threshold-min_failed_amount')
    await failedFrom.fill('-5')
    await page.getByText('must be a whole number from 0 to 10,00,00,00,00,000', { exact: true }).waitFor()
    expect(await failedFrom.inputValue()).toContain('-')
    expect(await page.getByRole('button', { name: 'Save thresholds' }).isDisabled()).toBe(true)
    await page.screenshot({ path: path.join(host.dir, '..', 'settings-threshold-refused.png') })
    // The dashboard's agents chart says what it ranks by.
    await go('/dashboard')
    await page.getByText('Top 10 agents by ₹ a year at stake').waitFor()
  })

  it('backs up from Settings, clears all data after a confirmation, and restores the backup', async () => {
    const before = await api<Stats>('stats:get')
    const followUpsBefore = await api<unknown[]>('opportunities:list', { states: ['contacted', 'converted', 'dismissed'] })
    await go('/settings')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Back up database…' }).click()])
    expect(download.suggestedFilename()).toMatch(/^partner-dashboard-backup-\d{4}-\d{2}-\d{2}\.sqlite$/)
    const backup = path.join(host.dir, download.suggestedFilename())
    await download.saveAs(backup)
    expect(fs.readFileSync(backup).subarray(0, 15).toString()).toBe('SQLite format 3')
    await page.getByText('Backup made').waitFor()

    await page.getByRole('button', { name: 'Clear all data…' }).click()
    await page.getByRole('button', { name: 'Keep my data' }).click()
    expect((await api<Stats>('stats:get')).book.live_sips).toBe(before.book.live_sips)
    await page.getByRole('button', { name: 'Clear all data…' }).click()
    await page.getByRole('button', { name: 'Delete everything' }).click()
    await expect.poll(async () => (await api<Stats>('stats:get')).book.live_sips).toBe(0)
    const settings = await api<{ thresholds: { min_failed_amount: number } }>('settings:get')
    expect(settings.thresholds.min_failed_amount).toBe(50000) // settings outlive the data
    await go('/')
    await page.getByTestId('empty-state').waitFor()

    const restoreFrom = async (file: string): Promise<void> => {
      await go('/settings')
      await page.getByRole('button', { name: 'Restore…' }).click()
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Choose backup…' }).click()])
      await chooser.setFiles(file)
    }
    const notABackup = path.join(host.dir, 'clients.json')
    fs.writeFileSync(notABackup, '[{"user_id": "1"}]')
    await restoreFrom(notABackup)
    await page.getByText('clients.json: not a Partner Dashboard database').waitFor()
    expect((await api<Stats>('stats:get')).book.live_sips).toBe(0)

    await restoreFrom(backup)
    await page.getByText('Backup restored').waitFor()
    // SPEC §5: which backup, and when it was made.
    await page
      .getByText(
        new RegExp(
          `^Restored from ${download.suggestedFilename().replaceAll('.', '\\.')} \\(backup made \\d{1,2} \\w{3} \\d{4}, \\d{2}:\\d{2}\\): `,
        ),
      )
      .waitFor()
    await page
      .getByTestId('restored-from')
      .getByText(
        new RegExp(
          `^Restored from ${download.suggestedFilename().replaceAll('.', '\\.')} \\(backup made \\d{1,2} \\w{3} \\d{4}, \\d{2}:\\d{2}\\)\\.$`,
        ),
      )
      .waitFor()
    await expect.poll(() => api<Stats>('stats:get')).toEqual(before)
    expect(await api<unknown[]>('opportunities:list', { states: ['contacted', 'converted', 'dismissed'] })).toEqual(followUpsBefore)
    await go('/dashboard')
    await expect.poll(async () => number(await page.getByTestId('count-failed_sips').innerText())).toBe(before.by_type.failed_sips.listed)
  })
})
