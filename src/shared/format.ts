/** Indian formats for money, counts and dates, shared by the renderer, the CLI and descriptions. */

const rupees = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR', maximumFractionDigits: 0 })
const count = new Intl.NumberFormat('en-IN')
/** The month names every date the app writes uses (`formatDate`). */
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `120000` → `₹1,20,000` (lakh/crore grouping, whole rupees). */
export const formatInr = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : rupees.format(value))

/** `2128219300` → `₹212.8 Cr`, `427000` → `₹4.27 L`: for cards and chart axes, where space is short. */
export function formatCompactInr(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—'
  const abs = Math.abs(value)
  if (abs >= 1e7) return `₹${(value / 1e7).toLocaleString('en-IN', { maximumFractionDigits: abs >= 1e9 ? 0 : 2 })} Cr`
  if (abs >= 1e5) return `₹${(value / 1e5).toLocaleString('en-IN', { maximumFractionDigits: 2 })} L`
  return formatInr(value)
}

/** `1234567` → `12,34,567`. */
export const formatCount = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : count.format(value))

/** `2026-09-21` (or a datetime) → `21 Sep`: where the year is plain from around it (chart axes). */
export function formatDayMonth(iso: string): string {
  return `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1] ?? '?'}`
}

/** `2026-01-05` (or a datetime) → `5 Jan 2026`. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso || iso.length < 10) return '—'
  return `${formatDayMonth(iso)} ${iso.slice(0, 4)}`
}

const pad2 = (n: number): string => String(n).padStart(2, '0')

/** `YYYY-MM-DD` of a local calendar day (not the UTC one, which is yesterday before 05:30 in India). */
export const isoOfLocal = (date: Date): string => `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`

/** Today's calendar date where the app runs: follow-up dates compare with it, not with the data's as-of date. */
export const localToday = (): string => isoOfLocal(new Date())

/** SPEC §2.5: the import report's line for a file read by a saved column mapping ("… saved on 7 Dec 2026", the local day). */
export const mappedAsSaved = (savedAt: string): string => `columns mapped as saved on ${formatDate(isoOfLocal(new Date(savedAt)))}`

/** `YYYY-MM-DD` moved by whole days (calendar arithmetic, no time zone involved). */
export const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/**
 * `2026-01-12T08:49:00` → `12 Jan 2026, 08:49` (the time as exported); an instant ending in `Z`
 * (the app's own bookkeeping) is shown in local time.
 */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  if (iso.endsWith('Z')) {
    const d = new Date(iso)
    return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}, ${pad2(d.getHours())}:${pad2(d.getMinutes())}`
  }
  return iso.length > 10 ? `${formatDate(iso)}, ${iso.slice(11, 16)}` : formatDate(iso)
}

/** `1536000` → `1.5 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

/**
 * A SIP's money per month as the advisor reads it (SPEC §2.3): `₹7,200 × 5 debits a month: 1, 7, 13, 19, 25`
 * for a SIP debited on several days, else its monthly amount.
 */
export const debitsLine = (sip: { amount: number; sip_days: readonly number[]; monthly_amount: number }): string =>
  sip.sip_days.length > 1
    ? `${formatInr(sip.amount)} × ${sip.sip_days.length} debits a month: ${sip.sip_days.join(', ')}`
    : formatInr(sip.monthly_amount)

/** A phrase as the start of a sentence: `restored from …` → `Restored from …`. */
export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

/** SPEC §5: what a restore says it did, in the app's notice and the CLI alike. */
export const restoredLine = (file: string, backupMadeAt: string): string =>
  `restored from ${file} (backup made ${formatDateTime(backupMadeAt)})`

/** What a restore brought within the app's limits (SPEC §8.8), in words; '' when nothing. */
export function outsideLimitsLine({ cleared, cut, dropped }: { cleared: number; cut: number; dropped: number }): string {
  const parts = [
    cleared > 0 ? `${formatCount(cleared)} ${cleared === 1 ? 'value' : 'values'} outside the app's limits restored as empty` : '',
    cut > 0 ? `${formatCount(cut)} ${cut === 1 ? 'text' : 'texts'} over 10,000 characters cut` : '',
    dropped > 0 ? `${formatCount(dropped)} ${dropped === 1 ? 'row' : 'rows'} with an amount outside the limits left out` : '',
  ].filter(Boolean)
  return parts.length === 0 ? '' : `${parts.join('; ')}.`
}
