import { useMemo, useState } from 'react'
import { Card, Stack, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core'
import { IconArrowDown, IconSearch } from '@tabler/icons-react'
import { useLocation } from 'wouter'
import { OPPORTUNITY_TYPES, TYPE_LABELS, type AgentSummary } from '@shared/detection'
import { formatCount, formatInr } from '@shared/format'
import { useAgents } from '../api/queries'
import { listHref } from '../logic/listState'

type SortKey = 'potential' | 'live_sips' | 'clients' | 'total_invested' | 'monthly_sip_amount'

const NUMERIC: { key: SortKey; label: string; money?: boolean }[] = [
  { key: 'live_sips', label: 'Live SIPs' },
  { key: 'clients', label: 'Clients' },
  { key: 'total_invested', label: 'Invested', money: true },
  { key: 'monthly_sip_amount', label: 'Monthly SIP', money: true },
]

/** SPEC §3.6 agents table; a row opens that agent's opportunities. */
export function AgentsRoute() {
  const [, navigate] = useLocation()
  const agents = useAgents()
  const [sort, setSort] = useState<SortKey>('potential')
  const [filter, setFilter] = useState('')
  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase()
    return [...(agents.data?.agents ?? [])]
      .filter((a) => !needle || `${a.agent_name ?? ''} ${a.agent_external_id ?? ''} ${a.agent_id ?? ''}`.toLowerCase().includes(needle))
      .sort((a, b) => b[sort] - a[sort])
  }, [agents.data?.agents, sort, filter])
  const header = (key: SortKey, label: string) => (
    <Table.Th ta="right">
      <UnstyledButton onClick={() => setSort(key)} fw={600} fz="sm">
        {label} {sort === key ? <IconArrowDown size={12} /> : null}
      </UnstyledButton>
    </Table.Th>
  )
  const open = (a: AgentSummary) => navigate(listHref({ agent: a.agent_external_id }))
  return (
    <Stack>
      <Title order={2}>Agents</Title>
      <TextInput
        placeholder="Find an agent"
        leftSection={<IconSearch size={14} />}
        value={filter}
        onChange={(e) => setFilter(e.currentTarget.value)}
        w={280}
      />
      <Card withBorder radius="md" p={0}>
        <Table.ScrollContainer minWidth={900} maxHeight="calc(100vh - 230px)">
          <Table highlightOnHover stickyHeader verticalSpacing="xs" data-testid="agents-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Agent</Table.Th>
                {NUMERIC.map((c) => header(c.key, c.label))}
                {OPPORTUNITY_TYPES.map((t) => (
                  <Table.Th key={t} ta="right">
                    {TYPE_LABELS[t]}
                  </Table.Th>
                ))}
                {header('potential', 'Potential')}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((a) => (
                <Table.Tr key={a.agent_external_id ?? 'none'} onClick={() => open(a)} style={{ cursor: 'pointer' }} data-testid="agent-row">
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {a.agent_name ?? a.agent_external_id ?? 'No agent'}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {a.agent_name ? a.agent_external_id : null} {a.agent_id ? `#${a.agent_id}` : null}
                    </Text>
                  </Table.Td>
                  {NUMERIC.map((c) => (
                    <Table.Td key={c.key} ta="right">
                      {c.money ? formatInr(a[c.key]) : formatCount(a[c.key])}
                    </Table.Td>
                  ))}
                  {OPPORTUNITY_TYPES.map((t) => (
                    <Table.Td key={t} ta="right">
                      {formatCount(a.opportunities[t])}
                    </Table.Td>
                  ))}
                  <Table.Td ta="right" fw={700}>
                    {formatInr(a.potential)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  )
}
