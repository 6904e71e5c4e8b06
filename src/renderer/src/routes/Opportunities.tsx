import { useEffect, useMemo, useRef, useState } from 'react'
import {
  Badge,
  Button,
  Card,
  Group,
  MultiSelect,
  NumberInput,
  RangeSlider,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconArrowDown, IconArrowUp, IconDownload, IconSearch } from '@tabler/icons-react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useLocation, useSearch } from 'wouter'
import { PAGE_LIMIT, type OpportunityQuery } from '@shared/contract'
import { opportunitiesCsv } from '@shared/csv'
import { FOLLOW_UP_STATES, OPPORTUNITY_TYPES, TYPE_LABELS, type FollowUpState, type Opportunity } from '@shared/detection'
import { formatCount, formatDate, formatInr } from '@shared/format'
import { downloadText } from '../api/download'
import { useAgents, useOpportunityPages } from '../api/queries'
import { invoke } from '../api/transport'
import { FollowUpStateSelect, STATE_LABELS } from '../components/FollowUpStateSelect'
import classes from './Opportunities.module.css'

type SortKey = NonNullable<OpportunityQuery['sort']>

const COLUMNS: { key: SortKey | null; label: string; numeric?: boolean }[] = [
  { key: 'score', label: 'Score', numeric: true },
  { key: 'client', label: 'Client' },
  { key: 'type', label: 'Opportunity' },
  { key: 'agent', label: 'Agent' },
  { key: 'current_sip_amount', label: 'Monthly SIP', numeric: true },
  { key: 'potential_value', label: 'Potential', numeric: true },
  { key: 'last_activity_date', label: 'Last paid', numeric: true },
  { key: 'status', label: 'Follow-up' },
]

const TYPE_COLORS = { no_sip_increase: 'indigo', failed_sips: 'red', high_value_inactive: 'yellow' } as const
const ROW_HEIGHT = 60

