import { Badge, Group, Loader, Tooltip } from '@mantine/core'
import { IconCalendar } from '@tabler/icons-react'
import { formatDate } from '@shared/format'
import { useAppInfo, useSettings, useStats } from '../api/queries'

const MODE_LABEL = { data: 'the data snapshot', today: 'today', date: 'a chosen date' }

/** The as-of date every figure is computed for, always in view. */
export function AsOfBadge() {
  const stats = useStats()
  const settings = useSettings()
  const info = useAppInfo()
  // Before a book is opened there is no date to compute anything for.
  if (!stats.data || !info.data || info.data.sipCount === 0) return null
  return (
    <Group gap="xs">
      <Tooltip label={`Figures are computed as of ${MODE_LABEL[settings.data?.as_of_mode ?? 'data']}; change it in Settings`}>
        <Badge size="lg" variant="light" leftSection={<IconCalendar size={14} />} data-testid="as-of">
          As of {formatDate(stats.data.as_of)}
        </Badge>
      </Tooltip>
      {stats.data.refreshing ? (
        <Tooltip label="The figures on screen are the previous ones until the new thresholds or date have been applied to the whole book">
          <Badge size="lg" variant="outline" color="orange" leftSection={<Loader size={12} color="orange" />} data-testid="refreshing">
            Recalculating…
          </Badge>
        </Tooltip>
      ) : null}
    </Group>
  )
}
