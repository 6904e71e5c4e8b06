/**
 * `npm run bench:main-thread -- --db BOOK [--rounds 3]`: the host thread's event-loop delay
 * (`monitorEventLoopDelay`) while the heaviest reads run — stats, agents and a 1,000-row export page
 * of the opportunities — answered as the desktop and web hosts answer them (`startServices`: the
 * host's thread routes, a database worker runs the SQL), and, for comparison, with the same
 * services on the host's own thread (`createServices`, as the hosts did before). Rounds alternate
 * between the two, because this machine's load changes by the minute. BOOK is an imported book
 * (e.g. 1,000,000 SIPs: `npm run generate`, then `npm run cli -- import … --db BOOK`).
 */
import os from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { openDb } from '../src/main/db/open'
import { startServices } from '../src/main/hosts/bookThread'
import { inThread, type Route } from '../src/main/hosts/dispatch'
import { createServices } from '../src/main/services'

const { values } = parseArgs({ options: { db: { type: 'string' }, rounds: { type: 'string', default: '3' } } })
if (!values.db) throw new Error('usage: npm run bench:main-thread -- --db BOOK [--rounds N]')
const book = values.db
const host = { host: 'web', version: '0', resourcesDir: '.' } as const

const READS = [
  ['stats:get', {}],
  ['agents:list', {}],
  ['opportunities:list', { limit: 1000 }],
] as const

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The delay over the reads, from a little before they are asked for until a little after the last answer (a loop held the whole time would otherwise leave no sample). */
async function measure(route: Route | null): Promise<{ p50: number; p99: number; max: number; readsMs: number }> {
  const lag = monitorEventLoopDelay({ resolution: 1 })
  lag.enable()
  await settle(50)
  const started = performance.now()
  // As the renderer asks for them: all at once.
  const answers = route ? await Promise.all(READS.map(([channel, request]) => route(channel, request))) : []
  const readsMs = performance.now() - started
  await settle(50)
  lag.disable()
  for (const answer of answers) if (!answer.ok) throw new Error(answer.error.message)
  const ms = (ns: number): number => Math.round(ns / 1e5) / 10
  return { p50: ms(lag.percentile(50)), p99: ms(lag.percentile(99)), max: ms(lag.max), readsMs: Math.round(readsMs) }
}

async function onHostThread(): Promise<Awaited<ReturnType<typeof measure>>> {
  const db = openDb(book)
  try {
    return await measure(inThread(createServices({ db, ...host }).handlers, { checkAnswers: false }))
  } finally {
    db.close()
  }
}

async function inWorker(): Promise<Awaited<ReturnType<typeof measure>>> {
  const services = await startServices({ dbPath: book, checkAnswers: false, ...host })
  try {
    return await measure(services.route)
  } finally {
    await services.close()
  }
}

async function main(): Promise<void> {
  console.log(
    `book ${book}; load average ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores`,
  )
  console.log('where the SQL runs | event-loop delay p50 / p99 / max (ms) | the three reads took (ms)')
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [name, run] of [
      ['no reads (the machine noise)', () => measure(null)],
      ['host thread (before)', onHostThread],
      ['database worker (after)', inWorker],
    ] as const) {
      const { p50, p99, max, readsMs } = await run()
      console.log(`${name} | ${p50} / ${p99} / ${max} | ${readsMs}`)
    }
  }
  console.log(
    `load average after: ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  )
}

void main()
