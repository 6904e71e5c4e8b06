import { useState } from 'react'
import { Badge, Button, Card, Group, Stack, Text, Textarea } from '@mantine/core'
import { STATE_LABELS, type FollowUp, type Opportunity } from '@shared/detection'
import { formatDate, formatDateTime, formatInr } from '@shared/format'
import { useFollowUpUpdate } from '../api/queries'
import { FollowUpStateSelect } from './FollowUpStateSelect'
import { NextActionDateInput } from './NextActionDateInput'
import { formatWhen } from './today/callWords'
import { TypeBadge } from './TypeBadge'

type EventKind = FollowUp['events'][number]['kind']
const KIND_LABELS: Record<EventKind, string> = { state: 'Follow-up', next_action_date: 'Next action', note: 'Note' }
const KIND_COLORS: Record<EventKind, string> = { state: 'indigo', next_action_date: 'blue', note: 'gray' }

/** What a change set, as the log shows it: the new state, date or note. */
const describeEvent = (kind: EventKind, value: string | null): string =>
  value === null
    ? 'Cleared'
    : kind === 'state'
      ? STATE_LABELS[value as keyof typeof STATE_LABELS]
      : kind === 'next_action_date'
        ? formatDate(value)
        : value

/**
 * An opportunity's follow-up changes, newest first, as quiet as the call log beside them: a
 * dot with what changed, what it became, and when.
 */
function ActivityLog({ events }: { events: FollowUp['events'] }) {
  return (
    <Stack gap="sm" data-testid="activity-log">
      {events.map((event, i) => (
        <Group key={`${event.at}-${i}`} gap="sm" align="flex-start" wrap="nowrap" data-testid="activity-entry">
          <Badge variant="dot" color={KIND_COLORS[event.kind]} size="sm" radius="sm" tt="none" fw={500} style={{ flexShrink: 0 }}>
            {KIND_LABELS[event.kind]}
          </Badge>
          <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {describeEvent(event.kind, event.to_value)}
            </Text>
            <Text size="xs" c="dimmed" title={formatDateTime(event.at)}>
              {formatWhen(event.at)}
              {event.detail ? ` · ${event.detail}` : ''}
            </Text>
          </Stack>
        </Group>
      ))}
    </Stack>
  )
}

/** One opportunity of a client: what to say, its follow-up state, next action, note and history. */
export function FollowUpPanel({ opportunity, followUp }: { opportunity: Opportunity; followUp: FollowUp }) {
  const update = useFollowUpUpdate()
  const [note, setNote] = useState(followUp.note ?? '')
  const key = { type: opportunity.type, user_id: opportunity.user_id, agent_external_id: opportunity.agent_external_id }
  return (
    <Card withBorder radius="md" data-testid={`opportunity-${opportunity.type}`}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="xs">
            <TypeBadge type={opportunity.type} />
            <Text size="sm" c="dimmed">
              score {opportunity.score.toFixed(1)} · {formatInr(opportunity.annual_value)} a year
            </Text>
          </Group>
          <FollowUpStateSelect opportunity={opportunity} size="sm" />
        </Group>
        <Text>{opportunity.description}</Text>
        <Group align="flex-start">
          <NextActionDateInput
            value={followUp.next_action_date}
            onCommit={(date) => update.mutate({ ...key, next_action_date: date })}
            withStanding
            w={220}
            data-testid="next-action-input"
          />
          <Textarea
            label="Note"
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={1}
            maxRows={6}
            style={{ flex: 1 }}
          />
          <Button
            variant="default"
            disabled={note === (followUp.note ?? '')}
            onClick={() => update.mutate({ ...key, note: note.trim() || null })}
          >
            Save note
          </Button>
        </Group>
        {followUp.events.length > 0 ? <ActivityLog events={followUp.events} /> : null}
      </Stack>
    </Card>
  )
}
