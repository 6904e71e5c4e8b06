/**
 * `npm run screenshots`: imports the sample data into a fresh web host and saves every screen, in
 * light and dark, at 1366×768 (the most common laptop screen), to docs/screenshots/ (run `npm run build:web` first).
 */
import path from 'node:path'
import { launchChromium, pageApi, root, startWebHost } from '../e2e/support'

const SCREENS: [name: string, route: string][] = [
  ['today', '/today'],
  ['dashboard', '/dashboard'],
  ['opportunities', '/opportunities'],
  ['agents', '/agents'],
  ['results', '/results'],
  ['changes', '/changes'],
  ['imports', '/imports'],
  ['settings', '/settings'],
]

type Api = ReturnType<typeof pageApi>

/**
 * The morning before the second export, as an advisor lives it: the second month is taken back,
 * the clients with a failing SIP are reached, and the second month comes in again — so What
 * changed shows the follow-ups those calls earned.
 */
async function callBeforeTheNextExport(api: Api): Promise<void> {
  await api('import:undo', { confirm: true })
  type Row = { user_id: string; agent_external_id: string | null; currently_failing: boolean | null }
  const failing = (await api<{ rows: Row[] }>('opportunities:list', { type: 'failed_sips', limit: 400 })).rows
  for (const row of failing.filter((r) => r.currently_failing)) {
    await api('calls:log', {
      user_id: row.user_id,
      agent_external_id: row.agent_external_id,
      outcome: 'reached',
      note: 'Will fix the mandate',
    })
  }
  let job = await api<{ job_id: string; state: string; error: string | null }>('import:start', { sources: [{ kind: 'sample' }] })
  while (job.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 250))
    job = await api('import:status', { job_id: job.job_id })
  }
  if (job.state !== 'done') throw new Error(`the second month did not import again: ${job.error ?? job.state}`)
}

async function main(): Promise<void> {
  const host = await startWebHost()
  const browser = await launchChromium()
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-IN' })
    await page.goto(host.url)
    await page.getByRole('button', { name: 'Try sample data' }).click()
    await page.getByText('Import finished').waitFor({ timeout: 60_000 })
    await page.screenshot({ path: path.join(root, 'docs/screenshots/import-report-light.png') })
    await page.getByRole('button', { name: 'Done' }).click()
    const base = host.url.replace(/\?.*$/, '')
    const api = pageApi(page, () => host.token)
    await callBeforeTheNextExport(api)
    type Row = { type: string; user_id: string; agent_external_id: string | null }
    const first = (await api<{ rows: Row[] }>('opportunities:list', { type: 'failed_sips', limit: 1 })).rows[0]
    const firstClient = first.user_id
    // A follow-up and a call on that client, so its page shows the activity and call logs.
    const key = { type: first.type, user_id: first.user_id, agent_external_id: first.agent_external_id }
    await api('followup:update', { ...key, state: 'contacted' })
    await api('followup:update', { ...key, note: 'Mandate re-registered at the bank; watch the next debit' })
    const inThreeDays = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)
    await api('calls:log', {
      user_id: first.user_id,
      agent_external_id: first.agent_external_id,
      outcome: 'call_back',
      note: 'Asked to call after the 5th, once the salary is in',
      next_action_date: inThreeDays,
    })
    await page.reload() // the screens read what these requests changed, not what they had cached
    const screens = [
      ...SCREENS,
      ['client', `/clients/${firstClient}`],
      ['report', `/clients/${firstClient}/report`],
      ['report-client', `/clients/${firstClient}/report?for=client`],
    ] as [string, string][]
    for (const scheme of ['light', 'dark'] as const) {
      // Mantine keeps the theme in localStorage; the header's toggle switches it like a user would.
      await page.goto(`${base}#/`)
      const toggle = page.getByRole('button', { name: 'Toggle theme' })
      await toggle.waitFor()
      if ((await page.locator('html').getAttribute('data-mantine-color-scheme')) !== scheme) await toggle.click()
      await page.mouse.move(700, 760) // no tooltip in the pictures
      for (const [name, route] of screens) {
        await page.goto(`${base}#${route}`)
        await page.waitForLoadState('networkidle')
        await page.waitForTimeout(600)
        await page.screenshot({
          path: path.join(root, `docs/screenshots/${name}-${scheme}.png`),
          fullPage: name === 'client' || name.startsWith('report'),
        })
        if (name === 'today') {
          // Today's other view: the calls scheduled in the next 30 days, by date.
          await page.getByText(/^Scheduled: /).click()
          await page.mouse.move(700, 760)
          await page.getByTestId('today-group').first().waitFor()
          await page.waitForLoadState('networkidle')
          await page.waitForTimeout(600) // the switch's slide ends
          await page.screenshot({ path: path.join(root, `docs/screenshots/today-scheduled-${scheme}.png`) })
          await page.reload() // nothing of this view (focus, hover) carried to the next screens
        }
      }
    }
    await page.goto(`${base}#/`)
    await page.getByRole('button', { name: 'Toggle theme' }).click() // leave the profile light
    console.log(`saved ${(screens.length + 1) * 2 + 1} screenshots to docs/screenshots/`)
  } finally {
    await browser.close()
    await host.stop()
  }
}

main().catch((error: Error) => {
  console.error(error.message)
  process.exit(1)
})
