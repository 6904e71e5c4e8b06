import { Activity, memo, useCallback, useEffect, useMemo, useState } from 'react'
import { Button, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core'
import { IconDownload } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useLocation, useSearch } from 'wouter'
import { opportunitiesCsv } from '@shared/csv'
import { OPPORTUNITY_TYPES, TYPE_LABELS, type Opportunity } from '@shared/detection'
import { formatCount } from '@shared/format'
import { everyOpportunity } from '@shared/paging'
import { clientPath } from '../logic/labels'
import { downloadText } from '../api/download'
import { currentPath, currentSearch, navigate } from '../api/hashLocation'
import { opportunityPagesOptions, useAppInfo, useOpportunityPages } from '../api/queries'
import { OpenData } from '../components/OpenData'
import { invoke } from '../api/transport'
import { OpportunityFilters } from '../components/OpportunityFilters'
import { OpportunityTable } from '../components/OpportunityTable'
import { defaultDirection, listQuery, listSearch, parseListState, type ListState, type SortKey } from '../logic/listState'

const TYPE_OPTIONS = [{ value: 'all', label: 'All' }, ...OPPORTUNITY_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))]

const TypeControl = memo(function TypeControl({
  value,
  onChange,
}: {
  value: ListState['type']
  onChange: (patch: Partial<ListState>) => void
}) {
  return (
    <SegmentedControl
      size="xs"
      value={value}
      onChange={(type) => onChange({ type: type as ListState['type'] })}
      data={TYPE_OPTIONS}
      aria-label="Opportunity type"
    />
  )
})

/**
 * The list stays drawn (hidden, its effects and requests stopped) while a client opened from it is
 * shown, so Back shows it again as it was instead of building it anew (issue #13: Back ≤ 200 ms on
 * 1,00,000 SIPs). Coming to it with another list in the address (the sidebar, a card) builds it
 * anew, so another list's rows are never shown for this one.
 */
export function KeptOpportunities() {
  const [path] = useLocation()
  const search = useSearch()
  const here = path === '/opportunities'
  const sipCount = useAppInfo().data?.sip_count
  const [kept, setKept] = useState({ here, search: here ? search : null, generation: 0 })
  if (here !== kept.here || (here && search !== kept.search)) {
    const arriving = here && !kept.here
    setKept({
      here,
      search: here ? search : kept.search,
      generation: arriving && !sameList(search, kept.search) ? kept.generation + 1 : kept.generation,
    })
  }
  const shown = here ? search : kept.search
  if (shown === null) return null // not opened yet
  return (
    <Activity mode={here ? 'visible' : 'hidden'}>
      {/* SPEC §5 (rev 3): before any import, a way to open one, never "no match for these filters". */}
      {sipCount === 0 ? <OpenData /> : <OpportunitiesList key={kept.generation} search={shown} />}
    </Activity>
  )
}

/**
 * Whether arriving at `search` returns to the kept list: the same filters and sort, with a place in
 * it (Back from a client; the list wrote its place into the address before the client opened, after
 * the last render that kept it). A link without a place (the sidebar) opens the list anew, at the top.
 */
function sameList(search: string, kept: string | null): boolean {
  if (kept === null) return false
  if (search === kept) return true
  const arriving = parseListState(search)
  return (
    (arriving.row >= 0 || arriving.top > 0) &&
    listSearch({ ...arriving, row: -1, top: 0 }) === listSearch({ ...parseListState(kept), row: -1, top: 0 })
  )
}

