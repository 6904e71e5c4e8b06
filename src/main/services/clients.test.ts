import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { importFile } from '../import/importer'
import { freshDbEachTest } from '../testing/support'
import { parseRequest } from '../../shared/contract'
import { logCall } from './calls'
import { getClient, searchClients } from './clients'
import { clientAgents } from './clientAgent'
import { refreshIfStale } from './derived'

/** A raw-style SIP failing since 5 Nov 2025 (two instalments missed at the 15 Jan 2026 as-of). */
const sip = (id: string, user: string, agent: string | null, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  sip_meta_id: id,
  user_id: user,
  agent_external_id: agent,
  amount: 1000,
  sip_days: '5',
  is_active: true,
  currentSipStatus: 'Failed',
  start_date: '2024-01-05',
  success_count: 20,
  success_amount: 20000,
  failed_amount: 6000,
  latest_success_order_date: '2025-11-05',
  inserted_at: '2026-01-15T10:00:00',
  deleted: false,
  ...overrides,
})

const t = freshDbEachTest()

/** Meera has SIPs under two agents — two clients (SPEC §3.1); Ravi's SIP carries no agent. */
async function twoAgentBook(): Promise<void> {
  const file = t.tmp.file('book.json')
  fs.writeFileSync(
    file,
    JSON.stringify([
      sip('101', 'meera', 'ag_A'),
      sip('102', 'meera', 'ag_A', { amount: 2500 }),
      sip('201', 'meera', 'ag_B', { amount: 4000 }),
      sip('301', 'ravi', null),
    ]),
  )
  const clients = t.tmp.file('clients.json')
  fs.writeFileSync(
    clients,
    JSON.stringify([
      {
        user_id: 'meera',
        name: 'Meera Iyer',
        phone_number: '9876543210',
        agent_external_id: 'ag_A',
        agent_name: 'Asha Rao',
        total_current_value: 90000,
      },
      { user_id: 'other', name: 'Other', agent_external_id: 'ag_B', agent_name: 'Bala K' },
    ]),
  )
  expect((await importFile(t.db.sqlite, file)).rejected).toBe(0)
  await importFile(t.db.sqlite, clients)
  refreshIfStale(t.db)
}

describe('a client is a user_id with its agent (SPEC §3.1)', () => {
  it('refuses a user_id under several agents without the agent, naming each', async () => {
    await twoAgentBook()
    expect(() => getClient(t.db, { user_id: 'meera' })).toThrow(
      'client meera has SIPs under 2 agents: ag_A (Asha Rao), ag_B (Bala K); name the agent',
    )
    expect(clientAgents(t.db, 'meera')).toEqual([
      { agent_external_id: 'ag_A', agent_name: 'Asha Rao', sips: 2 },
      { agent_external_id: 'ag_B', agent_name: 'Bala K', sips: 1 },
    ])
  })

  it("shows only that agent's SIPs, opportunities, history and calls", async () => {
    await twoAgentBook()
    logCall(t.db, parseRequest('calls:log', { user_id: 'meera', agent_external_id: 'ag_B', outcome: 'no_answer' }))
    const a = getClient(t.db, { user_id: 'meera', agent_external_id: 'ag_A' })
    expect(a.sips.map((s) => s.sip_meta_id)).toEqual(['102', '101'])
    expect(a.history.map((h) => h.sip_meta_id)).toEqual(['101', '102'])
    expect(a.opportunities.length).toBeGreaterThan(0)
    expect(a.opportunities.every((o) => o.agent_external_id === 'ag_A' && o.sip_meta_ids.join() === '101,102')).toBe(true)
    expect(a.follow_ups.every((f) => f.agent_external_id === 'ag_A')).toBe(true)
    expect(a.calls).toEqual([])
    expect(a).toMatchObject({ name: 'Meera Iyer', agent_name: 'Asha Rao', total_current_value: 90000 })
    expect(a.other_agents).toEqual([{ agent_external_id: 'ag_B', agent_name: 'Bala K', sips: 1 }])
    const b = getClient(t.db, { user_id: 'meera', agent_external_id: 'ag_B' })
    expect(b.sips.map((s) => s.sip_meta_id)).toEqual(['201'])
    expect(b.opportunities.every((o) => o.agent_external_id === 'ag_B' && o.sip_meta_ids.join() === '201')).toBe(true)
    expect(b.calls.map((c) => c.outcome)).toEqual(['no_answer'])
    // The client list's portfolio value is Meera's under ag_A: not shown as ag_B's.
    expect(b).toMatchObject({ agent_name: 'Bala K', total_current_value: null })
  })

  it('opens a user_id with one agent, or none, without naming it', async () => {
    await twoAgentBook()
    const ravi = getClient(t.db, { user_id: 'ravi' })
    expect(ravi).toMatchObject({ agent_external_id: null, other_agents: [] })
    expect(ravi.opportunities.length).toBeGreaterThan(0)
    expect(getClient(t.db, { user_id: 'ravi', agent_external_id: '' }).opportunities).toEqual(ravi.opportunities)
    expect(() => getClient(t.db, { user_id: 'meera', agent_external_id: 'ag_Z' })).toThrow('no client meera under agent ag_Z')
  })

  it('lists each (client, agent) in search, with the agent', async () => {
    await twoAgentBook()
    expect(searchClients(t.db, { query: 'meer' })).toEqual([
      { user_id: 'meera', agent_external_id: 'ag_A', agent_name: 'Asha Rao', name: 'Meera Iyer', phone_number: '9876543210', sips: 2 },
      { user_id: 'meera', agent_external_id: 'ag_B', agent_name: 'Bala K', name: 'Meera Iyer', phone_number: '9876543210', sips: 1 },
    ])
    expect(searchClients(t.db, { query: '201' }).map((m) => m.agent_external_id)).toEqual(['ag_B'])
  })
})
