import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { formatCount } from '@shared/format'
import { invoke } from '../api/transport'
import { OpenData } from '../components/OpenData'

/** The morning view. Until a book is imported it is the first-run screen. */
export function DashboardRoute() {
  const info = useQuery({ queryKey: ['app:info'], queryFn: () => invoke('app:info', {}) })
  if (!info.data) return null
  if (info.data.sipCount === 0) return <OpenData />
  const cards = [
    ['SIPs', info.data.sipCount],
    ['Clients with contact details', info.data.clientCount],
    ['Imports', info.data.importCount],
  ] as const
  return (
    <Stack>
      <Title order={2}>Dashboard</Title>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {cards.map(([label, value]) => (
          <Card key={label} withBorder radius="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {label}
            </Text>
            <Text fz={28} fw={700} data-testid={`book-${label.split(' ')[0].toLowerCase()}`}>
              {formatCount(value)}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  )
}
