import { NativeSelect } from '@mantine/core'
import { FOLLOW_UP_STATES, STATE_LABELS, type FollowUpState, type Opportunity } from '@shared/detection'
import { useFollowUpUpdate } from '../api/queries'
import classes from '../routes/Opportunities.module.css'

/** Changes an opportunity's follow-up state in place: the system's own select, light enough for every list row. */
export function FollowUpStateSelect({ opportunity, size = 'xs' }: { opportunity: Opportunity; size?: 'xs' | 'sm' }) {
  const update = useFollowUpUpdate()
  // Clicks and keys on the select must not reach the list row, which would open the client.
  return (
    <div onClick={(event) => event.stopPropagation()} onKeyDown={(event) => event.stopPropagation()}>
      <NativeSelect
        size={size}
        w={size === 'xs' ? 124 : 160}
        aria-label={`Follow-up state of ${opportunity.client_name ?? opportunity.user_id}`}
        data={FOLLOW_UP_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] }))}
        value={opportunity.status}
        onChange={(event) =>
          update.mutate({
            type: opportunity.type,
            user_id: opportunity.user_id,
            agent_external_id: opportunity.agent_external_id,
            state: event.currentTarget.value as FollowUpState,
          })
        }
      />
    </div>
  )
}

const STATE_OPTIONS = FOLLOW_UP_STATES.map((s) => (
  <option key={s} value={s}>
    {STATE_LABELS[s]}
  </option>
))

/**
 * The same select in a list row: the browser's own element styled like the one above, and the
 * change handed to the list (one mutation for all rows rather than one per row).
 */
export function RowStateSelect({
  opportunity,
  onChange,
}: {
  opportunity: Opportunity
  onChange: (o: Opportunity, state: FollowUpState) => void
}) {
  // Clicks and keys on the select must not reach the list row, which would open the client.
  return (
    <select
      className={classes.stateSelect}
      aria-label={`Follow-up state of ${opportunity.client_name ?? opportunity.user_id}`}
      value={opportunity.status}
      onClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => event.stopPropagation()}
      onChange={(event) => onChange(opportunity, event.currentTarget.value as FollowUpState)}
    >
      {STATE_OPTIONS}
    </select>
  )
}
