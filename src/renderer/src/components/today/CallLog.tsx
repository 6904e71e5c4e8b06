import { Badge, Group, Stack, Text } from '@mantine/core'
import { OUTCOME_LABELS, type Call, type CallOutcome } from '@shared/detection'
import { formatDate, formatDateTime } from '@shared/format'
import { OUTCOME_COLORS, formatWhen } from './callWords'

/** A call outcome as a small coloured dot and its word. */
export function OutcomeDot({ outcome }: { outcome: CallOutcome }) {
  return (
    <Badge variant="dot" color={OUTCOME_COLORS[outcome]} size="sm" radius="sm" tt="none" fw={500} style={{ flexShrink: 0 }}>
      {OUTCOME_LABELS[outcome]}
    </Badge>
  )
}

/** SPEC §4: a client's calls, newest first, as a quiet list: outcome, note, when, and the next date set. */
export function CallLog({ calls }: { calls: Call[] }) {
  if (calls.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No calls logged yet.
      </Text>
    )
  }
  return (
    <Stack gap="sm" data-testid="call-log">
      {calls.map((call) => (
        <Group key={call.id} gap="sm" align="flex-start" wrap="nowrap" data-testid="call-entry">
          <OutcomeDot outcome={call.outcome} />
          <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
            {call.note ? (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {call.note}
              </Text>
            ) : null}
            <Text size="xs" c="dimmed" title={formatDateTime(call.at)}>
              {formatWhen(call.at)}
              {call.next_action_date ? ` · next ${formatDate(call.next_action_date)}` : ''}
            </Text>
          </Stack>
        </Group>
      ))}
    </Stack>
  )
}
