import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { CHANNELS, type Channel } from '@shared/channels'
import { contract } from '@shared/contract'
import { refreshAfter, untilCurrent } from './queries'

/** A client holding one answered query for every channel that reads, keyed as the screens key them. */
function clientWithEveryAnswer(): QueryClient {
  const client = new QueryClient()
  for (const channel of CHANNELS) client.setQueryData([channel, 'some filter'], { answered: true })
  return client
}
const refreshed = (client: QueryClient): Channel[] =>
  CHANNELS.filter((channel) => client.getQueryState([channel, 'some filter'])?.isInvalidated)

describe('what a change refreshes', () => {
  it('logging a call refreshes Today (its plan and Scheduled), the client, the lists, the counts, Results and the default next dates, and leaves settings, imports and changes alone', async () => {
    const client = clientWithEveryAnswer()
    await refreshAfter(client, 'calls:log')
    expect(refreshed(client)).toEqual([
      'results:get',
      'opportunities:list',
      'stats:get',
      'agents:list',
      'client:get',
      'today:list',
      'calls:nextDates',
      'today:plan',
      'today:scheduled',
    ])
    for (const untouched of ['app:info', 'settings:get', 'import:list', 'changes:get', 'clients:search'] as const) {
      expect(refreshed(client)).not.toContain(untouched)
    }
  })

  it('a backup refreshes only the settings (the last backup date)', async () => {
    const client = clientWithEveryAnswer()
    await refreshAfter(client, 'data:backup')
    expect(refreshed(client)).toEqual(['settings:get'])
  })

  it('an import, an undo, a restore, a clear or new settings refresh everything', async () => {
    for (const channel of ['import:start', 'import:undo', 'data:restore', 'data:clear', 'settings:update'] as const) {
      const client = clientWithEveryAnswer()
      await refreshAfter(client, channel)
      expect(refreshed(client)).toEqual([...CHANNELS])
    }
  })

  it('every request that changes the book makes something out of date, and names only requests that read', () => {
    for (const channel of CHANNELS) {
      const { writes, invalidates } = contract[channel]
      if (writes) expect(invalidates === 'everything' || invalidates.length > 0, channel).toBe(true)
      if (invalidates !== 'everything') for (const stale of invalidates) expect(contract[stale].writes, `${channel} → ${stale}`).toBe(false)
    }
  })
})

describe('asking again for figures that are not current', () => {
  const every = (data: { refreshing: boolean; stale_because?: string | null }) => untilCurrent({ state: { data } })

  it('polls while they are being recalculated, rarely when the host cannot recalculate them (a full disk), not at all when current', () => {
    expect(every({ refreshing: true })).toBe(700)
    expect(every({ refreshing: false, stale_because: 'is on a disk too full to bring them up to date' })).toBe(60_000)
    expect(every({ refreshing: false, stale_because: null })).toBe(false)
    expect(every({ refreshing: false })).toBe(false)
  })
})
