import { Anchor, Card, Group, Stack, Text } from '@mantine/core'
import { IconArrowsDiff } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'wouter'
import { formatDate } from '@shared/format'
import { invoke } from '../api/transport'
import { ChangeTotalsLine, EventBadges } from './ImportReportView'

/** SPEC §7.1 on the dashboard: what the last export (the latest import not undone that brought SIPs) changed. */
export function SinceLastExport() {
  const last = useQuery({
    queryKey: ['changes:get', 'last export'],
    queryFn: () => invoke('changes:get', { last_export: true, limit: 1 }),
    retry: false,
  })
  const c = last.data
  if (!c || c.previous_as_of === null) return null
  return (
    <Card withBorder radius="md" data-testid="since-last-export">
      <Stack gap={6}>
        <Group justify="space-between">
          <Group gap="xs">
            <IconArrowsDiff size={18} stroke={1.6} />
            <Text fw={600}>
              Since the last export ({formatDate(c.previous_as_of)} → {formatDate(c.as_of)})
            </Text>
          </Group>
          <Anchor component={Link} href={`/changes/${c.import_id}`} size="sm">
            What changed
          </Anchor>
        </Group>
        <EventBadges counts={c.event_counts} />
        <ChangeTotalsLine totals={c.totals} />
      </Stack>
    </Card>
  )
}
