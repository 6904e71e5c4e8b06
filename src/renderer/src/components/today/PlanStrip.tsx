import { Badge, Button, Group, Progress, Text, Tooltip } from '@mantine/core'
import { IconCalendarEvent, IconUpload } from '@tabler/icons-react'
import { formatCount, formatDate } from '@shared/format'
import { useDayPlan, useRefillPlan, useScheduled } from '../../api/queries'
import { useImports } from '../../api/ImportProvider'

/**
 * SPEC §5 "The day's plan": the progress of the day's plan for the agent filter ("9 of 25 done"),
 * what is left for later, Refill plan, and the way to Scheduled with its count.
 */
export function PlanStrip({ agent }: { agent: string | null }) {
  const plan = useDayPlan(agent)
  const scheduled = useScheduled(agent)
  const refill = useRefillPlan()
  if (!plan.data) return null
  const { done, total, later, daily_calls: dailyCalls } = plan.data
  const open = plan.data.rows.filter((r) => !r.done && !r.resolved).length
  return (
    <Group gap="md" wrap="nowrap" data-testid="plan-strip">
      <Text size="sm" fw={600} data-testid="plan-progress">
        Today’s plan: {formatCount(done)} of {formatCount(total)} done
      </Text>
      <Progress value={total === 0 ? 0 : (100 * done) / total} w={120} size="sm" aria-label="Plan progress" />
      <Text size="sm" c="dimmed" data-testid="plan-later">
        Later: {formatCount(later)} more client{later === 1 ? '' : 's'}
      </Text>
      <Button
        size="compact-sm"
        variant="default"
        disabled={open >= dailyCalls || later === 0}
        loading={refill.isPending}
        onClick={() => refill.mutate(agent ? { agent } : {})}
      >
        Refill plan
      </Button>
      <Tooltip
        label={
          scheduled.data && scheduled.data.rows.length > 0
            ? scheduled.data.rows
                .slice(0, 8)
                .map((r) => `${formatDate(r.next_action_date!)}: ${r.client_name ?? r.user_id}`)
                .join(' · ')
            : 'No call scheduled in the next 30 days'
        }
        multiline
        w={360}
      >
        <Badge variant="light" color="gray" size="lg" tt="none" leftSection={<IconCalendarEvent size={14} />} data-testid="scheduled-count">
          Scheduled: {formatCount(scheduled.data?.total ?? 0)}
        </Badge>
      </Tooltip>
    </Group>
  )
}

/** SPEC §5 "No client list": shown while more than half of the queue has no name, on the plan's line (every row counts at 1366×768). */
export function NoClientListNotice({ rows }: { rows: readonly { client_name: string | null }[] }) {
  const { openExport } = useImports()
  const unnamed = rows.filter((r) => r.client_name === null).length
  if (rows.length === 0 || unnamed * 2 <= rows.length) return null
  return (
    <Group gap="xs" wrap="nowrap" data-testid="no-client-list">
      <Text size="sm" c="blue.7">
        Add your client list to see names and phone numbers.
      </Text>
      <Button size="compact-sm" leftSection={<IconUpload size={14} />} onClick={openExport}>
        Open…
      </Button>
    </Group>
  )
}
