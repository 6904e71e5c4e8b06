import { memo, useState } from 'react'
import { Button, Popover, Text } from '@mantine/core'
import { IconMessage, IconPhoneCall } from '@tabler/icons-react'
import { clientLabel, OUTCOME_LABELS, TYPE_LABELS, type OpportunityType, type PlanRow, type TodayRow } from '@shared/detection'
import { formatDate, formatInr } from '@shared/format'
import { TYPE_CHIP_STYLES } from '../TypeBadge'
import { LastContact, ReasonAmounts } from './ClientContext'
import classes from './Today.module.css'
import { agentKey } from '@shared/agentKey'
import { QUEUE_GROUP } from '@shared/queueGroups'

// Rows are plain elements styled by Today.module.css: a screenful renders at once and must stay
// cheap. Mantine components appear only where they earn it (buttons, the popover once opened).

/**
 * A client as Today shows it: a queue row, a row of the day's plan (done, resolved) or a scheduled
 * one (null group: not due now); the row shows its group only as a red next action when overdue.
 */
export type QueueRow = Omit<TodayRow, 'group'> & Pick<PlanRow, 'group'> & Partial<Pick<PlanRow, 'done' | 'outcome' | 'resolved'>>

/** The queue's key for a client (SPEC §3.1: a user_id with its agent). */
export const rowKey = (row: { user_id: string; agent_external_id: string | null }): string =>
  `${row.user_id}\u0000${agentKey(row.agent_external_id)}`

/** Chip words, short enough for three reasons on a row; the full name is the chip's label for screen readers. */
const SHORT_LABELS: Record<OpportunityType, string> = {
  no_sip_increase: 'No increase',
  failed_sips: 'Failed',
  high_value_inactive: 'Inactive',
  auto_cancel_risk: 'Auto-cancel',
  sip_ending: 'Ending',
}

/** As many chips as a row's "Why call" holds whole at 1366×768; past it, the last place says how many more. */
const MAX_CHIPS = 3

const shownReasons = <T,>(reasons: readonly T[]): readonly T[] => (reasons.length > MAX_CHIPS ? reasons.slice(0, MAX_CHIPS - 1) : reasons)

/** The reasons past the chips a row holds: "+2", named in full on hover and for screen readers. */
function MoreReasons({ reasons }: { reasons: readonly { type: OpportunityType }[] }) {
  const names = reasons.map((r) => TYPE_LABELS[r.type]).join(', ')
  return (
    <span className={`${classes.chip} ${classes.more}`} title={names} aria-label={`and ${names}`} data-testid="more-reasons">
      +{reasons.length}
    </span>
  )
}

/** ₹ a year at stake; a click explains why it is not the sum of the reasons (the popover is built only then). */
function AtStake({ row }: { row: QueueRow }) {
  const [opened, setOpened] = useState(false)
  const amount = (
    <button
      type="button"
      className={classes.stake}
      aria-label={`${formatInr(row.at_stake)} a year at stake: how it is counted`}
      onClick={() => setOpened((o) => !o)}
      data-testid="at-stake"
    >
      {formatInr(row.at_stake)}
    </button>
  )
  if (!opened) return amount
  return (
    <Popover opened onChange={setOpened} width={300} position="bottom-end" withArrow shadow="md">
      <Popover.Target>{amount}</Popover.Target>
      <Popover.Dropdown>
        <Text size="sm">
          {formatInr(row.at_stake)} a year flows through this client’s SIPs with a reason to call. Each SIP counts once, even when it is
          behind several reasons:
        </Text>
        <ReasonAmounts reasons={row.reasons} />
        {row.reasons.length > 1 ? (
          <Text size="xs" c="dimmed" mt={6}>
            The reasons overlap, so their figures are not added up.
          </Text>
        ) : null}
      </Popover.Dropdown>
    </Popover>
  )
}

/** The next action date, red when overdue; for a final warning, the debit that would cancel the SIP. */
function NextAction({ row, today }: { row: QueueRow; today: string }) {
  if (row.next_action_date) {
    const overdue = row.group === QUEUE_GROUP.overdue
    return (
      <div className={overdue ? classes.overdue : classes.line} data-testid="next-action">
        {row.next_action_date === today ? 'Today' : formatDate(row.next_action_date)}
        {overdue ? ' · overdue' : ''}
      </div>
    )
  }
  if (row.final_warning_date) {
    // SPEC §5 "One stale-data signal": the header's as-of badge says the data is old; a passed debit only reads grey.
    if (row.final_warning_date < today) {
      return (
        <div className={classes.dimmedLine} data-testid="next-action">
          Debit {formatDate(row.final_warning_date)} (passed)
        </div>
      )
    }
    return (
      <>
        <div className={classes.warningLine} data-testid="next-action">
          Debit {formatDate(row.final_warning_date)}
        </div>
        <div className={classes.small}>one more failure cancels</div>
      </>
    )
  }
  return <div className={classes.dimmedLine}>—</div>
}

interface RowProps {
  row: QueueRow
  selected: boolean
  today: string
  onSelect: (key: string) => void
  onLogCall: (row: QueueRow) => void
  onMessage: (row: QueueRow) => void
  onOpen: (row: QueueRow) => void
}

/** One client in the Today queue. */
export const TodayRowView = memo(function TodayRowView({ row, selected, today, onSelect, onLogCall, onMessage, onOpen }: RowProps) {
  const [first] = row.reasons
  return (
    <div
      role="row"
      aria-selected={selected}
      data-selected={selected || undefined}
      data-done={row.done || row.resolved || undefined}
      data-testid="today-row"
      data-user={row.user_id}
      className={`${classes.row} ${classes.bodyRow}`}
      onMouseDown={() => onSelect(rowKey(row))}
    >
      <div role="cell" className={classes.cell}>
        <button type="button" className={classes.name} onClick={() => onOpen(row)} data-testid="client-link">
          {clientLabel(row.client_name, row.user_id)}
        </button>
        {row.phone ? (
          <a href={`tel:${row.phone}`} className={classes.phone}>
            {row.phone}
          </a>
        ) : (
          <div className={classes.small}>no phone number</div>
        )}
      </div>
      <div role="cell" className={classes.cell}>
        <div className={classes.chips}>
          {shownReasons(row.reasons).map((reason) => (
            <span
              key={reason.type}
              className={classes.chip}
              style={TYPE_CHIP_STYLES[reason.type]}
              title={`${TYPE_LABELS[reason.type]}: ${reason.description}`}
              aria-label={TYPE_LABELS[reason.type]}
              data-testid="reason"
            >
              {SHORT_LABELS[reason.type]}
            </span>
          ))}
          {row.reasons.length > MAX_CHIPS ? <MoreReasons reasons={row.reasons.slice(MAX_CHIPS - 1)} /> : null}
        </div>
        {row.resolved ? (
          <div className={classes.small} data-testid="plan-status">
            resolved — an import cleared every reason to call
          </div>
        ) : row.done && row.outcome ? (
          <div className={classes.small} data-testid="plan-status">
            ✓ done today · {OUTCOME_LABELS[row.outcome]}
          </div>
        ) : first ? (
          <div className={classes.small} title={row.reasons.map((r) => r.description).join('\n')}>
            {first.description}
          </div>
        ) : null}
      </div>
      <div role="cell" className={`${classes.cell} ${classes.numeric}`}>
        <AtStake row={row} />
      </div>
      <div role="cell" className={classes.cell} data-testid="last-call">
        <LastContact contact={row.last_contact} />
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
