import type { Db } from '../db/open'
import { writeTransaction } from '../db/write'

/** Every table `clearData` empties: the imported book, what was derived from it, and what the user did with it. */
const BOOK_TABLES = [
  'opportunity_sips',
  'client_stakes',
  'opportunities',
  'derived',
  'calls',
  'follow_up_events',
  'follow_ups',
  'sip_events',
  'opportunity_changes',
  'undo_sips',
  'undo_sip_history',
  'undo_clients',
  'import_sets',
  'import_issues',
  'imports',
  'sip_history',
  'sips',
  'clients',
] as const

/** Removes every imported record, import report, follow-up and call, then shrinks the file. Settings stay. */
export function clearData(db: Db): { cleared: true } {
  writeTransaction(db, () => {
    for (const table of BOOK_TABLES) db.sqlite.prepare(`DELETE FROM ${table}`).run()
  })
  db.sqlite.exec('VACUUM')
  return { cleared: true }
}
