import { Badge, Group, Loader, Tooltip } from '@mantine/core'
import { IconAlertTriangle, IconCalendar, IconLock } from '@tabler/icons-react'
import { formatDate } from '@shared/format'
import { useAppInfo, useSettings, useStats } from '../api/queries'

const MODE_LABEL = { data: 'the data snapshot', today: 'today', date: 'a chosen date' }

/** Past this many days since the data's date, the badge turns amber: a fresh export is due (SPEC §5). */
const STALE_AFTER_DAYS = 35

/** Whole days from `date` to today's local date. */
const daysSince = (date: string): number => {
  const now = new Date()
  return Math.round((Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000)
}

/** The as-of date every figure is computed for, always in view; beside it, whether the book is read-only or recalculating. */
export function AsOfBadge() {
  const stats = useStats()
  const settings = useSettings()
  const info = useAppInfo()
  // Before a book is opened there is no date to compute anything for.
  if (!stats.data || !info.data || info.data.sip_count === 0) return null
  const age = stats.data.data_date ? daysSince(stats.data.data_date) : 0
  const stale = age > STALE_AFTER_DAYS
  const mode = `Figures are computed as of ${MODE_LABEL[settings.data?.as_of_mode ?? 'data']}; change it in Settings`
  return (
    <Group gap="xs">
      <Tooltip
        label={stale ? `The data is from ${formatDate(stats.data.data_date)}, ${age} days ago: import a fresh export. ${mode}` : mode}
        multiline
        w={320}
      >
        <Badge
          size="lg"
          variant="light"
          color={stale ? 'orange' : undefined}
          leftSection={<IconCalendar size={14} />}
          data-testid="as-of"
          data-stale={stale || undefined}
        >
          As of {formatDate(stats.data.as_of)}
          {stale ? ` · data ${age} days old` : ''}
        </Badge>
      </Tooltip>
      {info.data.read_only ? (
        <Tooltip
          label="This book's file cannot be written: you can browse it, and follow-ups, calls, settings and imports are refused"
          multiline
          w={320}
        >
          <Badge size="lg" variant="outline" color="gray" leftSection={<IconLock size={14} />} data-testid="read-only">
            Read-only
          </Badge>
        </Tooltip>
      ) : null}
      {stats.data.stale_because ? (
        <Tooltip
          label={`The figures on screen are the last ones computed: this book ${stats.data.stale_because}. Free some disk space; the app tries again by itself`}
          multiline
          w={320}
        >
          <Badge size="lg" variant="outline" color="red" leftSection={<IconAlertTriangle size={14} />} data-testid="stale">
            Not recalculated: disk full
          </Badge>
        </Tooltip>
      ) : null}
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
