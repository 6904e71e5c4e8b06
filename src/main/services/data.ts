import type { Db } from '../db/open'
import * as schema from '../db/schema'
import { runSql, sql } from '../db/sql'
import { writeTransaction } from '../db/write'
import { queueChangedForAll } from './queue'

/** Every table `clearData` empties: the imported book, what was derived from it, and what the user did with it. */
const BOOK_TABLES = [
  schema.opportunitySips,
  schema.clientStakes,
  schema.agentBooks,
  schema.opportunities,
  schema.derived,
  schema.calls,
  schema.clientLanguages,
  schema.messages,
  schema.dayPlanClients,
  schema.dayPlans,
  schema.reopenings,
  schema.followUpEvents,
  schema.followUps,
  schema.sipEvents,
  schema.opportunityChanges,
  schema.importFigures,
  schema.undoSips,
  schema.undoSipHistory,
  schema.undoClients,
  schema.importSets,
  schema.importIssues,
  schema.imports,
  schema.sipHistory,
  schema.sips,
  schema.clients,
]

/** Removes every imported record, import report, follow-up and call, then shrinks the file. Settings stay. */
export function clearData(db: Db): { cleared: true } {
  writeTransaction(db, () => {
    for (const table of BOOK_TABLES) db.orm.delete(table).run()
    queueChangedForAll(db)
  })
  runSql(db.sqlite, sql`VACUUM`)
  return { cleared: true }
}
