import { describe, expect, it } from 'vitest'
import { eventCount } from './changes'

describe('event counts in words (import report, CLI changes)', () => {
  it('says new SIPs in the plural, and leaves the verbs as they are', () => {
    expect(eventCount('new_sip', 20)).toBe('20 new SIPs')
    expect(eventCount('new_sip', 1)).toBe('1 new SIP')
    expect(eventCount('stepped_up', 12159)).toBe('12,159 stepped up')
    expect(eventCount('more_failed', 1)).toBe('1 more failed')
  })
})
