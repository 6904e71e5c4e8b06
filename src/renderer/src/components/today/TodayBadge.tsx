import { Badge } from '@mantine/core'
import { formatCount } from '@shared/format'
import { useAppInfo, useTodayPages } from '../../api/queries'

/** The sidebar's count of clients in the Today queue, once a book is loaded. */
export function TodayBadge() {
  const info = useAppInfo()
  const queue = useTodayPages(null, { enabled: (info.data?.sipCount ?? 0) > 0 })
  const total = queue.data?.pages[0]?.total ?? 0
  if (total === 0) return null
  return (
    <Badge size="sm" variant="light" circle={false} data-testid="today-badge">
      {formatCount(total)}
    </Badge>
  )
}
