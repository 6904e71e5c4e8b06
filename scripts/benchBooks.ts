/** Books the benchmarks set up as an advisor would (`bench.ts`, `ui-bench.ts`). */
import { openDb } from '../src/main/db/open'
import { logCall } from '../src/main/services/calls'
import { parseRequest } from '../src/shared/contract'

/** One call reaching each client with an opportunity, as before the next export (so it can credit them). */
export function reachEveryClientDue(dbPath: string): void {
  const db = openDb(dbPath)
  const clients = db.sqlite.prepare('SELECT DISTINCT user_id, agent_external_id FROM opportunities').all() as {
    user_id: string
    agent_external_id: string | null
  }[]
  db.sqlite.transaction(() => {
    for (const { user_id, agent_external_id } of clients)
      logCall(db, parseRequest('calls:log', { user_id, agent_external_id: agent_external_id || null, outcome: 'reached' }))
  })()
  db.close()
}
