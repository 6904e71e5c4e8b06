import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { openDb } from '../src/main/db/open'
import { writeExport } from '../src/main/generator/write'
import { getChanges } from '../src/main/services/changes'
import { updateFollowUp } from '../src/main/services/followUps'
import { importFiles } from '../src/main/services/imports'
import type { ChangeSet, OpportunityChange } from '../src/shared/changes'

export const root = path.resolve(__dirname, '..')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export interface WebHost {
  /** The address the host printed, `?token=` included. */
  url: string
  /** The token, for requests a test makes itself (`Authorization: Bearer …`). */
  token: string
  dbPath: string
  dir: string
  stop(): Promise<void>
}

/** Starts the real web host (`npm run web` without the build step), on a fresh database unless one is given. */
export async function startWebHost(options: { dbPath?: string; port?: number } = {}): Promise<WebHost> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-e2e-'))
  const dbPath = options.dbPath ?? path.join(dir, 'e2e.sqlite')
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules/tsx/dist/cli.mjs'),
      'src/main/hosts/cli/index.ts',
      'web',
      '--db',
      dbPath,
      '--port',
      String(options.port ?? 0),
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`web host did not start: ${out}`)), 30_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /Listening on (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.on('exit', (code) => reject(new Error(`web host exited with ${code}: ${out}`)))
  })
  return {
    url,
    token: new URL(url).searchParams.get('token')!,
    dbPath,
    dir,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })

/**
 * A request over the same contract the screens use, made from inside `page` with the host's token,
 * so a test can compare what the screens show with what the API answers.
 */
export const pageApi =
  (page: Page, token: () => string) =>
  <T>(channel: string, request: object = {}): Promise<T> =>
    page.evaluate(
      async ([c, r, t]) => {
        const res = await fetch(`api/${c}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${t}` },
          body: JSON.stringify(r),
        })
        return ((await res.json()) as { data: unknown }).data
      },
      [channel, request, token()] as const,
    ) as Promise<T>

/** Opens `file` through the screen's file input and waits for the import's report. */
export async function importThroughTheScreen(page: Page, file: string): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(file)
  await page.getByText('Import finished').waitFor({ timeout: 60_000 })
}

/**
 * Two monthly exports of one generated book in `dir` (`sips` SIPs), and the opportunities month 2
 * credits or reopens (SPEC §4, §7.1) once every follow-up is contacted — found on a probe book of
 * their own, so a test knows what its screens should show credited or reopened.
 */
export async function twoMonthsWithCredits(
  dir: string,
  sips: number,
): Promise<{ month1: string; month2: string; credited: OpportunityChange[]; reopened: ChangeSet['reopened'] }> {
  const month1 = path.join(dir, 'sips-january.json')
  const month2 = path.join(dir, 'sips-february.json')
  await writeExport(month1, { sips, seed: 2026 })
  await writeExport(month2, { sips, seed: 2026, month: 2 })
  const probe = path.join(dir, 'probe.sqlite')
  openDb(probe).close()
  await importFiles(probe, [{ path: month1, name: 'm1' }])
  const db = openDb(probe)
  try {
    for (const o of db.sqlite.prepare('SELECT type, user_id, agent_external_id FROM opportunities').all() as OpportunityChange[])
      updateFollowUp(db, { ...o, agent_external_id: o.agent_external_id || null, state: 'contacted' })
    await importFiles(probe, [{ path: month2, name: 'm2' }])
    const changes = getChanges(db, { limit: 1000 })
    return { month1, month2, credited: changes.opportunities.filter((o) => o.credited), reopened: changes.reopened }
  } finally {
    db.close()
  }
}

/** The app in Chromium over a web host, as `openApp` starts it. */
export interface App {
  host: WebHost
  browser: Browser
  page: Page
  close(): Promise<void>
}

/** A web host (on a fresh database unless one is given) and Chromium showing the app at 1366×768 in en-IN; `close` ends both. */
export async function openApp(options: { dbPath?: string } = {}): Promise<App> {
  const host = await startWebHost(options)
  const browser = await launchChromium()
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-IN' })
  page.on('pageerror', (error) => console.error('page error:', error.message))
  await page.goto(host.url)
  return {
    host,
    browser,
    page,
    close: async () => {
      await browser.close()
      await host.stop()
    },
  }
}
