import { sql, type SqlFragment } from '../db/sql'
import type { FollowUpState } from '../../shared/detection'

/**
 * SPEC §3.1/§4: the follow-up words, as SQL over an opportunity `o` and its follow-up `f` (LEFT
 * JOINed: no follow-up means state `open`, no date). The one place each rule is written.
 */

/** Joins an opportunity `o` to its follow-up `f`. */
export const FOLLOW_UP_OF = 'f.type = o.type AND f.user_id = o.user_id AND f.agent_external_id = o.agent_external_id'

/** A follow-up state, bound as a value like any other. */
const state = (...states: FollowUpState[]): SqlFragment => sql.list(states)

const STATE = sql`coalesce(f.state, ${state('open')})`

/** Qualifies (it is in `opportunities`) and is `open` or `contacted`. */
export const ACTIVE = sql`${STATE} IN (${state('open', 'contacted')})`

/** Hidden from the default list: converted or dismissed. */
export const CLOSED = sql`${STATE} IN (${state('converted', 'dismissed')})`

/** Active with a next action date after `today`. */
export const snoozed = (today: string): SqlFragment => sql`(${ACTIVE} AND f.next_action_date IS NOT NULL AND f.next_action_date > ${today})`

/** What a default list shows: active and not snoozed. */
export const listed = (today: string): SqlFragment => sql`(${ACTIVE} AND NOT ${snoozed(today)})`

/** Active with a next action date before `today` (the calendar). */
export const overdue = (today: string): SqlFragment => sql`(${ACTIVE} AND f.next_action_date IS NOT NULL AND f.next_action_date < ${today})`

/** In the Today queue: open and not snoozed, or contacted with a next action date that has come. */
export const due = (today: string): SqlFragment =>
  sql`((${STATE} = ${state('open')} AND (f.next_action_date IS NULL OR f.next_action_date <= ${today}))
    OR (f.state = ${state('contacted')} AND f.next_action_date IS NOT NULL AND f.next_action_date <= ${today}))`
