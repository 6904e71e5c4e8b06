import { EVENT_LABELS } from '@shared/changes'
import type { ClientDetail } from '@shared/detection'
import { formatDateTime } from '@shared/format'

/** Each SIP's amount at every snapshot the app has seen, for the history chart. */
export function historySeries(detail: ClientDetail) {
  const snapshots = [...new Set(detail.history.map((h) => h.snapshot_at))].sort()
  const ids = [...new Set(detail.history.map((h) => h.sip_meta_id))]
  return {
    /** Worth a chart only when some SIP was seen in more than one export. */
    changed: ids.some((id) => detail.history.filter((h) => h.sip_meta_id === id).length > 1),
    labels: snapshots.map((s) => (s ? formatDateTime(s) : 'undated')),
    series: ids.map((id) => ({
      name: id,
      values: snapshots.map((s) => detail.history.find((h) => h.sip_meta_id === id && h.snapshot_at === s)?.amount ?? null),
    })),
  }
}

/** SPEC §7.1 marks on the history: per snapshot, what the import that stored it saw change in each SIP (new SIPs left out). */
export const historyMarks = (detail: ClientDetail): { key: string; text: string }[] =>
  detail.history
    .map((h) => ({ h, events: h.events.filter((e) => e !== 'new_sip') }))
    .filter(({ events }) => events.length > 0)
    .map(({ h, events }) => ({
      key: `${h.sip_meta_id}-${h.snapshot_at}`,
      text: `${h.snapshot_at ? formatDateTime(h.snapshot_at) : 'undated'} · SIP ${h.sip_meta_id}: ${events.map((e) => EVENT_LABELS[e].toLowerCase()).join(', ')}`,
    }))
