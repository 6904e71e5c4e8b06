import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { Badge, Text, UnstyledButton } from '@mantine/core'
import { IconArrowDown, IconArrowUp } from '@tabler/icons-react'
import { useDebouncedValue } from '@mantine/hooks'
import { useVirtualizer } from '@tanstack/react-virtual'
import { clientLabel, TYPE_COLORS, TYPE_LABELS, type FollowUpState, type Opportunity } from '@shared/detection'
import { formatDate, formatInr } from '@shared/format'
import { useFollowUpUpdate } from '../api/queries'
import { dateStanding, localToday } from '../logic/dates'
import { agentLabel } from '../logic/labels'
import type { Direction, SortKey } from '../logic/listState'
import { FollowUpStateSelect } from './FollowUpStateSelect'
import { ScoreExplanation } from './ScoreExplanation'
import classes from '../routes/Opportunities.module.css'

export const ROW_HEIGHT = 42

type Column = { key: SortKey | null; label: string; numeric?: boolean; title?: string }
const COLUMNS: Column[] = [
  { key: 'score', label: 'Score', numeric: true },
  { key: 'client', label: 'Client and why' },
  { key: 'agent', label: 'Agent' },
  { key: null, label: 'Phone' },
  { key: 'current_sip_amount', label: 'Monthly SIP', numeric: true },
  { key: 'annual_value', label: '₹ a year', numeric: true },
  { key: 'next_action_date', label: 'Next action' },
  { key: 'status', label: 'Follow-up' },
]

/** Keys that set the selected row's follow-up state. */
export const STATE_KEYS: Record<string, FollowUpState> = { o: 'open', c: 'contacted', v: 'converted', d: 'dismissed' }

function NextAction({ date, today }: { date: string | null; today: string }) {
  const standing = dateStanding(date, today)
  if (standing === 'none')
    return (
      <Text size="xs" c="dimmed">
        —
      </Text>
    )
  const color = standing === 'overdue' ? 'red' : standing === 'today' ? 'orange' : 'gray'
  const label =
    standing === 'snoozed'
      ? `Snoozed until ${formatDate(date)}`
      : standing === 'overdue'
        ? `Overdue since ${formatDate(date)}`
        : 'Due today'
  return (
    <Badge
      size="sm"
      variant={standing === 'snoozed' ? 'outline' : 'light'}
      color={color}
      maw="100%"
      title={label}
      data-testid="next-action"
    >
      {standing === 'snoozed' ? `⏸ ${formatDate(date)}` : formatDate(date)}
    </Badge>
  )
}

interface Props {
  rows: Opportunity[]
  total: number
  sort: { key: SortKey; direction: Direction }
  onSort: (key: SortKey) => void
  /** Where the list was left: the selected row and the first row in view. */
  initial: { row: number; top: number }
  /** Asked for when the rows in view near the end of what is loaded. */
  onNeedMore: () => void
  /** The selection or scroll position moved (to keep in the address). */
  onPlace: (place: { row: number; top: number }) => void
  onOpen: (index: number, place: { row: number; top: number }) => void
  empty: boolean
}

