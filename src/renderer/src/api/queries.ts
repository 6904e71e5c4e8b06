import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query'
import type { Channel } from '@shared/channels'
import { contract, type OpportunityQuery, type RequestOf } from '@shared/contract'
import type { CallResult, Freshness } from '@shared/detection'
import type { Capabilities } from '@shared/types'
import { notifications } from '@mantine/notifications'
import { invoke } from './transport'

/** Queries over the contract. Every key starts with its channel, so a change can refresh what it makes out of date. */

/** After `channel` succeeded: refreshes the queries its contract entry says it made out of date, and no others. */
export function refreshAfter(client: QueryClient, channel: Channel): Promise<void> {
  const { invalidates } = contract[channel]
  if (invalidates === 'everything') return client.invalidateQueries()
  return Promise.all(invalidates.map((stale) => client.invalidateQueries({ queryKey: [stale] }))).then(() => undefined)
}

export const useAppInfo = () => useQuery({ queryKey: ['app:info'], queryFn: () => invoke('app:info', {}) })

const NO_CAPABILITIES: Capabilities = { open_dialogs: false, save_pdf: false, open_external: false, launch_files: false }
/** What this host can do (native dialogs, PDF, external links, launch files); nothing until it has said. */
export const useCapabilities = (): Capabilities => useAppInfo().data?.capabilities ?? NO_CAPABILITIES
export const useSettings = () => useQuery({ queryKey: ['settings:get'], queryFn: () => invoke('settings:get', {}) })
/**
 * Answers computed while the opportunities are being recalculated are asked for again until they are current.
 * Figures the host cannot recalculate now (a disk too full, `stale_because`) are asked for rarely, to notice
 * when it has tried again; never in a loop.
 */
const REFRESH_MS = 700
const STALE_RECHECK_MS = 60_000
export const untilCurrent = (query: { state: { data?: Freshness & { stale_because?: string | null } } }): number | false =>
  query.state.data?.refreshing ? REFRESH_MS : query.state.data?.stale_because ? STALE_RECHECK_MS : false

export const useStats = (agent?: string) =>
  useQuery({
    queryKey: ['stats:get', agent ?? null],
    queryFn: () => invoke('stats:get', agent ? { agent } : {}),
    refetchInterval: untilCurrent,
  })
/** `enabled: false` waits until the list is wanted (e.g. a filter's dropdown opens). */
export const useAgents = (options: { enabled?: boolean } = {}) =>
  useQuery({ queryKey: ['agents:list'], queryFn: () => invoke('agents:list', {}), refetchInterval: untilCurrent, ...options })
/** One client: a user_id with its agent ('' for none; undefined when the address names only the user_id). */
export const useClient = (userId: string, agent: string | undefined, options: { enabled?: boolean } = {}) =>
  useQuery({
    queryKey: ['client:get', userId, agent ?? null],
    queryFn: () => invoke('client:get', { user_id: userId, ...(agent === undefined ? {} : { agent_external_id: agent }) }),
    refetchInterval: untilCurrent,
    ...options,
  })
/** The agents a user_id has SIPs under (SPEC §3.1), for an address that names only the user_id. */
export const useClientAgents = (userId: string, options: { enabled?: boolean } = {}) =>
  useQuery({ queryKey: ['client:agents', userId], queryFn: () => invoke('client:agents', { user_id: userId }), ...options })

export const PAGE_SIZE = 200

/** The opportunities list's first page is small so its first rows come fast; later pages are `PAGE_SIZE`. */
const LIST_FIRST_PAGE = 60

/** The request behind `useOpportunityPages`, also to start it before the screen has re-rendered (a click on a filter). */
export const opportunityPagesOptions = (query: Omit<OpportunityQuery, 'limit' | 'offset'>) =>
  infiniteQueryOptions({
    queryKey: ['opportunities:list', query],
    queryFn: ({ pageParam }) =>
      invoke('opportunities:list', { ...query, limit: pageParam === 0 ? LIST_FIRST_PAGE : PAGE_SIZE, offset: pageParam }),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, page) => n + page.rows.length, 0)
      return loaded < last.total && last.rows.length > 0 ? loaded : undefined
    },
  })

/**
 * Opportunities in pages, fetched as the list scrolls. A new filter or sort keeps the previous
 * rows on screen (`isPlaceholderData`) until its own arrive, instead of an empty list.
 */
export const useOpportunityPages = (query: Omit<OpportunityQuery, 'limit' | 'offset'>) =>
  useInfiniteQuery({
    ...opportunityPagesOptions(query),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.pages[0]?.refreshing ? REFRESH_MS : false),
  })

/** A change, and the refresh of what it made out of date. */
const useInvalidatingMutation = <
  C extends 'followup:update' | 'settings:update' | 'client:setLanguage' | 'calls:voidLast' | 'messages:log' | 'today:refill',