/** Every opportunity to act on, filtered, sorted and scrolled in pages from main; its state lives in the address. */
function OpportunitiesList({ search }: { search: string }) {
  const state = useMemo(() => parseListState(search), [search])
  // The rows' request, by value: a move of the place in the list (row, top) keeps it.
  const queryKey = JSON.stringify(listQuery(state))
  const query = useMemo(() => JSON.parse(queryKey) as ReturnType<typeof listQuery>, [queryKey])
  // Handlers read the list's state from the address when called, so they stay the same across renders
  // (the filters and rows are memoised), and a late call (debounced) cannot bring back an older list or screen.
  const queryClient = useQueryClient()
  const go = useCallback(
    (next: ListState, replace: boolean) => {
      if (currentPath() !== '/opportunities') return
      // A new list's rows are asked for at once, while the screen re-renders for the new address.
      void queryClient.prefetchInfiniteQuery(opportunityPagesOptions(listQuery(next)))
      const to = listSearch(next)
      navigate(`/opportunities${to ? `?${to}` : ''}`, { replace })
    },
    [queryClient],
  )
  /** A new filter or sort starts at the top of the list; a new type is a new entry in the history. */
  const change = useCallback(
    (patch: Partial<ListState>) => go({ ...parseListState(currentSearch()), row: -1, top: 0, ...patch }, !('type' in patch)),
    [go],
  )
  const sortBy = useCallback(
    (key: SortKey) => {
      const now = parseListState(currentSearch())
      change({ sort: key, direction: now.sort === key ? (now.direction === 'desc' ? 'asc' : 'desc') : defaultDirection(key) })
    },
    [change],
  )
  // The filters' own state, without the place in the list, which moves as the list scrolls.
  const filterKey = listSearch({ ...state, row: -1, top: 0 })
  const filters = useMemo(() => parseListState(filterKey), [filterKey])
  const sort = useMemo(() => ({ key: state.sort, direction: state.direction }), [state.sort, state.direction])

  const pages = useOpportunityPages(query)
  const rows = useMemo(() => pages.data?.pages.flatMap((p) => p.rows) ?? [], [pages.data])
  const total = pages.data?.pages[0]?.total ?? 0
  const stale = pages.isPlaceholderData
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages
  const needMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage()
  }, [hasNextPage, isFetchingNextPage, fetchNextPage])

  // The place in the list is written to the address as it moves, so Back from a client returns to it.
  const place = useCallback(
    ({ row, top }: { row: number; top: number }) => {
      const s = parseListState(currentSearch())
      if (s.row !== row || s.top !== top) go({ ...s, row, top }, true)
    },
    [go],
  )
  const open = useCallback(
    (opportunity: Opportunity, where: { row: number; top: number }) => {
      place(where)
      navigate(clientPath(opportunity))
    },
    [place],
  )

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

  // Restoring a place needs its rows: load pages until the row in view is there. Meanwhile another
  // list's rows (kept while a new filter's load) would be drawn at the wrong place.
  const wanted = Math.max(state.top, state.row)
  const ready = pages.data !== undefined && (wanted === 0 || (!stale && (rows.length > wanted || !hasNextPage)))
  useEffect(() => {
    if (pages.data && !ready) needMore()
  }, [pages.data, ready, needMore])

  return (
    <Stack gap="xs" h="calc(100dvh - var(--app-shell-header-height, 0px) - 2 * var(--mantine-spacing-md))">
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Group gap="sm" wrap="nowrap">
          <Title order={3}>Opportunities</Title>
          <TypeControl value={state.type} onChange={change} />
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
        <OpportunityFilters state={filters} onChange={change} />
        <Text size="sm" c="dimmed" ml="auto" data-testid="result-count" style={{ whiteSpace: 'nowrap' }}>
          {pages.isPending || stale ? 'Loading…' : `${formatCount(total)} opportunit${total === 1 ? 'y' : 'ies'}`}
        </Text>
      </Group>
      {ready || pages.isError ? (
        <OpportunityTable
          rows={rows}
          total={total}
          sort={sort}
          onSort={sortBy}
          listKey={queryKey}
          initialRow={state.row}
          initialTop={state.top}
          stale={stale}
          onNeedMore={needMore}
          onPlace={place}
          onOpen={open}
          empty={total === 0 && !pages.isPending && !stale}
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
