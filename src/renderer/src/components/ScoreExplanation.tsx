import { useState } from 'react'
import { Popover, Stack, Text, UnstyledButton } from '@mantine/core'
import { DEFAULT_THRESHOLDS, TYPE_LABELS, type Opportunity, type Thresholds } from '@shared/detection'
import { formatCount, formatDate } from '@shared/format'
import { useSettings } from '../api/queries'
import classes from '../routes/Opportunities.module.css'

const n = (value: number | null | undefined, digits = 2): string => (value ?? 0).toLocaleString('en-IN', { maximumFractionDigits: digits })

/** The formula of an opportunity's score (SPEC §3.2–3.4b) and the figures that went into it. */
export function scoreExplanation(o: Opportunity, t: Thresholds): { formula: string; workings: string } {
  const score = o.score.toFixed(2)
  switch (o.type) {
    case 'no_sip_increase':
      return {
        formula: 'min(10, months the longest SIP has run ÷ 6): the longer without a step-up, the higher.',
        workings: `min(10, ${formatCount(o.running_months)} ÷ 6) = ${score}`,
      }
    case 'failed_sips': {
      const rate = (o.failure_rate ?? 0) * 100
      return {
        formula: 'min(10, highest failure rate in % ÷ 10): a SIP that fails every instalment scores 10.',
        workings: `failure rate ${n(rate, 1)}% → min(10, ${n(rate, 1)} ÷ 10) = ${score}`,
      }
    }
    case 'high_value_inactive':
      return {
        formula: 'min(10, days since the last successful instalment ÷ 30): a point a month.',
        workings: `min(10, ${formatCount(o.days_since_activity)} ÷ 30) = ${score}`,
      }
    case 'auto_cancel_risk': {
      const N = t.auto_cancel_after
      const missed = o.missed_instalments ?? 0
      return {
        formula: `10 when one more failure cancels a SIP (${N - 1} of ${N} missed); else 10 × missed ÷ ${N - 1}, at least 6 when a SIP has probably been cancelled already.`,
        workings: o.final_warning
          ? `${N - 1} of ${N} instalments missed${o.next_debit_date ? `, next debit ${formatDate(o.next_debit_date)}` : ''} → ${score}`
          : `${missed} missed${o.ceased ? ' (probably cancelled)' : ''} → ${score}`,
      }
    }
    case 'sip_ending': {
      const W = t.ending_within_days
      return {
        formula: `max(1, 10 × (${W} − days left) ÷ ${W}): the closer the end date, the higher.`,
        workings: `ends ${formatDate(o.end_date)}, ${formatCount(o.days_left)} days left → max(1, 10 × (${W} − ${formatCount(o.days_left)}) ÷ ${W}) = ${score}`,
      }
    }
  }
}

function Workings({ opportunity }: { opportunity: Opportunity }) {
  const settings = useSettings()
  const { formula, workings } = scoreExplanation(opportunity, settings.data?.thresholds ?? DEFAULT_THRESHOLDS)
  return (
    <Stack gap={4} data-testid="score-explanation">
      <Text size="sm" fw={700}>
        Score of {TYPE_LABELS[opportunity.type]} (0–10)
      </Text>
      <Text size="sm">{formula}</Text>
      <Text size="sm" ff="monospace">
        {workings}
      </Text>
      <Text size="xs" c="dimmed">
        Lists are ordered by score, then by ₹ a year at stake.
      </Text>
    </Stack>
  )
}

/** The score, which opens its explanation. */
export function ScoreExplanation({ opportunity, defaultOpened = false }: { opportunity: Opportunity; defaultOpened?: boolean }) {
  return (
    <Popover width={340} position="right-start" withArrow shadow="md" withinPortal defaultOpened={defaultOpened}>
      <Popover.Target>
        <UnstyledButton
          fw={700}
          fz="sm"
          tabIndex={-1}
          aria-label={scoreLabel(opportunity)}
          onClick={(event) => event.stopPropagation()}
          style={{ textDecoration: 'underline dotted' }}
        >
          {opportunity.score.toFixed(1)}
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown onClick={(event) => event.stopPropagation()} onKeyDown={(event) => event.stopPropagation()}>
        <Workings opportunity={opportunity} />
      </Popover.Dropdown>
    </Popover>
  )
}

const scoreLabel = (o: Opportunity): string => `Score ${o.score.toFixed(1)}: how it is computed`

/**
 * The score in a list row: a plain button until it is first clicked, then the popover above. A
 * popover per row (its positioning hooks) costs more than the whole rest of the row, and few are opened.
 */
export function ScoreButton({ opportunity }: { opportunity: Opportunity }) {
  const [wanted, setWanted] = useState(false)
  if (wanted) return <ScoreExplanation opportunity={opportunity} defaultOpened />
  return (
    <button
      type="button"
      className={classes.score}
      tabIndex={-1}
      aria-label={scoreLabel(opportunity)}
      onClick={(event) => {
        event.stopPropagation()
        setWanted(true)
      }}
    >
      {opportunity.score.toFixed(1)}
    </button>
  )
}
