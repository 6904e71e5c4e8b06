import { useCallback, useEffect, useMemo, useState } from 'react'
import { Button, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core'
import { IconDownload } from '@tabler/icons-react'
import { useLocation, useSearch } from 'wouter'
import { opportunitiesCsv } from '@shared/csv'
import { OPPORTUNITY_TYPES, TYPE_LABELS } from '@shared/detection'
import { formatCount } from '@shared/format'
import { everyOpportunity } from '@shared/paging'
import { downloadText } from '../api/download'
import { currentPath, currentSearch } from '../api/hashLocation'
import { useOpportunityPages } from '../api/queries'
import { invoke } from '../api/transport'
import { OpportunityFilters } from '../components/OpportunityFilters'
import { OpportunityTable } from '../components/OpportunityTable'
import { defaultDirection, listQuery, listSearch, parseListState, type ListState, type SortKey } from '../logic/listState'

/** Every opportunity to act on, filtered, sorted and scrolled in pages from main; its state lives in the address. */
export function OpportunitiesRoute() {
  const search = useSearch()
  const [, navigate] = useLocation()
  const state = useMemo(() => parseListState(search), [search])
  const query = useMemo(() => listQuery(state), [state])
  const go = useCallback(
    (next: ListState, replace: boolean) => navigate(`/opportunities${listSearch(next) ? `?${listSearch(next)}` : ''}`, { replace }),
    [navigate],
  )
  /** A new filter or sort starts at the top of the list; a new type is a new entry in the history. */
  const change = (patch: Partial<ListState>) => go({ ...state, row: -1, top: 0, ...patch }, !('type' in patch))
  const sortBy = (key: SortKey) =>
    change({ sort: key, direction: state.sort === key ? (state.direction === 'desc' ? 'asc' : 'desc') : defaultDirection(key) })

  const pages = useOpportunityPages(query)
  const rows = useMemo(() => pages.data?.pages.flatMap((p) => p.rows) ?? [], [pages.data])
  const total = pages.data?.pages[0]?.total ?? 0
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages
  const needMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage()
  }, [hasNextPage, isFetchingNextPage, fetchNextPage])

  // The place in the list is written to the address as it moves, so Back from a client returns to it.
  // It is read from the address itself: a late call (debounced) must not bring back an older list or screen.
  const place = useCallback(
    ({ row, top }: { row: number; top: number }) => {
      if (currentPath() !== '/opportunities') return
      const s = parseListState(currentSearch())
      if (s.row !== row || s.top !== top) go({ ...s, row, top }, true)
    },
    [go],
  )
  const open = (index: number, where: { row: number; top: number }) => {
    place(where)
    navigate(`/clients/${encodeURIComponent(rows[index].user_id)}`)
  }

  const [exporting, setExporting] = useState(false)
  const exportCsv = async () => {
    setExporting(true)
    try {
      // The as-of the screen shows, so the file is the list on screen, whatever changes meanwhile.
      const asOf = pages.data?.pages[0]?.as_of
      const all = await everyOpportunity((page) => invoke('opportunities:list', page), { ...query, ...(asOf ? { as_of: asOf } : {}) })
      downloadText(`opportunities-${state.type}-${all.as_of}.csv`, opportunitiesCsv(all.rows))
    } finally {
      setExporting(false)
    }
  }

  // Restoring a place needs its rows: load pages until the row in view is there.
  const wanted = Math.max(state.top, state.row)
  const ready = pages.data !== undefined && (rows.length > wanted || !hasNextPage)
  useEffect(() => {
    if (pages.data && !ready) needMore()
  }, [pages.data, ready, needMore])

  return (
    <Stack gap="xs" h="calc(100dvh - var(--app-shell-header-height, 0px) - 2 * var(--mantine-spacing-md))">
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Group gap="sm" wrap="nowrap">
          <Title order={3}>Opportunities</Title>
          <SegmentedControl
            size="xs"
            value={state.type}
            onChange={(type) => change({ type: type as ListState['type'] })}
            data={[{ value: 'all', label: 'All' }, ...OPPORTUNITY_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))]}
            aria-label="Opportunity type"
          />
        </Group>
        <Button
          variant="default"
          size="xs"
          leftSection={<IconDownload size={14} />}
          onClick={() => void exportCsv()}
          loading={exporting}
          disabled={total === 0}
        >
          Export CSV
        </Button>
      </Group>
      <Group gap="xs" wrap="nowrap" data-testid="filter-line">
        <OpportunityFilters state={state} onChange={change} />
        <Text size="sm" c="dimmed" ml="auto" data-testid="result-count" style={{ whiteSpace: 'nowrap' }}>
          {pages.isPending ? 'Loading…' : `${formatCount(total)} opportunit${total === 1 ? 'y' : 'ies'}`}
        </Text>
      </Group>
      {ready || pages.isError ? (
        <OpportunityTable
          key={JSON.stringify(query)}
          rows={rows}
          total={total}
          sort={{ key: state.sort, direction: state.direction }}
          onSort={sortBy}
          initial={{ row: state.row, top: state.top }}
          onNeedMore={needMore}
          onPlace={place}
          onOpen={open}
          empty={total === 0 && !pages.isPending}
        />
      ) : (
        <div style={{ flex: 1 }} />
      )}
      <Text size="xs" c="dimmed">
        ↑ ↓ or J K move · Enter opens the client · O open · C contacted · V converted · D dismissed · Ctrl+K finds a client
      </Text>
    </Stack>
  )
}
