import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { Badge, Text, UnstyledButton } from '@mantine/core'
import { IconArrowDown, IconArrowUp } from '@tabler/icons-react'
import { useDebouncedValue } from '@mantine/hooks'
import { useVirtualizer } from '@tanstack/react-virtual'
import { clientLabel, TYPE_LABELS, type FollowUpState, type Opportunity } from '@shared/detection'
import { formatDate, formatInr } from '@shared/format'
import { useFollowUpUpdate } from '../api/queries'
import { dateStanding } from '../logic/dates'
import { localToday } from '@shared/format'
import { agentLabel } from '@shared/detection'
import type { Direction, SortKey } from '../logic/listState'
import { RowStateSelect } from './FollowUpStateSelect'
import { ScoreButton } from './ScoreExplanation'
import { TYPE_CHIP_STYLES } from './TypeBadge'
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
  if (standing === 'none') return <span className={classes.dimmed}>—</span>
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

interface RowProps {
  o: Opportunity
  index: number
  start: number
  selected: boolean
  /** The row Tab reaches (the selected one, else the first). */
  tabbable: boolean
  today: string
  /** Given to the selected row only: it grows to its whole "why" line, so its height is measured. */
  measure?: (element: HTMLElement | null) => void
  onOpen: (index: number) => void
  onSelect: (index: number) => void
  onState: (o: Opportunity, state: FollowUpState) => void
}

/**
 * One opportunity. Memoised: a new selection, scroll position or page of rows redraws only the rows
 * whose own props changed. Plain elements and CSS classes rather than a component per cell, since a
 * screen shows ~30 of them at once.
 */
const Row = memo(function Row({ o, index, start, selected, tabbable, today, measure, onOpen, onSelect, onState }: RowProps) {
  const agent = agentLabel(o)
  return (
    <div
      ref={measure}
      data-index={index}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      tabIndex={tabbable ? 0 : -1}
      data-selected={selected || undefined}
      className={`${classes.row} ${classes.bodyRow}`}
      style={{ transform: `translateY(${start}px)` }}
      onClick={() => onOpen(index)}
      onFocus={(event) => event.target === event.currentTarget && onSelect(index)}
      data-testid="opportunity-row"
    >
      <div role="cell" className={classes.num} data-testid="cell-score">
        <ScoreButton opportunity={o} />
      </div>
      <div role="cell">
        <div className={classes.name}>
          <b>{clientLabel(o.client_name, o.user_id)}</b>
          <span className={classes.typeChip} style={TYPE_CHIP_STYLES[o.type]}>
            {TYPE_LABELS[o.type]}
          </span>
        </div>
        <div className={classes.why} title={o.description} data-testid="cell-why">
          {o.description}
        </div>
      </div>
      <div role="cell" className={classes.cellText} title={agent}>
        {agent}
      </div>
      <div role="cell" className={classes.cellText} data-testid="cell-phone">
        {o.phone_number ?? '—'}
      </div>
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
        <RowStateSelect opportunity={o} onChange={onState} />
      </div>
    </div>
  )
})

interface Props {
  rows: Opportunity[]
  total: number
  sort: { key: SortKey; direction: Direction }
  onSort: (key: SortKey) => void
  /** Which list this is (its filters and sort): a new one starts at `initialRow`/`initialTop`. */
  listKey: string
  /** Where the list was left: the selected row and the first row in view (read when the list is new). */
  initialRow: number
  initialTop: number
  /** The rows are the previous list's, shown until the new one's arrive. */
  stale: boolean
  /** Asked for when the rows in view near the end of what is loaded. */
  onNeedMore: () => void
  /** The selection or scroll position moved (to keep in the address). */
  onPlace: (place: { row: number; top: number }) => void
  onOpen: (opportunity: Opportunity, place: { row: number; top: number }) => void
  empty: boolean
}

