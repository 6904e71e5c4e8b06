import { ActionIcon, Card, Code, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core'
import { IconTrash } from '@tabler/icons-react'
import { notifications } from '@mantine/notifications'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { formatDateTime } from '@shared/format'
import type { SavedMapping } from '@shared/types'
import { refreshAfter } from '../api/queries'
import { invoke } from '../api/transport'

const COLUMNS_SHOWN = 6

function MappingRow({ saved, onDelete }: { saved: SavedMapping; onDelete: () => void }) {
  const more = saved.columns.length - COLUMNS_SHOWN
  return (
    <Paper withBorder p="xs" radius="sm" data-testid="saved-mapping">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={2}>
          <Text size="sm">
            {Object.entries(saved.mapping).map(([field, column], i) => (
              <span key={field}>
                {i > 0 ? ' · ' : ''}
                <Code>{field}</Code> ← “{column}”
              </span>
            ))}
          </Text>
          <Text size="xs" c="dimmed">
            Saved {formatDateTime(saved.saved_at)} for files with the columns {saved.columns.slice(0, COLUMNS_SHOWN).join(', ')}
            {more > 0 ? ` and ${more} more` : ''}
          </Text>
        </Stack>
        <Tooltip label="Delete this mapping: such files will ask again">
          <ActionIcon variant="subtle" color="red" aria-label="Delete mapping" onClick={onDelete}>
            <IconTrash size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </Paper>
  )
}

/** SPEC §2.5: the column mappings saved for sets of column names, each deletable. */
export function ColumnMappingsCard() {
  const queryClient = useQueryClient()
  const mappings = useQuery({ queryKey: ['mappings:list'], queryFn: () => invoke('mappings:list', {}) })
  const remove = (key: string): void => {
    invoke('mappings:delete', { columns_key: key })
      .then(() => refreshAfter(queryClient, 'mappings:delete'))
      .catch((error: Error) => notifications.show({ color: 'red', title: 'Not deleted', message: error.message }))
  }
  return (
    <Card withBorder radius="md" data-testid="mappings-card">
      <Title order={4}>Column mappings</Title>
      <Text size="sm" c="dimmed" mb="sm">
        When an export’s columns do not say which field they hold, the app asks once and reads files with the same columns that way from
        then on.
      </Text>
      {mappings.data?.length === 0 ? (
        <Text size="sm">No mapping saved.</Text>
      ) : (
        <Stack gap="xs">
          {mappings.data?.map((saved) => (
            <MappingRow key={saved.columns_key} saved={saved} onDelete={() => remove(saved.columns_key)} />
          ))}
        </Stack>
      )}
    </Card>
  )
}
