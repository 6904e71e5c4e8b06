import { useState } from 'react'
import { Badge, Button, Card, Group, Stack, Text, Textarea, Timeline } from '@mantine/core'
import { TYPE_LABELS, type FollowUp, type Opportunity } from '@shared/detection'
import { formatDate, formatDateTime, formatInr } from '@shared/format'
import { useFollowUpUpdate } from '../api/queries'
import { FollowUpStateSelect, STATE_LABELS } from './FollowUpStateSelect'
import { NextActionDateInput } from './NextActionDateInput'

const KIND_LABELS = { state: 'State', next_action_date: 'Next action', note: 'Note' }

const describeEvent = (kind: keyof typeof KIND_LABELS, value: string | null): string =>
  value === null
    ? 'cleared'
    : kind === 'state'
      ? STATE_LABELS[value as keyof typeof STATE_LABELS]
      : kind === 'next_action_date'
        ? formatDate(value)
        : value

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
            <Badge variant="light">{TYPE_LABELS[opportunity.type]}</Badge>
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
        {followUp.events.length > 0 ? (
          <Timeline bulletSize={10} lineWidth={2} data-testid="activity-log">
            {followUp.events.map((event, i) => (
              <Timeline.Item key={`${event.at}-${i}`} title={`${KIND_LABELS[event.kind]}: ${describeEvent(event.kind, event.to_value)}`}>
                <Text size="xs" c="dimmed">
                  {formatDateTime(event.at)}
                  {event.from_value !== null ? ` · was ${describeEvent(event.kind, event.from_value)}` : ''}
                  {event.detail ? ` · ${event.detail}` : ''}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        ) : null}
      </Stack>
    </Card>
  )
}
