import '@mantine/dates/styles.css'
import { Button, Group, Stack } from '@mantine/core'
import { DatePickerInput } from '@mantine/dates'
import { daysFromToday } from './callWords'
import { localToday } from '@shared/format'

const QUICK_PICKS = [
  { label: 'Tomorrow', days: 1 },
  { label: '+3 days', days: 3 },
  { label: 'Next week', days: 7 },
] as const

/** A next action date (`YYYY-MM-DD` or null): a calendar from today on, and one-click picks. */
export function NextActionDateInput({
  value,
  onChange,
  error,
  required,
}: {
  value: string | null
  onChange: (value: string | null) => void
  error?: string | null
  required?: boolean
}) {
  return (
    <Stack gap={6}>
      <DatePickerInput
        label="Next action date"
        placeholder="None"
        valueFormat="D MMM YYYY"
        value={value}
        onChange={(date) => onChange(date)}
        minDate={localToday()}
        clearable
        required={required}
        error={error}
        popoverProps={{ withinPortal: true }}
        data-testid="next-action-date"
      />
      <Group gap={6}>
        {QUICK_PICKS.map(({ label, days }) => {
          const date = daysFromToday(days)
          return (
            <Button key={label} size="compact-xs" variant={value === date ? 'light' : 'default'} onClick={() => onChange(date)}>
              {label}
            </Button>
          )
        })}
      </Group>
    </Stack>
  )
}
