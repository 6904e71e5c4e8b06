import { useMemo, useState } from 'react'
import { Select } from '@mantine/core'
import { formatCount } from '@shared/format'
import { useAgents } from '../../api/queries'
import { agentLabel } from '@shared/detection'
import { agentKey } from '@shared/agentKey'

interface Props {
  value: string | null
  onChange: (agent: string | null) => void
  w?: number
  'data-testid'?: string
}

/**
 * Pick one agent's clients; the agents (a long list, and a slow request on a large book) are read
 * only when the list is first opened or an agent is chosen already, so opening a screen does not wait for them.
 */
export function AgentFilter({ value, onChange, w = 260, 'data-testid': testId }: Props) {
  const [wanted, setWanted] = useState(value !== null)
  if (value !== null && !wanted) setWanted(true)
  const agents = useAgents({ enabled: wanted })
  const data = useMemo(
    () =>
      (agents.data?.agents ?? []).map((a) => ({
        value: agentKey(a.agent_external_id),
        label: `${agentLabel(a)} (${formatCount(a.clients)} clients)`,
      })),
    [agents.data],
  )
  return (
    <Select
      aria-label="Agent"
      placeholder="All agents"
      data={value && data.length === 0 ? [{ value, label: value }] : data}
      value={value}
      onChange={onChange}
      onDropdownOpen={() => setWanted(true)}
      nothingFoundMessage={agents.isFetching ? 'Loading agents…' : 'No agent found'}
      searchable
      clearable
      limit={200}
      w={w}
      size="sm"
      data-testid={testId}
    />
  )
}