/** The opportunities as a virtualised grid: one row per opportunity, keyboard first. */
export const OpportunityTable = memo(function OpportunityTable({
  rows,
  total,
  sort,
  onSort,
  listKey,
  initialRow,
  initialTop,
  stale,
  onNeedMore,
  onPlace,
  onOpen,
  empty,
}: Props) {
  const scroller = useRef<HTMLDivElement>(null)
  const [selected, setSelected] = useState(initialRow)
  const [shownList, setShownList] = useState(listKey)
  if (shownList !== listKey) {
    // Another list (filter, sort, Back to another list): its own place, not this one's.
    setShownList(listKey)
    setSelected(initialRow)
  }
  const update = useFollowUpUpdate()
  const today = localToday()
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
    initialOffset: initialTop * ROW_HEIGHT,
    // The body's size as the screen lays it out (the window less the chrome around the list), so the
    // first render draws the rows in view, and measuring the body does not draw them again.
    initialRect: { width: window.innerWidth - 249, height: Math.max(ROW_HEIGHT, window.innerHeight - 240) },
  })
  const firstList = useRef(listKey)
  useEffect(() => {
    if (firstList.current === listKey) return // the first list starts at `initialOffset`
    firstList.current = listKey
    virtualizer.scrollToOffset(initialTop * ROW_HEIGHT)
    // Only a new list moves the scroll position; `initialTop` follows the list as it scrolls.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [listKey, virtualizer])
  const items = virtualizer.getVirtualItems()
  const lastIndex = items.length > 0 ? items[items.length - 1].index : -1
  const offset = virtualizer.scrollOffset ?? initialTop * ROW_HEIGHT
  const firstIndex = items.find((item) => item.end > offset)?.index ?? 0
  useEffect(() => {
    if (!stale && lastIndex >= rows.length - 20 && rows.length < total) onNeedMore()
  }, [stale, lastIndex, rows.length, total, onNeedMore])
  const [settled] = useDebouncedValue(`${selected}:${firstIndex}`, 250)
  useEffect(() => {
    if (stale) return
    const [row, top] = settled.split(':').map(Number)
    onPlace({ row, top })
  }, [stale, settled, onPlace])

  // Only the selected row grows (its whole "why" line); a new selection puts the others back to the fixed height.
  useEffect(() => virtualizer.measure(), [selected, virtualizer])

  // Rows are memoised: what they are handed must not change with every render.
  const latest = useRef({ rows, firstIndex, onOpen })
  latest.current = { rows, firstIndex, onOpen }
  const openRow = useCallback((index: number) => {
    const { rows: current, firstIndex: top, onOpen: open } = latest.current
    if (current[index]) open(current[index], { row: index, top })
  }, [])
  const setState = useCallback(
    (o: Opportunity, state: FollowUpState) =>
      update.mutate({ type: o.type, user_id: o.user_id, agent_external_id: o.agent_external_id, state }),
    [update.mutate], // eslint-disable-line react-hooks/exhaustive-deps
  )

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
    else if (key === 'enter' && selected >= 0) openRow(selected)
    else if (key in STATE_KEYS && rows[current]) setState(rows[current], STATE_KEYS[key])
    else return
    event.preventDefault()
  }

  return (
    <div className={classes.table} role="table" aria-label="Opportunities" aria-rowcount={total} aria-busy={stale}>
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
      <div ref={scroller} className={classes.body} data-testid="opportunity-rows" data-stale={stale || undefined} onKeyDown={onKeyDown}>
        {empty ? (
          <Text c="dimmed" p="xl" ta="center">
            No opportunities match these filters.
          </Text>
        ) : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const isSelected = item.index === selected
            return (
              <Row
                key={item.key}
                o={rows[item.index]}
                index={item.index}
                start={item.start}
                selected={isSelected}
                tabbable={isSelected || (selected < 0 && item.index === 0)}
                today={today}
                measure={isSelected ? virtualizer.measureElement : undefined}
                onOpen={openRow}
                onSelect={setSelected}
                onState={setState}
              />
            )
          })}
        </div>
      </div>
    </div>
  )
})
