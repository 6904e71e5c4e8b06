import { Badge, Tooltip } from '@mantine/core'
import { IconCalendar } from '@tabler/icons-react'
import { formatDate } from '@shared/format'
import { useSettings, useStats } from '../api/queries'

const MODE_LABEL = { data: 'the data snapshot', today: 'today', date: 'a chosen date' }

/** The as-of date every figure is computed for, always in view. */
export function AsOfBadge() {
  const stats = useStats()
  const settings = useSettings()
  if (!stats.data) return null
  return (
    <Tooltip label={`Figures are computed as of ${MODE_LABEL[settings.data?.as_of_mode ?? 'data']}; change it in Settings`}>
      <Badge size="lg" variant="light" leftSection={<IconCalendar size={14} />} data-testid="as-of">
        As of {formatDate(stats.data.as_of)}
      </Badge>
    </Tooltip>
  )
}
