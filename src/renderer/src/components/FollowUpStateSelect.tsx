import { Select } from '@mantine/core'
import { FOLLOW_UP_STATES, type FollowUpState, type Opportunity } from '@shared/detection'
import { useFollowUpUpdate } from '../api/queries'

export const STATE_LABELS: Record<FollowUpState, string> = {
  open: 'Open',
  contacted: 'Contacted',
  converted: 'Converted',
  dismissed: 'Dismissed',
}

/** Changes an opportunity's follow-up state in place. */
export function FollowUpStateSelect({ opportunity, size = 'xs' }: { opportunity: Opportunity; size?: 'xs' | 'sm' }) {
  const update = useFollowUpUpdate()
  // The dropdown renders in a portal, but React still bubbles its clicks and keys up to the
  // list row, which would open the client: stop them here.
  return (
    <div onClick={(event) => event.stopPropagation()} onKeyDown={(event) => event.stopPropagation()}>
      <Select
        size={size}
        w={size === 'xs' ? 124 : 160}
        aria-label={`Follow-up state of ${opportunity.client_name ?? opportunity.user_id}`}
        data={FOLLOW_UP_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] }))}
        value={opportunity.status}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
        onChange={(value) =>
          value &&
          update.mutate({
            type: opportunity.type,
            user_id: opportunity.user_id,
            agent_external_id: opportunity.agent_external_id,
            state: value as FollowUpState,
          })
        }
      />
    </div>
  )
}
