import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { OpportunityQuery, RequestOf } from '@shared/contract'
import type { Freshness } from '@shared/detection'
import { invoke } from './transport'

/** Queries over the contract. Every key starts with its channel, so an import can refresh them all. */

export const useAppInfo = () => useQuery({ queryKey: ['app:info'], queryFn: () => invoke('app:info', {}) })
export const useSettings = () => useQuery({ queryKey: ['settings:get'], queryFn: () => invoke('settings:get', {}) })
/** Answers computed while the opportunities are being recalculated are asked for again until they are current. */
const REFRESH_MS = 700
const untilCurrent = (query: { state: { data?: Freshness } }): number | false => (query.state.data?.refreshing ? REFRESH_MS : false)

export const useStats = (agent?: string) =>
  useQuery({
    queryKey: ['stats:get', agent ?? null],
    queryFn: () => invoke('stats:get', agent ? { agent } : {}),
    refetchInterval: untilCurrent,
  })
export const useAgents = () =>
  useQuery({ queryKey: ['agents:list'], queryFn: () => invoke('agents:list', {}), refetchInterval: untilCurrent })
export const useClient = (userId: string) =>
  useQuery({ queryKey: ['client:get', userId], queryFn: () => invoke('client:get', { user_id: userId }), refetchInterval: untilCurrent })

export const PAGE_SIZE = 200

/** Opportunities in pages of `PAGE_SIZE`, fetched as the list scrolls. */
export const useOpportunityPages = (query: Omit<OpportunityQuery, 'limit' | 'offset'>) =>
  useInfiniteQuery({
    queryKey: ['opportunities:list', query],
    queryFn: ({ pageParam }) => invoke('opportunities:list', { ...query, limit: PAGE_SIZE, offset: pageParam }),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const loaded = pages.length * PAGE_SIZE
      return loaded < last.total ? loaded : undefined
    },
    refetchInterval: (q) => (q.state.data?.pages[0]?.refreshing ? REFRESH_MS : false),
  })

/** Every data-changing request refreshes every query: the data is local and small to re-read. */
const useInvalidatingMutation = <C extends 'followup:update' | 'settings:update'>(channel: C) => {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (request: RequestOf<C>) => invoke(channel, request),
    onSuccess: () => client.invalidateQueries(),
  })
}

export const useFollowUpUpdate = () => useInvalidatingMutation('followup:update')
export const useSettingsUpdate = () => useInvalidatingMutation('settings:update')
