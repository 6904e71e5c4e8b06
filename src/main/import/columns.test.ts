import { describe, expect, it } from 'vitest'
import { normaliseName, shapeOf } from './columns'

describe('key matching (SPEC §2.5)', () => {
  it.each([
    ['sip_meta_id', 'Sip Meta ID', 'SIP meta id', 'sipMetaId'],
    ['currentSipStatus', 'Current Sip Status', 'CurrentSipStatus', 'current_sip_status'],
  ])('%s, %s, %s and %s are one field', (...names) => {
    expect(new Set(names.map(normaliseName)).size).toBe(1)
  })

  it('reads a SIP row whose columns are display names by the same fields as the SQL names', () => {
    const sql = shapeOf(['sip_meta_id', 'user_id', 'amount', 'currentSipStatus'], null, true)
    const display = shapeOf(['Sip Meta ID', 'User ID', 'Amount', 'CurrentSipStatus'], null, true)
    if (!('shape' in sql) || !('shape' in display)) throw new Error('no shape')
    expect(display.shape.kind.name).toBe('sip')
    const row = ['104,431', 'u-1', '7,500', 'Failed']
    expect(display.shape.read(row)).toEqual(sql.shape.read(row))
    expect(display.shape.read(row).slice(0, 3)).toEqual(['104431', null, 'u-1'])
  })

  it('tells a client by display names', () => {
    const result = shapeOf(['User ID', 'Name', 'Phone Number'], null, false)
    expect('shape' in result && result.shape.kind.name).toBe('client')
  })

  it('refuses two columns that match one field, naming both', () => {
    expect(shapeOf(['sip_meta_id', 'user_id', 'amount', 'Sip Meta ID'], null, true)).toMatchObject({
      problem: 'duplicate',
      reason: 'columns "sip_meta_id" and "Sip Meta ID" both match the field sip_meta_id',
    })
  })

  it('a mapping places a field on a column whose name says nothing, and wins over names', () => {
    const result = shapeOf(
      ['SIP #', 'Investor', 'Instalment', 'amount'],
      { sip_meta_id: 'SIP #', user_id: 'Investor', amount: 'Instalment' },
      true,
    )
    if (!('shape' in result)) throw new Error(result.reason)
    expect(result.shape.read(['5', 'u-5', '1,000', '9'])).toEqual(expect.arrayContaining(['5', 'u-5', 1000]))
    expect(result.shape.columns.get('amount')).toBe('Instalment')
  })

  it('says which required SIP fields are missing when no kind can be told', () => {
    expect(shapeOf(['SIP #', 'User ID', 'Amount'], null, true)).toMatchObject({ problem: 'unknown', missing: ['sip_meta_id'] })
  })
})
