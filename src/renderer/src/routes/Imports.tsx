import { useState } from 'react'
import { Badge, Button, Card, Group, Modal, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconArrowBackUp } from '@tabler/icons-react'
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useParams } from 'wouter'
import { undoSummary, type ImportSetSummary } from '@shared/changes'
import { formatBytes, formatCount, formatDateTime } from '@shared/format'
import { invoke } from '../api/transport'
import { refreshAfter } from '../api/queries'
import { ImportChangesSummary, ImportReportView } from '../components/ImportReportView'

const sum = (set: ImportSetSummary, key: 'read' | 'inserted' | 'updated' | 'rejected' | 'warnings'): number =>
  set.files.reduce((total, f) => total + f[key], 0)

/** SPEC §7.2: takes back the most recent import not undone, after a confirmation. */
function UndoLastImport({ sets }: { sets: ImportSetSummary[] }) {
  const [confirming, setConfirming] = useState(false)
  const queryClient = useQueryClient()
  const target = sets.find((s) => !s.undone && s.changed)
  const undo = useMutation({
    mutationFn: () => invoke('import:undo', { confirm: true }),
    onSuccess: (result) => {
      setConfirming(false)
      notifications.show({
        color: 'teal',
        title: `Import #${result.import_id} undone`,
        message: `${undoSummary(result)}.`,
      })
      void refreshAfter(queryClient, 'import:undo')
    },
    onError: (error) => {
      setConfirming(false)
      notifications.show({ color: 'red', title: 'Nothing was undone', message: (error as Error).message, autoClose: false })
    },
  })
  return (
    <>
      <Button
        variant="default"
        leftSection={<IconArrowBackUp size={16} />}
        disabled={!target}
        title={target && !target.undoable ? 'Undo is kept only for the last few imports' : undefined}
        onClick={() => setConfirming(true)}
      >
        Undo last import
      </Button>
      <Modal opened={confirming && !!target} onClose={() => setConfirming(false)} title="Undo the last import?" centered>
        {target ? (
          <Stack>
            <Text size="sm">
              Import #{target.import_id} ({target.files.map((f) => f.file).join(', ')}, {formatDateTime(target.finished_at)}) will be taken
              back: the SIPs, their history and the clients return to what they were before it, and the opportunities are recalculated.
            </Text>
            <Text size="sm">
              Every follow-up, call and note stays. Follow-ups this import credited go back to contacted, unless they changed since.
            </Text>
            {undo.isPending ? (
              <Text size="sm" c="dimmed" data-testid="undo-pending">
                Undoing… this takes about as long as the import did. Every screen shows the book as it is until the undo is complete.
              </Text>
            ) : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(false)}>
                Keep it
              </Button>
              <Button color="red" loading={undo.isPending} onClick={() => undo.mutate()} data-testid="confirm-undo">
                Undo import #{target.import_id}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>
    </>
  )
}

/** Import history, newest first, one row per import (the files opened together); a row opens its changes and reports. */
export function ImportsRoute() {
  const params = useParams<{ id?: string }>()
  const list = useQuery({ queryKey: ['import:list'], queryFn: () => invoke('import:list', {}) })
  const selectedId = params.id ? Number(params.id) : (list.data?.[0]?.import_id ?? null)
  const selected = list.data?.find((s) => s.import_id === selectedId) ?? null
  const reports = useQueries({
    queries: (selected?.files ?? []).map((f) => ({
      queryKey: ['import:report', f.import_id],
      queryFn: () => invoke('import:report', { import_id: f.import_id }),
    })),
  })
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Imports</Title>
        {list.data && list.data.length > 0 ? <UndoLastImport sets={list.data} /> : null}
      </Group>
      {list.data?.length === 0 ? <Text c="dimmed">Nothing imported yet.</Text> : null}
      {list.data && list.data.length > 0 ? (
        <Card withBorder radius="md" p={0}>
          <Table highlightOnHover verticalSpacing="xs" data-testid="imports-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Import</Table.Th>
                <Table.Th>Files</Table.Th>
                <Table.Th>Imported</Table.Th>
                <Table.Th ta="right">Read</Table.Th>
                <Table.Th ta="right">New</Table.Th>
                <Table.Th ta="right">Updated</Table.Th>
                <Table.Th ta="right">Issues</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((set) => (
                <Table.Tr
                  key={set.import_id}
                  data-testid="import-row"
                  data-undone={set.undone}
                  bg={set.import_id === selectedId ? 'var(--mantine-primary-color-light)' : undefined}
                  c={set.undone ? 'dimmed' : undefined}
                >
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <UnstyledButton component={Link} href={`/imports/${set.import_id}`}>
                        <Text size="sm" fw={500} td={set.undone ? 'line-through' : undefined}>
                          #{set.import_id}
                        </Text>
                      </UnstyledButton>
                      {set.undone ? (
                        <Badge color="gray" variant="light" size="sm">
                          undone
                        </Badge>
                      ) : null}
                      {set.changed ? null : (
                        <Badge color="gray" variant="outline" size="sm" data-testid="nothing-changed">
                          nothing changed
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {set.files.map((f) => (
                      <Text key={f.import_id} size="sm" lineClamp={1} title={`${f.file} · ${formatBytes(f.size_bytes)}`}>
                        {f.file}
                      </Text>
                    ))}
                  </Table.Td>
                  <Table.Td>{formatDateTime(set.finished_at)}</Table.Td>
                  <Table.Td ta="right">{formatCount(sum(set, 'read'))}</Table.Td>
                  <Table.Td ta="right">{formatCount(sum(set, 'inserted'))}</Table.Td>
                  <Table.Td ta="right">{formatCount(sum(set, 'updated'))}</Table.Td>
                  <Table.Td ta="right">
                    <Group gap={4} justify="flex-end">
                      {sum(set, 'rejected') > 0 ? (
                        <Badge color="red" variant="light">
                          {formatCount(sum(set, 'rejected'))} rejected
                        </Badge>
                      ) : null}
                      {sum(set, 'warnings') > 0 ? (
                        <Badge color="yellow" variant="light">
                          {formatCount(sum(set, 'warnings'))} warnings
                        </Badge>
                      ) : null}
                      {sum(set, 'rejected') + sum(set, 'warnings') === 0 ? (
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
      {selected ? <ImportChangesSummary importId={selected.import_id} /> : null}
      {reports.map((report) =>
        report.data ? (
          <Card key={report.data.import_id} withBorder radius="md">
            <ImportReportView report={report.data} />
          </Card>
        ) : null,
      )}
    </Stack>
  )
}
