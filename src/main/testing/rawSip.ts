/**
 * SIPs as an export writes them (its field names, raw values), for tests that write their own small
 * exports. Each test overrides what its case needs.
 */

/** A healthy monthly SIP of client `u-<id>` under `ag_1`, three instalments in, that qualifies for nothing. */
export const rawSip = (id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  sip_meta_id: id,
  user_id: `u-${id}`,
  agent_external_id: 'ag_1',
  inserted_at: '2026-01-12T08:00:00',
  amount: 1000,
  start_date: '2025-10-05',
  sip_days: '5',
  is_active: true,
  currentSipStatus: 'Success',
  success_amount: 3000,
  success_count: 3,
  failed_amount: 0,
  latest_success_order_date: '2026-01-05',
  deleted: false,
  ...overrides,
})

/** A SIP of `user` under `agent`, `amount` a month paid for 24 months without a step-up (so: no SIP increase), no debit days given. */
export const twoYearSip = (
  id: string,
  user: string,
  agent: string,
  amount: number,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> =>
  rawSip(id, {
    user_id: user,
    agent_external_id: agent,
    amount,
    start_date: '2024-01-05',
    sip_days: undefined,
    success_count: 24,
    success_amount: 24 * amount,
    failed_amount: undefined,
    deleted: undefined,
    inserted_at: '2026-01-15T10:00:00',
    ...overrides,
  })

/** Such a SIP of ₹1,000 a month of client `asha` under `ag_1`, the call log's tests' client. */
export const ashaSip = (id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  twoYearSip(id, 'asha', 'ag_1', 1000, { start_date: '2024-01-15', failed_amount: 0, ...overrides })
