import { memo } from 'react'
import { Anchor, Badge, Button, Group, Popover, Text, Tooltip, UnstyledButton } from '@mantine/core'
import { IconMessage, IconPhoneCall } from '@tabler/icons-react'
import { clientLabel, TYPE_COLORS, TYPE_LABELS, type OpportunityType, type TodayRow } from '@shared/detection'
import { formatDate, formatInr } from '@shared/format'
import { formatWhen } from './callWords'
import { OutcomeDot } from './CallLog'
import classes from './Today.module.css'

/** The queue's key for a client (SPEC §3.1: a user_id with its agent). */
export const rowKey = (row: { user_id: string; agent_external_id: string | null }): string =>
  `${row.user_id}\u0000${row.agent_external_id ?? ''}`

/** ₹ a year at stake; a click explains why it is not the sum of the reasons. */
function AtStake({ row }: { row: TodayRow }) {
  return (
    <Popover width={300} position="bottom-end" withArrow shadow="md">
      <Popover.Target>
        <UnstyledButton className={classes.numeric} aria-label={`${formatInr(row.at_stake)} a year at stake: how it is counted`}>
          <Text size="sm" fw={600} data-testid="at-stake">
            {formatInr(row.at_stake)}
          </Text>
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown>
        <Text size="sm">
          {formatInr(row.at_stake)} a year flows through this client’s SIPs with a reason to call. Each SIP counts once, even when it is
          behind several reasons:
        </Text>
        {row.reasons.map((reason) => (
          <Group key={reason.type} justify="space-between" mt={6} wrap="nowrap">
            <Text size="xs">{TYPE_LABELS[reason.type]}</Text>
            <Text size="xs" c="dimmed">
              {formatInr(reason.annual_value)} a year
            </Text>
          </Group>
        ))}
        {row.reasons.length > 1 ? (
          <Text size="xs" c="dimmed" mt={6}>
            The reasons overlap, so their figures are not added up.
          </Text>
        ) : null}
      </Popover.Dropdown>
    </Popover>
  )
}

/** Chip words, short enough for three reasons on a row; the full name is the chip's label for screen readers. */
const SHORT_LABELS: Record<OpportunityType, string> = {
  no_sip_increase: 'No increase',
  failed_sips: 'Failed',
  high_value_inactive: 'Inactive',
  auto_cancel_risk: 'Auto-cancel',
  sip_ending: 'Ending',
}

/** The next action date, red when overdue; for a final warning, the debit that would cancel the SIP. */
function NextAction({ row, today }: { row: TodayRow; today: string }) {
  if (row.next_action_date) {
    const label = row.next_action_date === today ? 'Today' : formatDate(row.next_action_date)
    return (
      <Text size="sm" c={row.overdue ? 'red' : undefined} fw={row.overdue ? 600 : undefined} data-testid="next-action">
        {label}
        {row.overdue ? ' · overdue' : ''}
      </Text>
    )
  }
  if (row.final_warning_date) {
    const passed = row.final_warning_date < today
    return (
      <div>
        <Text size="sm" c={passed ? 'dimmed' : 'grape'} data-testid="next-action">
          Debit {formatDate(row.final_warning_date)}
        </Text>
        <Text
          size="xs"
          c={passed ? 'orange' : 'dimmed'}
          truncate
          title={passed ? 'That debit date has passed: import a fresh export to see where this SIP stands' : undefined}
        >
          {passed ? 'passed — import a fresh export' : 'one more failure cancels'}
        </Text>
      </div>
    )
  }
  return (
    <Text size="sm" c="dimmed">
      —
    </Text>
  )
}

interface RowProps {
  row: TodayRow
  selected: boolean
  today: string
  onSelect: (key: string) => void
  onLogCall: (row: TodayRow) => void
  onMessage: (row: TodayRow) => void
  onOpen: (row: TodayRow) => void
}

/** One client in the Today queue. */
export const TodayRowView = memo(function TodayRowView({ row, selected, today, onSelect, onLogCall, onMessage, onOpen }: RowProps) {
  const name = clientLabel(row.client_name, row.user_id)
  const [first] = row.reasons
  return (
    <div
      role="row"
      aria-selected={selected}
      data-selected={selected || undefined}
      data-testid="today-row"
      data-user={row.user_id}
      className={`${classes.row} ${classes.bodyRow}`}
      onMouseDown={() => onSelect(rowKey(row))}
    >
      <div role="cell" className={classes.cell}>
        <Anchor
          size="sm"
          fw={600}
          c="var(--mantine-color-text)"
          onClick={() => onOpen(row)}
          truncate="end"
          display="block"
          data-testid="client-link"
        >
          {name}
        </Anchor>
        {row.phone ? (
          <Anchor href={`tel:${row.phone}`} size="xs" c="dimmed" display="block">
            {row.phone}
          </Anchor>
        ) : (
          <Text size="xs" c="dimmed">
            no phone number
          </Text>
        )}
      </div>
      <div role="cell" className={classes.cell}>
        <div className={classes.chips}>
          {row.reasons.map((reason) => (
            <Tooltip key={reason.type} label={`${TYPE_LABELS[reason.type]}: ${reason.description}`} multiline w={340} openDelay={300}>
              <Badge
                size="sm"
                variant="light"
                tt="none"
                color={TYPE_COLORS[reason.type].mantine}
                style={{ flexShrink: 0 }}
                aria-label={TYPE_LABELS[reason.type]}
                data-testid="reason"
              >
                {SHORT_LABELS[reason.type]}
              </Badge>
            </Tooltip>
          ))}
        </div>
        {first ? (
          <Text size="xs" c="dimmed" truncate title={row.reasons.map((r) => r.description).join('\n')} mt={2}>
            {first.description}
          </Text>
        ) : null}
      </div>
      <div role="cell" className={`${classes.cell} ${classes.numeric}`}>
        <AtStake row={row} />
      </div>
      <div role="cell" className={classes.cell} data-testid="last-call">
        {row.last_call ? (
          <>
            <Group gap={6} wrap="nowrap">
              <OutcomeDot outcome={row.last_call.outcome} />
              <Text size="xs" c="dimmed" truncate>
                {formatWhen(row.last_call.at)}
              </Text>
            </Group>
            {row.last_call.note ? (
              <Text size="xs" truncate title={row.last_call.note} mt={2}>
                {row.last_call.note}
              </Text>
            ) : null}
          </>
        ) : (
          <Text size="xs" c="dimmed">
            not called yet
          </Text>
        )}
      </div>
      <div role="cell" className={classes.cell}>
        <NextAction row={row} today={today} />
      </div>
      <div role="cell" className={classes.actions}>
        <Button size="compact-xs" variant="light" leftSection={<IconPhoneCall size={13} />} onClick={() => onLogCall(row)}>
          Log call
        </Button>
        <Button size="compact-xs" variant="default" leftSection={<IconMessage size={13} />} onClick={() => onMessage(row)}>
          Message
        </Button>
      </div>
    </div>
  )
})
