/**
 * The value domain (SPEC §2.3, §8.8): what an imported value may be, the same for import and for
 * restore, so every book the app imports backs up and restores. The normalisers check values
 * against it as they read them; restore (`services/backupChecks.ts`) applies the same bounds in SQL
 * to a backup's copy, setting what lies outside to null.
 */

export const MIN_YEAR = 1900
export const MAX_YEAR = 2100
/** Money and counts: finite, 0 ≤ v ≤ 10^12 (₹1 lakh crore). */
export const MAX_AMOUNT = 1e12
/** Text fields and notes typed in the app, in characters. */
export const MAX_TEXT = 10_000
/** SPEC §2.4, §8.9: one record of a file, in UTF-8 bytes. */
export const MAX_RECORD_BYTES = 1_048_576
/** SPEC §2.4: a gzip stream's content at most this many times its compressed size, and at most `MAX_INFLATED_BYTES`. */
export const MAX_INFLATE_RATIO = 200
export const MAX_INFLATED_BYTES = 8 * 1024 ** 3

/** What kind of bound a column of imported data has. */
export type Domain = 'amount' | 'date' | 'text'

export const yearInDomain = (year: number): boolean => year >= MIN_YEAR && year <= MAX_YEAR

/** Why `value` is outside the amount domain, or null when it is inside. */
export function amountOutside(value: number): string | null {
  if (!Number.isFinite(value) || value > MAX_AMOUNT) return 'number out of range (over 10^12)'
  if (value < 0) return 'negative number'
  return null
}

/** The SQL condition (true, false or null for a null value) that a column's value lies in its domain. */
export function domainSql(domain: Domain, column: string): string {
  switch (domain) {
    case 'amount':
      return `(typeof(${column}) IN ('integer', 'real') AND ${column} BETWEEN 0 AND ${MAX_AMOUNT})`
    case 'date':
      return (
        `(${column} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND substr(${column}, 1, 4) BETWEEN '${MIN_YEAR}' AND '${MAX_YEAR}'` +
        ` AND date(substr(${column}, 1, 10)) IS substr(${column}, 1, 10) AND (length(${column}) = 10 OR substr(${column}, 11, 1) = 'T'))`
      )
    case 'text':
      return `length(${column}) <= ${MAX_TEXT}`
  }
}
