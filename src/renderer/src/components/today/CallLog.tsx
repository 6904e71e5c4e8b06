import { useState } from 'react'
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

/** SPEC §8.11: how long after saving a call can be voided. */
const VOID_WITHIN_MS = 24 * 60 * 60 * 1000

/**
 * SPEC §4: a client's calls, newest first, as a quiet list: outcome, note, when, and the next date
 * set; a void call is marked, and the latest one saved within 24 hours has Undo.
 */
export function CallLog({ calls }: { calls: Call[] }) {
  const voidLast = useVoidLastCall()
  const latest = calls.find((c) => c.voided_at === null)
  const [shownAt] = useState(() => Date.now())
  const undoable = latest && shownAt - Date.parse(latest.at) < VOID_WITHIN_MS ? latest : null
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
          {call === undoable ? (
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
