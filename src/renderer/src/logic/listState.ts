import { opportunityQuery, type OpportunityQuery } from '@shared/contract'
import { FOLLOW_UP_STATES, OPPORTUNITY_TYPES, type FollowUpState, type OpportunityType } from '@shared/detection'

/**
 * The opportunities list's whole state, kept in the address (`#/opportunities?type=failed_sips&q=ravi`)
 * so Back from a client, a bookmark or a reload returns to the same list at the same row. Only what
 * differs from the default list is written.
 */

export type SortKey = NonNullable<OpportunityQuery['sort']>
export type Direction = 'asc' | 'desc'

export interface ListState {
  type: OpportunityType | 'all'
  agent: string | null
  search: string
  minScore: number
  maxScore: number
  /** Minimum ₹ a year at stake; 0 = none. */
  minValue: number
  states: FollowUpState[]
  snoozed: boolean
  overdue: boolean
  sort: SortKey
  direction: Direction
  /** The selected row (keyboard cursor, last opened), or -1. */
  row: number
  /** The first row in view. */
  top: number
}

export const DEFAULT_LIST: ListState = {
  type: 'all',
  agent: null,
  search: '',
  minScore: 0,
  maxScore: 10,
  minValue: 0,
  states: [],
  snoozed: false,
  overdue: false,
  sort: 'score',
  direction: 'desc',
  row: -1,
  top: 0,
}

const SORT_KEYS: readonly string[] = opportunityQuery.shape.sort.unwrap().options
/** Text columns sort A→Z first; figures largest first. */
export const defaultDirection = (key: SortKey): Direction => (['client', 'agent', 'type', 'status'].includes(key) ? 'asc' : 'desc')

const clamp = (value: number, low: number, high: number, fallback: number): number =>
  Number.isFinite(value) ? Math.min(high, Math.max(low, value)) : fallback

export function parseListState(search: string): ListState {
  const p = new URLSearchParams(search)
  const type = p.get('type') ?? 'all'
  const sort = p.get('sort') ?? DEFAULT_LIST.sort
  const [low, high] = (p.get('score') ?? '').split('-').map((v) => (v === '' ? NaN : Number(v)))
  const validSort = SORT_KEYS.includes(sort)
  return {
    type: (OPPORTUNITY_TYPES as readonly string[]).includes(type) ? (type as OpportunityType) : 'all',
    agent: p.get('agent') || null,
    search: p.get('q') ?? '',
    minScore: clamp(low, 0, 10, 0),
    maxScore: clamp(high, 0, 10, 10),
    minValue: clamp(Number(p.get('min') ?? 0), 0, 1e12, 0),
    states: (p.get('state') ?? '').split(',').filter((s): s is FollowUpState => (FOLLOW_UP_STATES as readonly string[]).includes(s)),
    snoozed: p.get('snoozed') === '1',
    overdue: p.get('overdue') === '1',
    sort: validSort ? (sort as SortKey) : DEFAULT_LIST.sort,
    direction:
      p.get('dir') === 'asc' || p.get('dir') === 'desc'
        ? (p.get('dir') as Direction)
        : defaultDirection(validSort ? (sort as SortKey) : 'score'),
    row: Math.trunc(clamp(Number(p.get('row') ?? -1), -1, 1e9, -1)),
    top: Math.trunc(clamp(Number(p.get('top') ?? 0), 0, 1e9, 0)),
  }
}

export function listSearch(state: ListState): string {
  const p = new URLSearchParams()
  if (state.type !== 'all') p.set('type', state.type)
  if (state.agent) p.set('agent', state.agent)
  if (state.search) p.set('q', state.search)
  if (state.minScore > 0 || state.maxScore < 10) p.set('score', `${state.minScore}-${state.maxScore}`)
  if (state.minValue > 0) p.set('min', String(state.minValue))
  if (state.states.length > 0) p.set('state', state.states.join(','))
  if (state.snoozed) p.set('snoozed', '1')
  if (state.overdue) p.set('overdue', '1')
  if (state.sort !== DEFAULT_LIST.sort || state.direction !== defaultDirection(state.sort)) {
    p.set('sort', state.sort)
    p.set('dir', state.direction)
  }
  if (state.row >= 0) p.set('row', String(state.row))
  if (state.top > 0) p.set('top', String(state.top))
  return p.toString()
}

/** The address of a list: `listHref({ type: 'failed_sips' })` → `/opportunities?type=failed_sips`. */
export function listHref(change: Partial<ListState> = {}): string {
  const search = listSearch({ ...DEFAULT_LIST, ...change })
  return search ? `/opportunities?${search}` : '/opportunities'
}

/** The request for the rows of a list (what the URL's row and scroll position do not change). */
export function listQuery(state: ListState): Omit<OpportunityQuery, 'limit' | 'offset'> {
  return {
    type: state.type,
    ...(state.agent ? { agent: state.agent } : {}),
    ...(state.minScore > 0 ? { min_score: state.minScore } : {}),
    ...(state.maxScore < 10 ? { max_score: state.maxScore } : {}),
    ...(state.minValue > 0 ? { min_annual_value: state.minValue } : {}),
    ...(state.states.length > 0 ? { states: state.states } : {}),
    ...(state.snoozed ? { show_snoozed: true } : {}),
    ...(state.overdue ? { overdue: true } : {}),
    ...(state.search.trim() ? { search: state.search.trim() } : {}),
    sort: state.sort,
    direction: state.direction,
  }
}

/** How many of the "More filters" differ from the default list. */
export const moreFilterCount = (s: ListState): number =>
  [s.minScore > 0 || s.maxScore < 10, s.minValue > 0, s.states.length > 0, s.snoozed, s.overdue].filter(Boolean).length
