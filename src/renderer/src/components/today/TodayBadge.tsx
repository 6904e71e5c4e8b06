import { Badge } from '@mantine/core'
import { formatCount } from '@shared/format'
import { useAppInfo, useTodayCount } from '../../api/queries'

/** The sidebar's count of clients in the Today queue, once a book is loaded. */
export function TodayBadge() {
  const info = useAppInfo()
  const count = useTodayCount((info.data?.sipCount ?? 0) > 0)
  if (!count.data || count.data.total === 0) return null
  return (
    <Badge size="sm" variant="light" circle={false} data-testid="today-badge">
      {formatCount(count.data.total)}
    </Badge>
  )
}
