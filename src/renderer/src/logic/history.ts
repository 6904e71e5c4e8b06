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
