import type { z } from 'zod'
import type * as answers from './answers'

/** SPEC §5a: the Results answer and its parts. */
export type Results = z.infer<typeof answers.results>
export type ResultsWeek = z.infer<typeof answers.resultsWeek>
export type ResultsImport = z.infer<typeof answers.resultsImport>
export type ResultsAgent = z.infer<typeof answers.resultsAgent>

/** Weeks Results shows by default. */
export const DEFAULT_WEEKS = 12

/** `YYYY-MM-DD` moved by whole days (calendar arithmetic, no time zone involved). */
export const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** The Monday of the week (Monday to Sunday) a `YYYY-MM-DD` date falls in. */
export const mondayOf = (date: string): string => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7))
