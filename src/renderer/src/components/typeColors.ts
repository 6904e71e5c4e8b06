import type { OpportunityType } from '@shared/detection'

/** Mantine colour names per opportunity type, for badges and chart segments alike. */
export const TYPE_COLORS: Record<OpportunityType, string> = { no_sip_increase: 'indigo', failed_sips: 'red', high_value_inactive: 'yellow' }
