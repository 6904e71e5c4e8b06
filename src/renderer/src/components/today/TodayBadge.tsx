import { Badge } from '@mantine/core'
import { formatCount } from '@shared/format'
import { useAppInfo, useTodayPages } from '../../api/queries'

/** The sidebar's count of clients in the Today queue, once a book is loaded. */
export function TodayBadge() {
  const info = useAppInfo()
  // No polling of its own while figures are recalculated: the screens that show them poll, and
  // every change refreshes the badge anyway.
  const queue = useTodayPages(null, { enabled: (info.data?.sip_count ?? 0) > 0, refetchInterval: false })
  const total = queue.data?.pages[0]?.total ?? 0
  if (total === 0) return null
  return (
    <Badge size="sm" variant="light" circle={false} data-testid="today-badge">
      {formatCount(total)}
    </Badge>
  )
}
