import { PAGE_LIMIT, type OpportunityQuery } from './contract'
import { AppError } from './errors'
import type { Opportunity, OpportunityPage } from './detection'

/**
 * Every opportunity a list's filter and sort match (up to `max`), page after page by keyset (each
 * page's `next`), all answered for one as-of: the screen's (`as_of`), else the first page's. A list
 * that changes meanwhile (a recalculation, an import) stops the export instead of mixing two lists.
 */
export async function everyOpportunity(
  fetchPage: (query: OpportunityQuery) => OpportunityPage | Promise<OpportunityPage>,
  query: Omit<OpportunityQuery, 'limit' | 'offset' | 'after'>,
  { max = Infinity, pageSize = PAGE_LIMIT }: { max?: number; pageSize?: number } = {},
): Promise<{ rows: Opportunity[]; total: number; as_of: string }> {
  const rows: Opportunity[] = []
  const first = await fetchPage({ ...query, limit: Math.min(max, pageSize) })
  rows.push(...first.rows)
  for (let page = first; page.next && rows.length < Math.min(max, first.total);) {
    page = await fetchPage({ ...query, as_of: first.as_of, limit: Math.min(max - rows.length, pageSize), after: page.next })
    if (page.as_of !== first.as_of || page.total !== first.total || page.refreshing !== first.refreshing) {
      throw new AppError('conflict', 'the list changed while it was being read (a recalculation or an import); try again')
    }
    rows.push(...page.rows)
  }
  return { rows, total: first.total, as_of: first.as_of }
}
