import { Badge, Button, Group, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useVoidLastCall } from '../../api/queries'
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

/**
 * SPEC §4: a client's calls, newest first, as a quiet list: outcome, note, when, and the next date
 * set; a void call is marked, and the one that can still be voided (`voidCallId`, SPEC §8.11) has Undo.
 */
export function CallLog({ calls, voidCallId }: { calls: Call[]; voidCallId: number | null }) {
  const voidLast = useVoidLastCall()
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
          <Stack gap={2} style={{ minWidth: 0, flex: 1, opacity: call.voided_at ? 0.55 : 1 }}>
            {call.note ? (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {call.note}
              </Text>
            ) : null}
            <Text size="xs" c="dimmed" title={formatDateTime(call.at)}>
              {formatWhen(call.at)}
              {call.next_action_date ? ` · next ${formatDate(call.next_action_date)}` : ''}
              {call.voided_at ? ` · void since ${formatDateTime(call.voided_at)}` : ''}
            </Text>
          </Stack>
          {call.id === voidCallId ? (
            <Button
              size="compact-xs"
              variant="subtle"
              loading={voidLast.isPending}
              onClick={() =>
                voidLast.mutate(
                  { user_id: call.user_id, agent_external_id: call.agent_external_id },
                  {
                    onSuccess: () => notifications.show({ color: 'green', message: 'Call voided: its changes were put back' }),
                    onError: (error) => notifications.show({ color: 'red', title: 'Not voided', message: error.message }),
                  },
                )
              }
            >
              Undo
            </Button>
          ) : null}
        </Group>
      ))}
    </Stack>
  )
}
