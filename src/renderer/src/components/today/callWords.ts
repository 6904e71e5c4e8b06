import dayjs from 'dayjs'
import type { CallOutcome } from '@shared/detection'
import { formatDate } from '@shared/format'

/** Each call outcome's colour (a Mantine colour name) in the call log and on Today's rows. */
export const OUTCOME_COLORS: Record<CallOutcome, string> = {
  reached: 'green',
  no_answer: 'gray',
  call_back: 'blue',
  converted: 'teal',
  not_interested: 'orange',
}


const relative = new Intl.RelativeTimeFormat('en-IN', { numeric: 'auto' })
const clock = new Intl.DateTimeFormat('en-IN', { hour: 'numeric', minute: '2-digit' })

/** When a call was logged, as a person says it: "today, 10:42 am", "yesterday, 6:05 pm", "3 days ago", "5 Jan 2026". */
export function formatWhen(instant: string): string {
  const at = dayjs(instant)
  const days = dayjs().startOf('day').diff(at.startOf('day'), 'day')
  if (days <= 1) return `${relative.format(-days, 'day')}, ${clock.format(at.toDate())}`
  if (days < 7) return relative.format(-days, 'day')
  return formatDate(at.format('YYYY-MM-DD'))
}