>(
  channel: C,
  onError?: (error: Error) => void,
) => {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (request: RequestOf<C>) => invoke(channel, request),
    onSuccess: () => refreshAfter(client, channel),
    onError,
  })
}

/** A follow-up change the book refuses (read-only, busy) says so; the row or panel keeps showing what is saved. */
export const useFollowUpUpdate = () =>
  useInvalidatingMutation('followup:update', (error) =>
    notifications.show({ color: 'red', title: 'Not saved', message: error.message, autoClose: 8000 }),
  )
export const useSettingsUpdate = () => useInvalidatingMutation('settings:update')

/** Where the next page of a list paged by offset starts, or undefined when every row is loaded. */
const nextOffset = (last: { total: number; rows: unknown[] }, pages: { rows: unknown[] }[]): number | undefined => {
  const loaded = pages.reduce((n, page) => n + page.rows.length, 0)
  return loaded < last.total && last.rows.length > 0 ? loaded : undefined
}

/** Today's first page is small so the first rows come fast; later pages are `PAGE_SIZE`. */
const TODAY_FIRST_PAGE = 30

/** The page of a client list (Today's queue, Scheduled) that starts at `offset`, for the agent filter. */
const clientsPage = (agent: string | null, offset: number) => ({
  ...(agent ? { agent } : {}),
  limit: offset === 0 ? TODAY_FIRST_PAGE : PAGE_SIZE,
  offset,
})

/**
 * SPEC §5: the call queue in its order, in pages fetched as the list scrolls. The sidebar's badge
 * reads the whole queue's first page too, so Today opens on rows already fetched.
 */
export const useTodayPages = (agent: string | null, options: { enabled?: boolean; refetchInterval?: false } = {}) =>
  useInfiniteQuery({
    queryKey: ['today:list', agent],
    queryFn: ({ pageParam }) => invoke('today:list', clientsPage(agent, pageParam)),
    initialPageParam: 0,
    getNextPageParam: nextOffset,
    refetchInterval: (q) => (q.state.data?.pages[0]?.refreshing ? REFRESH_MS : false),
    ...options,
  })

/**
 * SPEC §5 "Log call dialog": calls saved after the dialog has closed. Each save, however many are
 * under way, reports its own success or failure with the `Draft` it was made from (to reopen it).
 */
export const useLogCall = <Draft>(on: {
  saved: (result: CallResult, draft: Draft) => void
  failed: (error: Error, draft: Draft) => void
}) => {
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({ request }: { request: RequestOf<'calls:log'>; draft: Draft }) => invoke('calls:log', request),
    onSuccess: (result, { draft }) => {
      on.saved(result, draft)
      return refreshAfter(client, 'calls:log')
    },
    onError: (error, { draft }) => on.failed(error, draft),
  })
}

/** SPEC §4: the request for a client's default next date per call outcome, also to fetch it before the dialog opens. */
export const nextDatesOptions = (client: { user_id: string; agent_external_id: string | null }) =>
  queryOptions({
    queryKey: ['calls:nextDates', client.user_id, client.agent_external_id],
    queryFn: () => invoke('calls:nextDates', { user_id: client.user_id, agent_external_id: client.agent_external_id }),
  })
export const useVoidLastCall = () => useInvalidatingMutation('calls:voidLast')
/** SPEC §4: a message copied or opened goes into the client's log; a refusal says so without blocking the message. */
export const useLogMessage = () =>
  useInvalidatingMutation('messages:log', (error) =>
    notifications.show({ color: 'yellow', title: 'Message not logged', message: error.message, autoClose: 8000 }),
  )
export const useRefillPlan = () => useInvalidatingMutation('today:refill')

/** SPEC §5: the day's plan and its progress for the agent filter (fixed at the day's first look). */
export const useDayPlan = (agent: string | null) =>
  useQuery({ queryKey: ['today:plan', agent], queryFn: () => invoke('today:plan', agent ? { agent } : {}) })

/** SPEC §5: the clients with a next action date in the next 30 days, in pages fetched as the list scrolls (the first gives the count). */
export const useScheduledPages = (agent: string | null) =>
  useInfiniteQuery({
    queryKey: ['today:scheduled', agent],
    queryFn: ({ pageParam }) => invoke('today:scheduled', clientsPage(agent, pageParam)),
    initialPageParam: 0,
    getNextPageParam: nextOffset,
  })

/** SPEC §5: the language a client's messages are written in. */
export const useClientLanguage = () =>
  useInvalidatingMutation('client:setLanguage', (error) =>
    notifications.show({ color: 'red', title: 'Not saved', message: error.message, autoClose: 8000 }),
  )
