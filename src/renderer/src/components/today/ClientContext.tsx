import { Group, Text } from '@mantine/core'
import { OUTCOME_LABELS, TYPE_LABELS, type TodayRow } from '@shared/detection'
import { formatInr } from '@shared/format'
import { OUTCOME_COLORS, formatWhen } from './callWords'
import classes from './Today.module.css'

/** A client's reasons to call, most urgent first, each with its ₹ a year (the at-stake popover, the Log call dialog). */
export function ReasonAmounts({ reasons }: { reasons: TodayRow['reasons'] }) {
  return reasons.map((reason) => (
    <Group key={reason.type} justify="space-between" mt={6} wrap="nowrap" gap="sm" data-testid="reason-amount">
      <Text size="xs">{TYPE_LABELS[reason.type]}</Text>
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {formatInr(reason.annual_value)} a year
      </Text>
    </Group>
  ))
}

const CHANNEL_WORDS = { copy: 'Message copied', email: 'Email opened', whatsapp: 'WhatsApp opened' } as const

/** SPEC §4, §8.11: the latest call or message to a client, in two short lines ("not called yet" when none). */
export function LastContact({ contact }: { contact: TodayRow['last_contact'] }) {
  if (!contact) return <div className={classes.small}>not called yet</div>
  const outcome = contact.outcome
  return (
    <>
      <div className={classes.small}>
        <span className={classes.outcome}>
          {outcome ? (
            <span className={classes.dot} style={{ background: `var(--mantine-color-${OUTCOME_COLORS[outcome]}-filled)` }} />
          ) : null}
          {outcome ? OUTCOME_LABELS[outcome] : CHANNEL_WORDS[contact.channel ?? 'copy']}
        </span>{' '}
        · {formatWhen(contact.at)}
      </div>
      {contact.note ? (
        <div className={classes.note} title={contact.note}>
          {contact.note}
        </div>
      ) : null}
    </>
  )
}
