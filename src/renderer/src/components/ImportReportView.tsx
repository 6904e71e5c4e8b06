import { Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { IconDownload, IconFileCheck } from '@tabler/icons-react'
import { issuesCsv } from '@shared/csv'
import { formatBytes, formatCount, formatDateTime } from '@shared/format'
import type { ImportReport } from '@shared/types'
import { downloadText } from '../api/download'
import { IssuesEmpty, IssuesTable } from './IssuesTable'

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
          {formatBytes(report.sizeBytes)} · {formatDateTime(report.finishedAt)}
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
      {report.sipRecords > 0 || report.clientRecords > 0 ? (
        <Text size="sm" c="dimmed">
          {formatCount(report.sipRecords)} SIP records and {formatCount(report.clientRecords)} client records accepted.
        </Text>
      ) : null}
      {report.issueCount === 0 ? (
        <IssuesEmpty />
      ) : (
        <>
          <Group justify="space-between">
            <Text size="sm">
              {formatCount(report.issueCount)} issue{report.issueCount === 1 ? '' : 's'}
              {report.issueCount > report.issues.length ? ` (first ${formatCount(report.issues.length)} listed)` : ''}
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
