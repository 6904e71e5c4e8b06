import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

export const root = path.resolve(__dirname, '..')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export interface WebHost {
  url: string
  dbPath: string
  dir: string
  stop(): Promise<void>
}

/** Starts the real web host (`npm run web` without the build step), on a fresh database unless one is given. */
export async function startWebHost(options: { dbPath?: string } = {}): Promise<WebHost> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-e2e-'))
  const dbPath = options.dbPath ?? path.join(dir, 'e2e.sqlite')
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/main/hosts/web/index.ts', '--db', dbPath],
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

/** A request over the same contract the screens use (from the page, with its token cookie), to compare what they show. */
export const callContract = <T>(page: Page, channel: string, request: object = {}): Promise<T> =>
  page.evaluate(
    async ([c, r]) => {
      const res = await fetch(`api/${c}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(r) })
      return ((await res.json()) as { data: unknown }).data
    },
    [channel, request] as const,
  ) as Promise<T>
