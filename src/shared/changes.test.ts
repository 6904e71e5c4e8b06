import { describe, expect, it } from 'vitest'
import { eventCount, worseByClient } from './changes'

describe('event counts in words (import report, CLI changes)', () => {
  it('says new SIPs in the plural, and leaves the verbs as they are', () => {
    expect(eventCount('new_sip', 20)).toBe('20 new SIPs')
    expect(eventCount('new_sip', 1)).toBe('1 new SIP')
    expect(eventCount('stepped_up', 12159)).toBe('12,159 stepped up')
    expect(eventCount('more_failed', 1)).toBe('1 more failed')
  })
})

const failedAgain = (sip: string) => ({ event: 'more_failed' as const, sip_meta_id: sip, before: null, after: null })

describe('the clients you called who got worse (SPEC §7.1), as What changed lists them', () => {
  it('lists each client once with every reopened type, saying each thing that happened once', () => {
    const anil = { user_id: 'u1', agent_external_id: 'ag_1', agent_name: 'Asha Rao', client_name: 'Anil Mehta' }
    const worse = worseByClient([
      {
        ...anil,
        type: 'auto_cancel_risk',
        events: [
          { event: 'ceased', sip_meta_id: '117656', before: { missed_instalments: 2 }, after: { missed_instalments: 3 } },
          { event: 'missed_grew', sip_meta_id: '117656', before: { missed_instalments: 2 }, after: { missed_instalments: 3 } },
          failedAgain('117656'),
        ],
      },
      { ...anil, type: 'failed_sips', events: [failedAgain('117656')] },
      { user_id: 'u2', agent_external_id: null, agent_name: null, client_name: null, type: 'failed_sips', events: [failedAgain('9')] },
    ])
    expect(worse).toEqual([
      {
        ...anil,
        types: ['auto_cancel_risk', 'failed_sips'],
        what: '3 instalments missed: the SIP is probably cancelled by the AMC; SIP 117656 failed again',
      },
      { user_id: 'u2', agent_external_id: null, agent_name: null, client_name: null, types: ['failed_sips'], what: 'SIP 9 failed again' },
    ])
  })

  it('says how the missed count grew when the SIP is not yet given up', () => {
    const [one] = worseByClient([
      {
        user_id: 'u1',
        agent_external_id: 'ag_1',
        agent_name: null,
        client_name: null,
        type: 'auto_cancel_risk',
        events: [{ event: 'missed_grew', sip_meta_id: '5', before: { missed_instalments: 1 }, after: { missed_instalments: 2 } }],
      },
    ])
    expect(one.what).toBe('missed instalments went from 1 to 2')
  })
})
