import type Database from 'better-sqlite3'
import { oneRow, runSql, sql } from '../db/sql'
import { changedSet, creditedChanges, creditedSips } from './changes'

/**
 * SPEC §5a/§8.12: the book as an import left it, per agent, stored in the import's own transaction
 * (the figures never follow a later threshold change; undo removes them with the import).
 */

/**
 * After the import's derived results are rebuilt and its credits recorded, while `temp.before_opp_sips`
 * still holds the credited opportunities' SIPs at their values before it: per agent, the live SIPs,
 * Σ monthly of the active ones and those failing now (its `agent_books` row), clients with a final
 * warning, ₹ a year at stake (each SIP once per client, every opportunity), the follow-ups credited
 * and ₹ a year won.
 */
export function storeImportFigures(sqlite: Database.Database, setId: number): void {
  if (!oneRow(sqlite, sql`SELECT 1 FROM import_sets s WHERE s.id = ${setId} AND ${changedSet('s')}`)) return
  runSql(
    sqlite,
    sql`INSERT INTO import_figures (set_id, agent_external_id, live_sips, monthly_active, failing, final_warnings, at_stake, credited, won_annual)
    SELECT ${setId}, agent, sum(live), sum(monthly), sum(failing), sum(warnings), sum(stake), sum(credited), sum(won) FROM (
      SELECT agent_external_id AS agent, live_sips AS live, monthly_sip_amount AS monthly, failing,
        0 AS warnings, 0 AS stake, 0 AS credited, 0 AS won
      FROM agent_books
      UNION ALL
      SELECT agent_external_id, 0, 0, 0, count(final_warning_date), sum(at_stake), 0, 0 FROM client_stakes GROUP BY 1
      UNION ALL
      SELECT c.agent_external_id, 0, 0, 0, 0, 0, count(*), 0 FROM ${creditedChanges(setId)} GROUP BY 1
      UNION ALL
      SELECT w.agent_external_id, 0, 0, 0, 0, 0, 0, sum(w.top) FROM (
        SELECT b.agent_external_id, max(b.annual_value) AS top FROM ${creditedSips(setId)}
        GROUP BY b.user_id, b.agent_external_id, b.sip_meta_id) w
      GROUP BY 1
    ) GROUP BY agent`,
  )
}
