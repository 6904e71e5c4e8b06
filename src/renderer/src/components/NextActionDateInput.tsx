import { useEffect, useRef, useState } from 'react'
import { DateInput, type DateInputProps } from '@mantine/dates'
import { IconCalendar } from '@tabler/icons-react'
import { addDays, formatDate, localToday } from '@shared/format'
import { dateStanding, parseTypedDate } from '../logic/dates'

export const DATE_FORMAT = 'D MMM YYYY'
const TYPE_HINT = 'Type a date as 15 Feb, 15/02/2026, +3 (in three days) or tomorrow, or pick one'

const STANDING_TEXT = {
  none: null,
  overdue: (d: string) => `Overdue since ${formatDate(d)}`,
  today: () => 'Due today',
  snoozed: (d: string) => `Snoozed until ${formatDate(d)}: hidden from the default list`,
} as const

interface Props extends Omit<DateInputProps, 'value' | 'onChange' | 'defaultValue' | 'dateParser' | 'valueFormat' | 'presets'> {
  /** The saved date, `YYYY-MM-DD`, or null. */
  value: string | null
  /**
   * Called with a complete, real date (typed, picked or a quick pick), or with null when the field is
   * left empty; never with a half-typed or impossible date.
   */
  onCommit: (date: string | null) => void
  /** Say under the field whether the date is overdue, today or snoozes the opportunity. */
  withStanding?: boolean
  /** Tomorrow, in 3 days, next week beside the calendar (default on). */
  quickPicks?: boolean
}

/**
 * The one date field for next actions (follow-ups, call logs) and the as-of date: typed day first
 * (`15 Feb`, `+3`, `tomorrow`…) or picked in a calendar, shown as `5 Jan 2026`, with quick picks.
 * Nothing reaches `onCommit` until the date is complete or the field is left; Enter on a text that
 * is not a date shows why and goes no further (a form does not save it).
 */
export function NextActionDateInput({
  value,
  onCommit,
  withStanding = false,
  quickPicks = true,
  label = 'Next action',
  onBlur,
  onKeyDown,
  ...rest
}: Props) {
  const [text, setText] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const today = localToday()
  const invalid = text !== null && text.trim() !== '' && parseTypedDate(text) === null
  // Enter then leaving the field, or a second keystroke while the save is under way, sends nothing twice.
  const sent = useRef<string | null | undefined>(undefined)
  useEffect(() => {
    sent.current = undefined
  }, [value])
  const commit = (date: string | null) => {
    setError(null)
    if (date === value || date === sent.current) return
    sent.current = date
    onCommit(date)
  }
  const leave = (typed: string) => {
    if (typed.trim() === '') commit(null)
    else if (parseTypedDate(typed) === null) setError(`“${typed.trim()}” is not a date. ${TYPE_HINT}.`)
    setText(null)
  }
  const standing = withStanding && value ? STANDING_TEXT[dateStanding(value, today)] : null
  return (
    <DateInput
      label={label}
      value={value}
      valueFormat={DATE_FORMAT}
      dateParser={parseTypedDate}
      placeholder="e.g. 15 Feb or +3"
      // The calendar stays on its month: a month label that changes level would take the focus away.
      maxLevel="month"
      leftSection={<IconCalendar size={16} stroke={1.6} />}
      presets={
        quickPicks
          ? [
              { value: addDays(today, 1), label: 'Tomorrow' },
              { value: addDays(today, 3), label: 'In 3 days' },
              { value: addDays(today, 7), label: 'Next week' },
            ]
          : undefined
      }
      // Keeps what was typed when it is not a date, so the advisor can correct it.
      fixOnBlur={!invalid}
      onInput={(event) => {
        setText(event.currentTarget.value)
        setError(null)
      }}
      onChange={(date) => date !== null && commit(date)}
      onBlur={(event) => {
        leave(event.currentTarget.value)
        onBlur?.(event)
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          const typed = event.currentTarget.value
          leave(typed)
          if (typed.trim() !== '' && parseTypedDate(typed) === null) {
            event.preventDefault()
            event.stopPropagation()
            return
          }
        }
        onKeyDown?.(event)
      }}
      error={error}
      description={error ? undefined : (standing?.(value!) ?? undefined)}
      {...rest}
    />
  )
}
