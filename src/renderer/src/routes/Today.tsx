import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Badge, Card, Group, Kbd, SegmentedControl, Stack, Text, Title } from '@mantine/core'
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react'
import { useWindowEvent } from '@mantine/hooks'
import { useVirtualizer } from '@tanstack/react-virtual'
import { Redirect, useLocation } from 'wouter'
import { clientLabel } from '@shared/detection'
import { GROUP_LABELS, QUEUE_GROUP, type QueueGroup } from '@shared/queueGroups'
import { formatCount, formatDate } from '@shared/format'
import { clientPath } from '../logic/labels'
import { useAppInfo, useDayPlan, useScheduledPages, useTodayPages } from '../api/queries'
import { OpenData } from '../components/OpenData'
import { AgentFilter } from '../components/today/AgentFilter'
import { localToday } from '@shared/format'
import { LogCallDialog, type CallTarget } from '../components/today/LogCallDialog'
import { MessageDialog, type MessageTarget } from '../components/today/MessageDialog'
import { NoClientListNotice, PlanStrip } from '../components/today/PlanStrip'
import { TodayRowView, rowKey, type QueueRow } from '../components/today/TodayRowView'
import classes from '../components/today/Today.module.css'
import { DashboardRoute } from './Dashboard'

const GROUP_COLORS: Record<QueueGroup, string> = {
  [QUEUE_GROUP.overdue]: 'red',
  [QUEUE_GROUP.due_today]: 'blue',
  [QUEUE_GROUP.final_warning]: 'grape',
  [QUEUE_GROUP.everyone_else]: 'dimmed',
}

const ROW_HEIGHT = 50
const HEADING_HEIGHT = 28

type Item =
  | { kind: 'heading'; key: string; label: string; color: string; count: number | null }
  | { kind: 'row'; index: number }
  | { kind: 'later'; count: number }

/** Today shows the day's plan (and the rest of the queue under it, collapsed) or Scheduled. */
type View = 'plan' | 'scheduled'

const groupHeading = (group: QueueGroup): Item => ({
  kind: 'heading',
  key: `group-${group}`,
  label: GROUP_LABELS[group],
  color: GROUP_COLORS[group],
  count: null,
})

/** A done or resolved row of the plan: the keyboard passes over it on to the next call. */
const settled = (row: QueueRow): boolean => Boolean(row.done || row.resolved)

/** `/`: Today once a book is loaded; before that, the first-run screen. */
export function HomeRoute() {
  const info = useAppInfo()
  if (!info.data) return null
  return info.data.sip_count > 0 ? <Redirect to="/today" replace /> : <DashboardRoute />
}

const callTarget = (row: QueueRow): CallTarget => ({
  user_id: row.user_id,
  agent_external_id: row.agent_external_id,
  label: clientLabel(row.client_name, row.user_id),
  context: row,
})

const messageTarget = (row: QueueRow): MessageTarget => ({
  user_id: row.user_id,
  agent_external_id: row.agent_external_id,
  label: clientLabel(row.client_name, row.user_id),
  phone: row.phone,
  email: row.email,
  types: row.reasons.map((reason) => reason.type),
})

/** True when a key press belongs to a field, a control or a dialog, not to the list. */
const typingIn = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.closest('[role=dialog]') !== null)

