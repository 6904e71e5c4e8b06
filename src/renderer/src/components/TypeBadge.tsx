import type { CSSProperties } from 'react'
import { Badge, type BadgeProps } from '@mantine/core'
import { OPPORTUNITY_TYPES, TYPE_COLORS, TYPE_LABELS, type OpportunityType } from '@shared/detection'

/**
 * Each type's chip in Mantine's light badge colours, for plain spans where a list draws many at
 * once (a Mantine Badge per cell costs a visible frame at 100k rows).
 */
export const TYPE_CHIP_STYLES = Object.fromEntries(
  OPPORTUNITY_TYPES.map((type) => {
    const color = TYPE_COLORS[type].mantine
    return [type, { background: `var(--mantine-color-${color}-light)`, color: `var(--mantine-color-${color}-light-color)` }]
  }),
) as Record<OpportunityType, CSSProperties>

/** An opportunity type as a badge, in the type's own colour on every screen. */
export function TypeBadge({ type, ...props }: { type: OpportunityType } & Omit<BadgeProps, 'color' | 'children'>) {
  return (
    <Badge variant="light" color={TYPE_COLORS[type].mantine} {...props}>
      {TYPE_LABELS[type]}
    </Badge>
  )
}
