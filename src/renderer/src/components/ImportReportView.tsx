import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { IconArrowsDiff, IconDownload, IconFileCheck } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'wouter'
import { eventCount, SIP_EVENTS, type ChangeTotals, type SipEventKind } from '@shared/changes'
import { issuesCsv } from '@shared/csv'
import { formatBytes, formatCount, formatDate, formatDateTime, formatInr, mappedAsSaved } from '@shared/format'
import type { ImportReport } from '@shared/types'
import { downloadText } from '../api/download'
import { invoke } from '../api/transport'
import { IssuesEmpty, IssuesTable } from './IssuesTable'

/** Colours of the SIP events (SPEC §7.1): good news green, bad news red. */
export const EVENT_COLORS: Record<SipEventKind, string> = {
  new_sip: 'teal',
  stepped_up: 'green',
  reduced: 'orange',
  stopped: 'red',
  started_failing: 'red',
  recovered: 'green',
  paused: 'yellow',
  resumed: 'teal',
  more_failed: 'orange',
}

/** The events of an import by kind, as badges; kinds that did not happen are left out. */
export function EventBadges({ counts }: { counts: Record<SipEventKind, number> }) {
  const happened = SIP_EVENTS.filter((e) => counts[e] > 0)
  if (happened.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No SIP changed.
      </Text>
    )
  return (
    <Group gap={6}>
      {happened.map((e) => (
        <Badge key={e} color={EVENT_COLORS[e]} variant="light" data-testid={`event-count-${e}`}>
          {eventCount(e, counts[e])}
        </Badge>
      ))}
    </Group>
  )
}

/** New / resolved / credited and ₹ a year won, in one line. */
export function ChangeTotalsLine({ totals }: { totals: ChangeTotals }) {
  return (
    <Text size="sm" data-testid="change-totals">
      <b>{formatCount(totals.new)}</b> new and <b>{formatCount(totals.resolved)}</b> resolved opportunities ·{' '}
      <b>{formatCount(totals.credited)}</b> follow-up{totals.credited === 1 ? '' : 's'} credited
      {totals.won_annual > 0 ? (
        <>
          {' '}
          · <b>{formatInr(totals.won_annual)}</b> a year won
        </>
      ) : null}
    </Text>
  )
}

/** SPEC §7.1: what an import changed, summed up, with a link to the full list. */
export function ImportChangesSummary({ importId }: { importId: number }) {
  const changes = useQuery({
    queryKey: ['changes:get', importId, 'summary'],
    queryFn: () => invoke('changes:get', { import_id: importId, limit: 1 }),
  })
  const c = changes.data
  if (!c) return null
  if (!c.changed)
    return (
      <Paper withBorder p="sm" radius="md" data-testid="import-changes">
        <Group gap="xs">
          <IconArrowsDiff size={18} stroke={1.6} />
          <Text fw={600} data-testid="nothing-changed">
            Nothing changed
          </Text>
          <Text size="sm" c="dimmed">
            Every record was already in the book as it is. The import is listed for the record only: it has no changes and nothing to undo.
          </Text>
        </Group>
      </Paper>
    )
  return (
    <Paper withBorder p="sm" radius="md" data-testid="import-changes">
      <Stack gap={6}>
        <Group justify="space-between">
          <Group gap="xs">
            <IconArrowsDiff size={18} stroke={1.6} />
            <Text fw={600}>
              {c.previous_as_of ? `What changed since the export of ${formatDate(c.previous_as_of)}` : 'What this first import brought'}
            </Text>
            {c.undone ? <Badge color="gray">Undone</Badge> : null}
          </Group>
          <Anchor component={Link} href={`/changes/${c.import_id}`} size="sm">
            See every change
          </Anchor>
        </Group>
        <EventBadges counts={c.event_counts} />
        <ChangeTotalsLine totals={c.totals} />
      </Stack>
    </Paper>
  )
}

const COUNTS = [
  ['read', 'Read', 'gray'],
  ['inserted', 'New', 'teal'],
  ['updated', 'Updated', 'blue'],
  ['unchanged', 'Unchanged', 'gray'],
  ['rejected', 'Rejected', 'red'],
  ['warnings', 'Warnings', 'yellow'],
] as const

/** One file's import report: counts first, then every rejected row and warning. */
export function ImportReportView({ report }: { report: ImportReport }) {
  return (
    <Stack gap="sm" data-testid="import-report" data-file={report.file}>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="xs" wrap="nowrap">
          <IconFileCheck size={20} stroke={1.6} />
          <Title order={4} lineClamp={1}>
            {report.file}
          </Title>
        </Group>
        <Text size="sm" c="dimmed">
          {formatBytes(report.size_bytes)} · {formatDateTime(report.finished_at)}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="xs">
        {COUNTS.map(([key, label, color]) => (
          <Paper key={key} withBorder p="xs" radius="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {label}
            </Text>
            <Text fz="xl" fw={700} c={report[key] > 0 && color !== 'gray' ? color : undefined} data-testid={`count-${key}`}>
              {formatCount(report[key])}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      {report.sip_records > 0 || report.client_records > 0 ? (
        <Text size="sm" c="dimmed">
          {formatCount(report.sip_records)} SIP records and {formatCount(report.client_records)} client records accepted.
          {report.mapping_saved_at ? <span data-testid="mapping-line"> The file's {mappedAsSaved(report.mapping_saved_at)}.</span> : null}
        </Text>
      ) : null}
      {report.issue_count === 0 ? (
        <IssuesEmpty />
      ) : (
        <>
          <Group justify="space-between">
            <Text size="sm">
              {formatCount(report.issue_count)} issue{report.issue_count === 1 ? '' : 's'}
              {report.issue_count > report.issues.length ? ` (first ${formatCount(report.issues.length)} listed)` : ''}
            </Text>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconDownload size={14} />}
              onClick={() => downloadText(`${report.file.replace(/\.[^.]+$/, '')}-issues.csv`, issuesCsv(report.issues))}
            >
              Save issues as CSV
            </Button>
          </Group>
          <IssuesTable issues={report.issues} />
        </>
      )}
    </Stack>
  )
}
