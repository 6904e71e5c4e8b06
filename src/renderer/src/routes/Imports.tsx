import { Badge, Card, Group, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { Link, useParams } from 'wouter'
import { formatBytes, formatCount, formatDateTime } from '@shared/format'
import { invoke } from '../api/transport'
import { ImportReportView } from '../components/ImportReportView'

/** Import history, newest first; a row opens that import's report. */
export function ImportsRoute() {
  const params = useParams<{ id?: string }>()
  const list = useQuery({ queryKey: ['import:list'], queryFn: () => invoke('import:list', {}) })
  const selected = params.id ? Number(params.id) : (list.data?.[0]?.importId ?? null)
  const report = useQuery({
    queryKey: ['import:report', selected],
    queryFn: () => invoke('import:report', { importId: selected! }),
    enabled: selected !== null,
  })
  return (
    <Stack>
      <Title order={2}>Imports</Title>
      {list.data?.length === 0 ? <Text c="dimmed">Nothing imported yet.</Text> : null}
      {list.data && list.data.length > 0 ? (
        <Card withBorder radius="md" p={0}>
          <Table highlightOnHover verticalSpacing="xs" data-testid="imports-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th>Imported</Table.Th>
                <Table.Th ta="right">Size</Table.Th>
                <Table.Th ta="right">Read</Table.Th>
                <Table.Th ta="right">New</Table.Th>
                <Table.Th ta="right">Updated</Table.Th>
                <Table.Th ta="right">Issues</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((row) => (
                <Table.Tr key={row.importId} bg={row.importId === selected ? 'var(--mantine-primary-color-light)' : undefined}>
                  <Table.Td>
                    <UnstyledButton component={Link} href={`/imports/${row.importId}`}>
                      <Text size="sm" fw={500}>
                        {row.file}
                      </Text>
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td>{formatDateTime(row.finishedAt)}</Table.Td>
                  <Table.Td ta="right">{formatBytes(row.sizeBytes)}</Table.Td>
                  <Table.Td ta="right">{formatCount(row.read)}</Table.Td>
                  <Table.Td ta="right">{formatCount(row.inserted)}</Table.Td>
                  <Table.Td ta="right">{formatCount(row.updated)}</Table.Td>
                  <Table.Td ta="right">
                    <Group gap={4} justify="flex-end">
                      {row.rejected > 0 ? (
                        <Badge color="red" variant="light">
                          {formatCount(row.rejected)} rejected
                        </Badge>
                      ) : null}
                      {row.warnings > 0 ? (
                        <Badge color="yellow" variant="light">
                          {formatCount(row.warnings)} warnings
                        </Badge>
                      ) : null}
                      {row.rejected + row.warnings === 0 ? (
                        <Text size="sm" c="dimmed">
                          none
                        </Text>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ) : null}
      {report.data ? (
        <Card withBorder radius="md">
          <ImportReportView report={report.data} />
        </Card>
      ) : null}
    </Stack>
  )
}
