import { describe, expect, it } from 'vitest'
import { freshDbEachTest } from '../testing/support'
import { getSettings, updateSettings } from './settings'

describe('settings', () => {
  const t = freshDbEachTest()

  it('refuses date mode without a date instead of judging quietly as of the data date, and keeps the date while it is in use', () => {
    expect(() => updateSettings(t.db, { as_of_mode: 'date' })).toThrow('as_of_mode date needs a date: set as_of_date first')
    expect(getSettings(t.db).as_of_mode).toBe('data')
    updateSettings(t.db, { as_of_mode: 'date', as_of_date: '2026-02-01' })
    expect(() => updateSettings(t.db, { as_of_date: null })).toThrow(/as_of_date is in use \(as_of_mode date\)/)
    expect(getSettings(t.db)).toMatchObject({ as_of_mode: 'date', as_of_date: '2026-02-01' })
    updateSettings(t.db, { as_of_mode: 'data', as_of_date: null })
    expect(getSettings(t.db)).toMatchObject({ as_of_mode: 'data', as_of_date: null })
  })
})
