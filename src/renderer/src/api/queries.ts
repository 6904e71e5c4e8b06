import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { OpportunityQuery, RequestOf } from '@shared/contract'
import { invoke } from './transport'

/** Queries over the contract. Every key starts with its channel, so an import can refresh them all. */

export const useAppInfo = () => useQuery({ queryKey: ['app:info'], queryFn: () => invoke('app:info', {}) })
export const useSettings = () => useQuery({ queryKey: ['settings:get'], queryFn: () => invoke('settings:get', {}) })
export const useStats = (agent?: string) =>
  useQuery({ queryKey: ['stats:get', agent ?? null], queryFn: () => invoke('stats:get', agent ? { agent } : {}) })
export const useAgents = () => useQuery({ queryKey: ['agents:list'], queryFn: () => invoke('agents:list', {}) })
export const useClient = (userId: string) =>
  useQuery({ queryKey: ['client:get', userId], queryFn: () => invoke('client:get', { user_id: userId }) })

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
