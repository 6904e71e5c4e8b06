import { useMemo, useRef, useState } from 'react'
import { Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core'
import { IconArrowDown, IconArrowUp, IconSearch } from '@tabler/icons-react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useLocation } from 'wouter'
import { OPPORTUNITY_TYPES, TYPE_LABELS, type AgentSummary, type OpportunityType } from '@shared/detection'
import { formatCount, formatInr } from '@shared/format'
import { useAgents, useAppInfo } from '../api/queries'
import { OpenData } from '../components/OpenData'
import { agentLabel } from '@shared/detection'
import { listHref } from '../logic/listState'
import classes from './Agents.module.css'

const ROW_HEIGHT = 42

type Column = { key: string; label: string; value: (a: AgentSummary) => number | string; money?: boolean; type?: OpportunityType }
const COLUMNS: Column[] = [
  { key: 'agent', label: 'Agent', value: (a) => agentLabel(a).toLowerCase() },
  { key: 'live_sips', label: 'Live SIPs', value: (a) => a.live_sips },
  { key: 'clients', label: 'Clients', value: (a) => a.clients },
  { key: 'total_invested', label: 'Invested', value: (a) => a.total_invested, money: true },
  { key: 'monthly_sip_amount', label: 'Monthly SIP', value: (a) => a.monthly_sip_amount, money: true },
  ...OPPORTUNITY_TYPES.map((type) => ({ key: type, label: TYPE_LABELS[type], value: (a: AgentSummary) => a.opportunities[type], type })),
  { key: 'annual_at_stake', label: '₹ a year at stake', value: (a) => a.annual_at_stake, money: true },
]

/** SPEC §3.6 agents table, virtualised and sortable on every column; a row opens that agent's list, a count that type of it. */
export function AgentsRoute() {
  const [, navigate] = useLocation()
  const agents = useAgents()
  const info = useAppInfo()
  const [sort, setSort] = useState<{ key: string; direction: 'asc' | 'desc' }>({ key: 'annual_at_stake', direction: 'desc' })
  const [filter, setFilter] = useState('')
  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase()
    const column = COLUMNS.find((c) => c.key === sort.key) ?? COLUMNS[0]
    const sign = sort.direction === 'asc' ? 1 : -1
    return (agents.data?.agents ?? [])
      .filter((a) => !needle || `${a.agent_name ?? ''} ${a.agent_external_id ?? ''} ${a.agent_id ?? ''}`.toLowerCase().includes(needle))
      .map((a) => ({ a, v: column.value(a) }))
      .sort((x, y) => sign * (x.v < y.v ? -1 : x.v > y.v ? 1 : 0))
      .map(({ a }) => a)
  }, [agents.data?.agents, sort, filter])
  const scroller = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  })
  const toggle = (key: string) =>
    setSort((s) =>
      s.key === key ? { key, direction: s.direction === 'asc' ? 'desc' : 'asc' } : { key, direction: key === 'agent' ? 'asc' : 'desc' },
    )
  const open = (a: AgentSummary, type?: OpportunityType) => navigate(listHref({ agent: a.agent_external_id, ...(type ? { type } : {}) }))
  // SPEC §5 (rev 3): before any import, a way to open one, never "no agent matches".
  if (info.data?.sip_count === 0) return <OpenData />
  return (
    <Stack gap="xs" h="calc(100dvh - var(--app-shell-header-height, 0px) - 2 * var(--mantine-spacing-md))">
      <Title order={3}>Agents</Title>
      <TextInput
        aria-label="Find an agent"
        placeholder="Find an agent: name or id"
        leftSection={<IconSearch size={14} />}
        value={filter}
        onChange={(e) => setFilter(e.currentTarget.value)}
        w={280}
      />
      <div className={classes.table} role="table" aria-label="Agents" aria-rowcount={rows.length} data-testid="agents-table">
        <div className={`${classes.row} ${classes.header}`} role="row">
          {COLUMNS.map((c) => (
            <UnstyledButton
              key={c.key}
              role="columnheader"
              className={classes.headerCell}
              onClick={() => toggle(c.key)}
              aria-sort={sort.key === c.key ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
            >
              <span>{c.label}</span>
              {sort.key === c.key ? sort.direction === 'asc' ? <IconArrowUp size={12} /> : <IconArrowDown size={12} /> : null}
            </UnstyledButton>
          ))}
        </div>
        <div ref={scroller} className={classes.body}>
          {agents.data && rows.length === 0 ? (
            <Text c="dimmed" p="xl" ta="center" data-testid="agents-none">
              {/* Right after a first import the figures are still being worked out (the import stores them after its commit). */}
              {agents.data.refreshing && !filter.trim() ? 'Working out the agents’ figures…' : 'No agent matches.'}
            </Text>
          ) : null}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const a = rows[item.index]
              const label = agentLabel(a)
              const ids = [a.agent_name ? a.agent_external_id : null, a.agent_id ? `#${a.agent_id}` : null].filter(Boolean).join(' ')
              return (
                <div
                  key={a.agent_external_id ?? 'none'}
                  role="row"
                  tabIndex={0}
                  className={`${classes.row} ${classes.bodyRow}`}
                  style={{ transform: `translateY(${item.start}px)` }}
                  onClick={() => open(a)}
                  onKeyDown={(e) => e.key === 'Enter' && e.target === e.currentTarget && open(a)}
                  data-testid="agent-row"
                >
                  <div role="cell" title={`${label}${ids ? ` · ${ids}` : ''}`}>
                    <div className={classes.ellipsis} style={{ fontWeight: 600 }}>
                      {label}
                    </div>
                    {ids ? (
                      <Text size="xs" c="dimmed" className={classes.ellipsis} lh={1.2} data-testid="agent-ids">
                        {ids}
                      </Text>
                    ) : null}
                  </div>
                  {COLUMNS.slice(1).map((c) => {
                    const value = c.value(a) as number
                    return c.type ? (
                      <UnstyledButton
                        key={c.key}
                        role="cell"
                        className={classes.count}
                        disabled={value === 0}
                        aria-label={`${formatCount(value)} ${TYPE_LABELS[c.type]} of ${label}`}
                        onClick={(e) => {
                          e.stopPropagation()
                          open(a, c.type)
                        }}
                        data-testid={`agent-count-${c.type}`}
                      >
                        {formatCount(value)}
                      </UnstyledButton>
                    ) : (
                      <div
                        key={c.key}
                        role="cell"
                        className={classes.num}
                        style={c.key === 'annual_at_stake' ? { fontWeight: 700 } : undefined}
                      >
                        {c.money ? formatInr(value) : formatCount(value)}
                      </div>
                    )
                  })}
                </div>
              )
            })}
          </div>
        </div>
      </div>
    </Stack>
  )
}
