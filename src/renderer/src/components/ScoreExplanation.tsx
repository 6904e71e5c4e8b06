import { Popover, Stack, Text, UnstyledButton } from '@mantine/core'
import { TYPE_LABELS, type Opportunity } from '@shared/detection'
import { formatCount } from '@shared/format'

const n = (value: number | null | undefined, digits = 1): string => (value ?? 0).toLocaleString('en-IN', { maximumFractionDigits: digits })

/** The formula of an opportunity's score (SPEC §3.2–3.4b) and the figures that went into it. */
export function scoreExplanation(o: Opportunity): { formula: string; workings: string } {
  switch (o.type) {
    case 'no_sip_increase':
      return {
        formula: 'min(10, longest-running SIP in months ÷ 6): the longer without a step-up, the higher',
        workings: `min(10, ${formatCount(o.running_months)} ÷ 6) = ${o.score.toFixed(2)}`,
      }
    case 'failed_sips':
      return {
        formula: 'min(10, highest failure rate × 100 ÷ 10): a SIP failing every instalment scores 10',
        workings: `failure rate ${n((o.failure_rate ?? 0) * 100)}% → min(10, ${n((o.failure_rate ?? 0) * 100)} ÷ 10) = ${o.score.toFixed(2)}`,
      }
    case 'high_value_inactive':
      return {
        formula: 'min(10, days since the last successful instalment ÷ 30): one point a month',
        workings: `min(10, ${formatCount(o.days_since_activity)} ÷ 30) = ${o.score.toFixed(2)}`,
      }
  }
}

/** The score, which opens its explanation. */
export function ScoreExplanation({ opportunity }: { opportunity: Opportunity }) {
  const { formula, workings } = scoreExplanation(opportunity)
  return (
    <Popover width={320} position="right-start" withArrow shadow="md" withinPortal>
      <Popover.Target>
        <UnstyledButton
          fw={700}
          fz="sm"
          tabIndex={-1}
          aria-label={`Score ${opportunity.score.toFixed(1)}: how it is computed`}
          onClick={(event) => event.stopPropagation()}
          style={{ textDecoration: 'underline dotted' }}
        >
          {opportunity.score.toFixed(1)}
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown onClick={(event) => event.stopPropagation()} onKeyDown={(event) => event.stopPropagation()}>
        <Stack gap={4} data-testid="score-explanation">
          <Text size="sm" fw={700}>
            Score of {TYPE_LABELS[opportunity.type]} (0–10)
          </Text>
          <Text size="sm">{formula}</Text>
          <Text size="sm" ff="monospace">
            {workings}
          </Text>
          <Text size="xs" c="dimmed">
            The list is ordered by score, then by money at stake.
          </Text>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  )
}
