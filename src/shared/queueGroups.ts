/** SPEC §5: the Today queue's groups, most urgent first; each client is in the first it matches. */
export const QUEUE_GROUP = { overdue: 1, due_today: 2, final_warning: 3, everyone_else: 4 } as const
export type QueueGroup = (typeof QUEUE_GROUP)[keyof typeof QUEUE_GROUP]

/** The groups in queue order. */
export const QUEUE_GROUPS: readonly QueueGroup[] = Object.values(QUEUE_GROUP)

/** Each group as Today's headings and the CLI name it. */
export const GROUP_LABELS: Record<QueueGroup, string> = {
  [QUEUE_GROUP.overdue]: 'Overdue',
  [QUEUE_GROUP.due_today]: 'Due today',
  [QUEUE_GROUP.final_warning]: 'One failure from cancellation',
  [QUEUE_GROUP.everyone_else]: 'Everyone else',
}