/** Every opportunity to act on, filtered, sorted and scrolled in pages from main. */
export function OpportunitiesRoute() {
  const params = new URLSearchParams(useSearch())
  const [, navigate] = useLocation()
  const [type, setType] = useState<string>(params.get('type') ?? 'all')
  const [agent, setAgent] = useState<string | null>(params.get('agent'))
  const [scores, setScores] = useState<[number, number]>([0, 10])
  const [minPotential, setMinPotential] = useState<number | ''>('')
  const [states, setStates] = useState<string[]>([])
  const [showSnoozed, setShowSnoozed] = useState(false)
  const [overdue, setOverdue] = useState(params.get('overdue') === '1')
  const [search, setSearch] = useState(params.get('search') ?? '')
  const [sort, setSort] = useState<{ key: SortKey; direction: 'asc' | 'desc' }>({ key: 'score', direction: 'desc' })
  const [debouncedSearch] = useDebouncedValue(search, 250)
  const [debouncedScores] = useDebouncedValue(scores, 200)
  const agents = useAgents()

  const query = useMemo<Omit<OpportunityQuery, 'limit' | 'offset'>>(
    () => ({
      type: type as OpportunityQuery['type'],
      ...(agent ? { agent } : {}),
      ...(debouncedScores[0] > 0 ? { min_score: debouncedScores[0] } : {}),
      ...(debouncedScores[1] < 10 ? { max_score: debouncedScores[1] } : {}),
      ...(minPotential !== '' && minPotential > 0 ? { min_potential: minPotential } : {}),
      ...(states.length > 0 ? { states: states as FollowUpState[] } : {}),
      ...(showSnoozed ? { show_snoozed: true } : {}),
      ...(overdue ? { overdue: true } : {}),
      ...(debouncedSearch.trim() ? { search: debouncedSearch.trim() } : {}),
      sort: sort.key,
      direction: sort.direction,
    }),
    [type, agent, debouncedScores, minPotential, states, showSnoozed, overdue, debouncedSearch, sort],
  )
  const pages = useOpportunityPages(query)
  const rows = useMemo(() => pages.data?.pages.flatMap((p) => p.rows) ?? [], [pages.data])
  const total = pages.data?.pages[0]?.total ?? 0

  const scroller = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  })
  const items = virtualizer.getVirtualItems()
  const lastIndex = items.length > 0 ? items[items.length - 1].index : -1
  useEffect(() => {
    if (lastIndex >= rows.length - 40 && pages.hasNextPage && !pages.isFetchingNextPage) void pages.fetchNextPage()
  }, [lastIndex, rows.length, pages])
  useEffect(() => {
    // scrollTo returns a promise in current Chromium: never hand it back to React as a cleanup.
    void scroller.current?.scrollTo({ top: 0 })
  }, [query])

  const toggleSort = (key: SortKey) =>
    setSort((current) =>
      current.key === key
        ? { key, direction: current.direction === 'desc' ? 'asc' : 'desc' }
        : { key, direction: key === 'client' || key === 'agent' || key === 'type' || key === 'status' ? 'asc' : 'desc' },
    )

  const [exporting, setExporting] = useState(false)
  const exportCsv = async () => {
    setExporting(true)
    try {
      const all: Opportunity[] = []
      for (let offset = 0; offset === 0 || offset < total; offset += PAGE_LIMIT) {
        const page = await invoke('opportunities:list', { ...query, limit: PAGE_LIMIT, offset })
        all.push(...page.rows)
        if (page.rows.length < PAGE_LIMIT) break
      }
      downloadText(`opportunities-${type}-${pages.data?.pages[0]?.as_of ?? 'export'}.csv`, opportunitiesCsv(all))
    } finally {
      setExporting(false)
    }
  }

  const agentOptions = (agents.data?.agents ?? []).map((a) => ({
    value: a.agent_external_id ?? '',
    label: `${a.agent_name ?? a.agent_external_id ?? 'No agent'} (${formatCount(a.clients)} clients)`,
  }))

  return (
    <Stack gap="md" h="calc(100vh - 56px - 2 * var(--mantine-spacing-lg))">
      <Group justify="space-between">
        <Title order={2}>Opportunities</Title>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          onClick={() => void exportCsv()}
          loading={exporting}
          disabled={total === 0}
        >
          Export CSV
        </Button>
      </Group>
      <SegmentedControl
        value={type}
        onChange={setType}
        data={[{ value: 'all', label: 'All' }, ...OPPORTUNITY_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))]}
        aria-label="Opportunity type"
        style={{ alignSelf: 'flex-start' }}
      />
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label="Client"
          placeholder="Name, phone, email, id"
          leftSection={<IconSearch size={14} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={220}
        />
        <Select
          label="Agent"
          placeholder="All agents"
          data={agentOptions}
          value={agent}
          onChange={setAgent}
          searchable
          clearable
          w={240}
          limit={200}
        />
        <Stack gap={4} w={180}>
          <Text size="sm" fw={500}>
            Score {scores[0]}–{scores[1]}
          </Text>
          <RangeSlider min={0} max={10} step={0.5} minRange={0} value={scores} onChange={setScores} label={null} aria-label="Score range" />
        </Stack>
        <NumberInput
          label="Min. potential (₹)"
          value={minPotential}
          onChange={(v) => setMinPotential(v === '' ? '' : Number(v))}
          min={0}
          step={1000}
          thousandSeparator=","
          w={160}
        />
        <MultiSelect
          data-testid="state-filter"
          label="Follow-up"
          placeholder={states.length ? undefined : 'Open & contacted'}
          data={FOLLOW_UP_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] }))}
          value={states}
          onChange={setStates}
          clearable
          w={230}
        />
        <Stack gap={6} pb={4}>
          <Switch label="Overdue only" checked={overdue} onChange={(e) => setOverdue(e.currentTarget.checked)} size="xs" />
          <Switch label="Show snoozed" checked={showSnoozed} onChange={(e) => setShowSnoozed(e.currentTarget.checked)} size="xs" />
        </Stack>
      </Group>
      <Text size="sm" c="dimmed" data-testid="result-count">
        {pages.isPending ? 'Loading…' : `${formatCount(total)} opportunit${total === 1 ? 'y' : 'ies'}`}
      </Text>
      <Card withBorder radius="md" p={0} className={classes.table} role="table" aria-label="Opportunities">
        <div className={`${classes.row} ${classes.header}`} role="row">
          {COLUMNS.map((column) => (
            <UnstyledButton
              key={column.label}
              role="columnheader"
              className={classes.headerCell}
              data-numeric={column.numeric || undefined}
              onClick={() => column.key && toggleSort(column.key)}
              aria-sort={sort.key === column.key ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
            >
              {column.label}
              {sort.key === column.key ? sort.direction === 'asc' ? <IconArrowUp size={12} /> : <IconArrowDown size={12} /> : null}
            </UnstyledButton>
          ))}
        </div>
        <div ref={scroller} className={classes.body} data-testid="opportunity-rows">
          {total === 0 && !pages.isPending ? (
            <Text c="dimmed" p="xl" ta="center">
              No opportunities match these filters.
            </Text>
          ) : null}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const o = rows[item.index]
              return (
                <div
                  key={item.key}
                  role="row"
                  tabIndex={0}
                  className={`${classes.row} ${classes.bodyRow}`}
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                  onClick={() => navigate(`/clients/${encodeURIComponent(o.user_id)}`)}
                  onKeyDown={(e) => e.key === 'Enter' && navigate(`/clients/${encodeURIComponent(o.user_id)}`)}
                  data-testid="opportunity-row"
                >
                  <Text role="cell" fw={700} ta="right" data-testid="cell-score">
                    {o.score.toFixed(1)}
                  </Text>
                  <div role="cell" className={classes.clientCell}>
                    <Text size="sm" fw={600} truncate>
                      {o.client_name ?? `Client ${o.user_id.slice(0, 8)}`}
                    </Text>
                    <Text size="xs" c="dimmed" truncate title={o.description}>
                      {o.description}
                    </Text>
                  </div>
                  <div role="cell">
                    <Badge variant="light" color={TYPE_COLORS[o.type]} size="sm">
                      {TYPE_LABELS[o.type]}
                    </Badge>
                  </div>
                  <Text role="cell" size="sm" truncate>
                    {o.agent_name ?? o.agent_external_id ?? '—'}
                  </Text>
                  <Text role="cell" size="sm" ta="right">
                    {formatInr(o.current_sip_amount)}
                  </Text>
                  <Text role="cell" size="sm" ta="right" fw={600} data-testid="cell-potential">
                    {formatInr(o.potential_value)}
                  </Text>
                  <Text role="cell" size="sm" ta="right">
                    {formatDate(o.last_activity_date)}
                  </Text>
                  <div role="cell">
                    <FollowUpStateSelect opportunity={o} />
                  </div>
                </div>
              )
            })}
          </div>
        </div>
      </Card>
    </Stack>
  )
}