/** SPEC §5: the call queue — whom to call, why, on what number — worked from the keyboard. */
export function TodayRoute() {
  const [, navigate] = useLocation()
  const info = useAppInfo()
  const [agent, setAgent] = useState<string | null>(null)
  const [view, setView] = useState<View>('plan')
  const [laterOpen, setLaterOpen] = useState(false)
  const plan = useDayPlan(agent)
  const scheduled = useScheduledPages(agent)
  const scheduledTotal = scheduled.data?.pages[0]?.total
  const pages = useTodayPages(agent)
  /** The list the view shows: Scheduled's pages, or the queue's (its plan, and the rest under Later). */
  const shown = view === 'scheduled' ? scheduled : pages
  const first = pages.data?.pages[0]
  const today = localToday()

  // SPEC §5: the plan's rows in place; below them the rest of the queue, collapsed under "Later".
  const { rows, items } = useMemo(() => {
    const rows: QueueRow[] = []
    const items: Item[] = []
    const add = (row: QueueRow) => {
      items.push({ kind: 'row', index: rows.length })
      rows.push(row)
    }
    if (view === 'scheduled') {
      // Each date's heading counts all its clients, those of pages not fetched yet too.
      const byDate = new Map(scheduled.data?.pages[0]?.dates.map((d) => [d.date, d.clients]))
      for (const row of scheduled.data?.pages.flatMap((p) => p.rows) ?? []) {
        const date = row.next_action_date!
        if (rows.at(-1)?.next_action_date !== date)
          items.push({ kind: 'heading', key: `date-${date}`, label: formatDate(date), color: 'blue', count: byDate.get(date) ?? 0 })
        add(row)
      }
      return { rows, items }
    }
    const planned = plan.data?.rows ?? []
    planned.forEach(add)
    if ((plan.data?.later ?? 0) > 0) items.push({ kind: 'later', count: plan.data!.later })
    if (laterOpen) {
      const inPlan = new Set(planned.map(rowKey))
      let group: QueueGroup | null = null
      for (const row of pages.data?.pages.flatMap((p) => p.rows) ?? []) {
        if (inPlan.has(rowKey(row))) continue
        if (row.group !== group) items.push(groupHeading((group = row.group)))
        add(row)
      }
    }
    return { rows, items }
  }, [view, scheduled.data, plan.data, laterOpen, pages.data])
  const itemOfRow = useMemo(() => {
    const map: number[] = []
    items.forEach((item, i) => item.kind === 'row' && (map[item.index] = i))
    return map
  }, [items])

  // The selection follows a client, not a position: after a save the list changes under it.
  const [selectedKey, setSelectedKey] = useState<string | null>(null)
  const lastIndex = useRef(0)
  const found = selectedKey === null ? rows.findIndex((row) => !settled(row)) : rows.findIndex((row) => rowKey(row) === selectedKey)
  const selectedIndex = rows.length === 0 ? -1 : found >= 0 ? found : Math.min(lastIndex.current, rows.length - 1)
  useEffect(() => {
    if (selectedIndex >= 0) lastIndex.current = selectedIndex
  }, [selectedIndex])
  const selected = selectedIndex >= 0 ? rows[selectedIndex] : null

  const [calling, setCalling] = useState<{ target: CallTarget; index: number } | null>(null)
  const [messaging, setMessaging] = useState<MessageTarget | null>(null)

  const scroller = useRef<HTMLDivElement>(null)
  const getItemKey = useCallback(
    (i: number) => {
      const item = items[i]
      return item.kind === 'heading' ? item.key : item.kind === 'later' ? 'later' : rowKey(rows[item.index])
    },
    [items, rows],
  )
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (items[i]?.kind === 'row' ? ROW_HEIGHT : HEADING_HEIGHT),
    getItemKey,
    overscan: 4,
  })
  const virtualItems = virtualizer.getVirtualItems()
  const lastVisible = virtualItems.length > 0 ? virtualItems[virtualItems.length - 1].index : -1
  useEffect(() => {
    // The queue's pages are drawn only under an open Later.
    const more = view === 'scheduled' || laterOpen
    if (more && lastVisible >= items.length - 20 && shown.hasNextPage && !shown.isFetchingNextPage) void shown.fetchNextPage()
  }, [laterOpen, view, lastVisible, items.length, shown])

  const select = useCallback(
    (index: number) => {
      const row = rows[index]
      if (!row) return
      setSelectedKey(rowKey(row))
      virtualizer.scrollToIndex(index === 0 ? 0 : itemOfRow[index], { align: 'auto' })
    },
    [rows, itemOfRow, virtualizer],
  )
  const openClient = useCallback((row: QueueRow) => navigate(clientPath(row)), [navigate])
  const logCall = useCallback(
    (row: QueueRow) => {
      const index = rows.findIndex((r) => rowKey(r) === rowKey(row))
      setSelectedKey(rowKey(row))
      setCalling({ target: callTarget(row), index })
    },
    [rows],
  )
  const message = useCallback((row: QueueRow) => {
    setSelectedKey(rowKey(row))
    setMessaging(messageTarget(row))
  }, [])
  const afterSave = () => {
    if (!calling) return
    // On to the next client still to call after the logged row (a plan's row stays in place, done).
    const next = rows.find((row, i) => i > calling.index && !settled(row)) ?? rows[calling.index + 1] ?? rows[calling.index - 1]
    if (next) setSelectedKey(rowKey(next))
  }

  useWindowEvent('keydown', (event) => {
    if (calling || messaging || event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return
    if (event.key === 'Enter' && event.target instanceof HTMLElement && ['BUTTON', 'A'].includes(event.target.tagName)) return
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key
    const actions: Record<string, () => void> = {
      j: () => select(Math.min(rows.length - 1, selectedIndex + 1)),
      ArrowDown: () => select(Math.min(rows.length - 1, selectedIndex + 1)),
      k: () => select(Math.max(0, selectedIndex - 1)),
      ArrowUp: () => select(Math.max(0, selectedIndex - 1)),
      l: () => selected && logCall(selected),
      m: () => selected && message(selected),
      Enter: () => selected && openClient(selected),
    }
    const action = actions[key]
    if (!action || !selected) return
    event.preventDefault()
    action()
  })

  if (info.data?.sip_count === 0) return <OpenData />
  const total = first?.total ?? 0
  return (
    <Stack gap="xs" h="calc(100vh - 56px - 2 * var(--mantine-spacing-lg))" data-testid="today">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="md" align="baseline" wrap="nowrap">
          <Title order={3}>Today</Title>
          <Text size="sm" c="dimmed" data-testid="queue-size">
            {pages.isPending ? 'Loading…' : `${formatCount(total)} client${total === 1 ? '' : 's'} to call`}
            {first?.refreshing ? ' · recalculating…' : ''}
          </Text>
          <Badge variant="light" color="green" size="lg" tt="none" data-testid="calls-today">
            {formatCount(first?.calls_today ?? 0)} call{first?.calls_today === 1 ? '' : 's'} logged today
          </Badge>
        </Group>
        <Group gap="md" wrap="nowrap">
          <Text size="xs" c="dimmed" visibleFrom="lg">
            <Kbd size="xs">J</Kbd>/<Kbd size="xs">K</Kbd> move · <Kbd size="xs">L</Kbd> log call · <Kbd size="xs">M</Kbd> message ·{' '}
            <Kbd size="xs">Enter</Kbd> open
          </Text>
          <AgentFilter
            value={agent}
            onChange={(value) => {
              setAgent(value)
              setSelectedKey(null)
              lastIndex.current = 0
            }}
          />
        </Group>
      </Group>
      <Group justify="space-between" wrap="nowrap" gap="md">
        <Group gap="md" wrap="nowrap">
          <SegmentedControl
            size="xs"
            value={view}
            onChange={(value) => {
              setView(value as View)
              setSelectedKey(null)
              lastIndex.current = 0
            }}
            data={[
              { value: 'plan', label: 'Today’s plan' },
              { value: 'scheduled', label: `Scheduled: ${formatCount(scheduledTotal ?? 0)}` },
            ]}
            aria-label="Today’s plan or Scheduled"
            data-testid="today-view"
          />
          {view === 'plan' && plan.data ? <PlanStrip plan={plan.data} agent={agent} /> : null}
          {view === 'scheduled' ? (
            <Text size="sm" c="dimmed">
              Next action dates in the next 30 days
            </Text>
          ) : null}
        </Group>
        <NoClientListNotice rows={rows} />
      </Group>
      <Card
        withBorder
        radius="md"
        p={0}
        className={classes.list}
        role="grid"
        aria-label={view === 'scheduled' ? 'Scheduled calls' : 'Today’s calls'}
        aria-rowcount={view === 'scheduled' ? scheduledTotal : total}
      >
        <div className={`${classes.row} ${classes.header}`} role="row">
          <span role="columnheader">Client</span>
          <span role="columnheader">Why call</span>
          <span
            role="columnheader"
            className={classes.numeric}
            title="₹ a year flowing through the SIPs behind the reasons, each SIP counted once (click an amount for its reasons)"
          >
            ₹ a year at stake
          </span>
          <span role="columnheader">Last call</span>
          <span role="columnheader">Next action</span>
          <span role="columnheader" className={classes.numeric}>
            Actions
          </span>
        </div>
        <div ref={scroller} className={classes.body} data-testid="today-rows">
          {shown.isError ? (
            <Text c="red" p="xl">
              {(shown.error as Error).message}
            </Text>
          ) : null}
          {view === 'plan' && plan.data && rows.length === 0 && total === 0 && !first?.refreshing ? (
            <Text c="dimmed" p="xl" ta="center" data-testid="today-empty">
              No one is due a call{agent ? ' for this agent' : ''} today.
            </Text>
          ) : null}
          {view === 'scheduled' && scheduledTotal === 0 ? (
            <Text c="dimmed" p="xl" ta="center" data-testid="scheduled-empty">
              No call scheduled{agent ? ' for this agent' : ''} in the next 30 days.
            </Text>
          ) : null}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualItems.map((virtual) => {
              const item = items[virtual.index]
              const style = { transform: `translateY(${virtual.start}px)`, height: virtual.size }
              if (item.kind === 'heading') {
                return (
                  <div key={virtual.key} className={`${classes.item} ${classes.groupHeading}`} style={style} data-testid="today-group">
                    <Text span inherit c={item.color}>
                      {item.label}
                    </Text>
                    {item.count !== null ? (
                      <Text span size="xs" c="dimmed" fw={500}>
                        {formatCount(item.count)}
                      </Text>
                    ) : null}
                  </div>
                )
              }
              if (item.kind === 'later') {
                const Chevron = laterOpen ? IconChevronDown : IconChevronRight
                return (
                  <button
                    key={virtual.key}
                    type="button"
                    className={`${classes.item} ${classes.groupHeading} ${classes.later}`}
                    style={style}
                    aria-expanded={laterOpen}
                    onClick={() => setLaterOpen((open) => !open)}
                    data-testid="plan-later"
                  >
                    <Chevron size={14} />
                    Later: {formatCount(item.count)} more client{item.count === 1 ? '' : 's'}
                  </button>
                )
              }
              const row = rows[item.index]
              return (
                <div key={virtual.key} className={classes.item} style={style}>
                  <TodayRowView
                    row={row}
                    selected={item.index === selectedIndex}
                    today={today}
                    onSelect={setSelectedKey}
                    onLogCall={logCall}
                    onMessage={message}
                    onOpen={openClient}
                  />
                </div>
              )
            })}
          </div>
        </div>
      </Card>
      <LogCallDialog target={calling?.target ?? null} onClose={() => setCalling(null)} onSaved={afterSave} />
      <MessageDialog target={messaging} onClose={() => setMessaging(null)} />
    </Stack>
  )
}
