import { Button, Group, Progress, Text } from '@mantine/core'
import { IconCircleCheck, IconUpload } from '@tabler/icons-react'
import type { TodayPlan } from '@shared/detection'
import { formatCount } from '@shared/format'
import { useRefillPlan } from '../../api/queries'
import { useImports } from '../../api/ImportProvider'

/**
 * SPEC §5 "The day's plan": its progress for the agent filter ("9 of 25 done") and Refill plan; once
 * every client of the plan is done or resolved, "Plan done".
 */
export function PlanStrip({ plan, agent }: { plan: TodayPlan; agent: string | null }) {
  const refill = useRefillPlan()
  const { done, total, later, daily_calls: dailyCalls } = plan
  const open = plan.rows.filter((r) => !r.done && !r.resolved).length
  return (
    <Group gap="md" wrap="nowrap" data-testid="plan-strip">
      <Text size="sm" fw={600} data-testid="plan-progress">
        {formatCount(done)} of {formatCount(total)} done
      </Text>
      {total > 0 && open === 0 ? (
        // The day's end, where the bar was (full, it said nothing more); the header counts the clients still to call.
        <Group gap={4} wrap="nowrap" w={120} data-testid="plan-done">
          <IconCircleCheck size={16} color="var(--mantine-color-teal-7)" />
          <Text size="sm" c="teal.8" fw={600}>
            Plan done
          </Text>
        </Group>
      ) : (
        <Progress value={total === 0 ? 0 : (100 * done) / total} w={120} size="sm" aria-label="Plan progress" />
      )}
      <Button
        size="compact-sm"
        variant="default"
        disabled={open >= dailyCalls || later === 0}
        loading={refill.isPending}
        onClick={() => refill.mutate(agent ? { agent } : {})}
      >
        Refill plan
      </Button>
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