/** The opportunities as a virtualised grid: one row per opportunity, keyboard first. */
export function OpportunityTable({ rows, total, sort, onSort, initial, onNeedMore, onPlace, onOpen, empty }: Props) {
  const scroller = useRef<HTMLDivElement>(null)
  const [selected, setSelected] = useState(initial.row)
  const update = useFollowUpUpdate()
  const today = localToday()
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    initialOffset: initial.top * ROW_HEIGHT,
  })
  const items = virtualizer.getVirtualItems()
  const lastIndex = items.length > 0 ? items[items.length - 1].index : -1
  const offset = virtualizer.scrollOffset ?? initial.top * ROW_HEIGHT
  const firstIndex = items.find((item) => item.end > offset)?.index ?? 0
  useEffect(() => {
    if (lastIndex >= rows.length - 40 && rows.length < total) onNeedMore()
  }, [lastIndex, rows.length, total, onNeedMore])
  const [settled] = useDebouncedValue(`${selected}:${firstIndex}`, 250)
  useEffect(() => {
    const [row, top] = settled.split(':').map(Number)
    onPlace({ row, top })
  }, [settled, onPlace])

  // Only the selected row grows (its whole "why" line); a new selection puts the others back to the fixed height.
  useEffect(() => virtualizer.measure(), [selected, virtualizer])

  const select = (index: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, index))
    setSelected(next)
    virtualizer.scrollToIndex(next, { align: 'auto' })
  }
  // The selected row takes the keyboard focus once it is drawn (after a move or coming Back).
  useEffect(() => {
    if (selected < 0) return
    const row = scroller.current?.querySelector<HTMLElement>(`[data-index="${selected}"]`)
    const active = document.activeElement
    // Only when the keyboard is in the list already, or nowhere (coming Back): never out of a field elsewhere.
    if (row && (active === null || active === document.body || scroller.current?.contains(active))) row.focus({ preventScroll: true })
  }, [selected, items.length])

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target instanceof HTMLElement && event.target.getAttribute('role') !== 'row') return // typing in a cell's field
    if (event.ctrlKey || event.metaKey || event.altKey) return
    const key = event.key.toLowerCase()
    const current = Math.max(selected, 0)
    if (key === 'arrowdown' || key === 'j') select(selected < 0 ? 0 : current + 1)
    else if (key === 'arrowup' || key === 'k') select(current - 1)
    else if (key === 'home') select(0)
    else if (key === 'end') select(rows.length - 1)
    else if (key === 'enter' && selected >= 0) onOpen(selected, { row: selected, top: firstIndex })
    else if (key in STATE_KEYS && rows[current]) {
      const o = rows[current]
      update.mutate({ type: o.type, user_id: o.user_id, agent_external_id: o.agent_external_id, state: STATE_KEYS[key] })
    } else return
    event.preventDefault()
  }

  return (
    <div className={classes.table} role="table" aria-label="Opportunities" aria-rowcount={total}>
      <div className={`${classes.row} ${classes.header}`} role="row">
        {COLUMNS.map((column) => (
          <UnstyledButton
            key={column.label}
            role="columnheader"
            className={classes.headerCell}
            data-numeric={column.numeric || undefined}
            onClick={() => column.key && onSort(column.key)}
            disabled={!column.key}
            tabIndex={column.key ? 0 : -1}
            aria-sort={sort.key === column.key ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
          >
            {column.label}
            {sort.key === column.key ? sort.direction === 'asc' ? <IconArrowUp size={12} /> : <IconArrowDown size={12} /> : null}
          </UnstyledButton>
        ))}
      </div>
      <div ref={scroller} className={classes.body} data-testid="opportunity-rows" onKeyDown={onKeyDown}>
        {empty ? (
          <Text c="dimmed" p="xl" ta="center">
            No opportunities match these filters.
          </Text>
        ) : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const o = rows[item.index]
            const isSelected = item.index === selected
            return (
              <div
                key={item.key}
                ref={isSelected ? virtualizer.measureElement : undefined}
                data-index={item.index}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={isSelected}
                tabIndex={isSelected || (selected < 0 && item.index === 0) ? 0 : -1}
                data-selected={isSelected || undefined}
                className={`${classes.row} ${classes.bodyRow}`}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={() => onOpen(item.index, { row: item.index, top: firstIndex })}
                onFocus={(event) => event.target === event.currentTarget && setSelected(item.index)}
                data-testid="opportunity-row"
              >
                <div role="cell" className={classes.num} data-testid="cell-score">
                  <ScoreExplanation opportunity={o} />
                </div>
                <div role="cell">
                  <div className={classes.name}>
                    <b>{clientLabel(o.client_name, o.user_id)}</b>
                    <Badge size="xs" variant="light" color={TYPE_COLORS[o.type].mantine} ml={6} style={{ verticalAlign: 1 }}>
                      {TYPE_LABELS[o.type]}
                    </Badge>
                  </div>
                  <div className={classes.why} title={o.description} data-testid="cell-why">
                    {o.description}
                  </div>
                </div>
                <Text role="cell" size="sm" className={classes.ellipsis} title={agentLabel(o)}>
                  {agentLabel(o)}
                </Text>
                <Text role="cell" size="sm" className={classes.ellipsis} data-testid="cell-phone">
                  {o.phone_number ?? '—'}
                </Text>
                <div role="cell" className={classes.num}>
                  {formatInr(o.current_sip_amount)}
                </div>
                <div role="cell" className={classes.num} data-testid="cell-annual">
                  <b>{formatInr(o.annual_value)}</b>
                </div>
                <div role="cell">
                  <NextAction date={o.next_action_date} today={today} />
                </div>
                <div role="cell">
                  <FollowUpStateSelect opportunity={o} />
                </div>
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}
