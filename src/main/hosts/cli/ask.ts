import type { Db } from '../../db/open'
import { bookHandlers, type BookChannel } from '../../services'
import type { RequestInput, ResponseOf } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import { agentKey, severalAgentsError } from '../../../shared/agentKey'
import { checksAnswers, inThread, type Route } from '../dispatch'
import { version } from '../paths'

const routes = new WeakMap<Db, Route>()

/**
 * The CLI reads whole books (every Today row of a book): it checks its answers against the contract
 * under tests, or when `PARTNER_DASHBOARD_CHECK_ANSWERS=1` asks, not on every run.
 */
const checkAnswers = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env.PARTNER_DASHBOARD_CHECK_ANSWERS === '1' || (env.NODE_ENV === 'test' && checksAnswers(env))

/** The book's handlers over the command's connection, made once per connection. */
function routeOf(db: Db): Route {
  let route = routes.get(db)
  if (!route) {
    const handlers = bookHandlers(db, {
      host: 'cli',
      version: version(),
      capabilities: { open_dialogs: false, save_pdf: false, open_external: false, launch_files: false },
      // A command brings the book up to date before it reads (`openBook`); one that cannot be written stays as it is, and says so.
      onStale: () => {},
    })
    // The command prints the one-line refusal itself: no stack reaches the terminal.
    route = inThread(handlers, { logInternal: false, checkAnswers: checkAnswers() })
    routes.set(db, route)
  }
  return route
}

/**
 * A request answered as the desktop and web hosts answer it: checked against the contract and run
 * by the same handler through the same `dispatch`; a refusal is thrown as the `AppError` it was.
 */
export async function ask<C extends BookChannel>(db: Db, channel: C, request: RequestInput<C>): Promise<ResponseOf<C>> {
  const answer = await routeOf(db)(channel, request)
  if (!answer.ok) throw AppError.revive(answer.error)
  return answer.data as ResponseOf<C>
}

/**
 * SPEC §3.1 on the command line: the agent key of a command about one client — `--agent` as given,
 * else the user_id's one agent (with a live SIP, for a change); several are refused listing them.
 * Undefined when the book has no such client: the request then says so.
 */
export async function agentOption(db: Db, userId: string, agent: string | undefined, { live }: { live: boolean }): Promise<string | undefined> {
  if (agent !== undefined) return agent
  const agents = (await ask(db, 'client:agents', { user_id: userId })).filter((a) => !live || a.sips > 0)
  if (agents.length > 1) throw severalAgentsError(userId, agents, 'name one with --agent')
  return agents.length === 1 ? agentKey(agents[0].agent_external_id) : undefined
}
