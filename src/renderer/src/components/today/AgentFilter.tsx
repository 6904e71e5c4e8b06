import { useState } from 'react'
import { Select } from '@mantine/core'
import { formatCount } from '@shared/format'
import { useAgents } from '../../api/queries'

/** Pick one agent's clients; the agents are read only when the list is first opened. */
export function AgentFilter({ value, onChange }: { value: string | null; onChange: (agent: string | null) => void }) {
  const [wanted, setWanted] = useState(value !== null)
  const agents = useAgents({ enabled: wanted })
  const data = (agents.data?.agents ?? []).map((a) => ({
    value: a.agent_external_id ?? '',
    label: `${a.agent_name ?? a.agent_external_id ?? 'No agent'} (${formatCount(a.clients)} clients)`,
  }))
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
      w={260}
      size="sm"
    />
  )
}
