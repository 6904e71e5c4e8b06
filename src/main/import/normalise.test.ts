import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { bool, Cut, date, datetime, id, Invalid, number, schemeList, sipDays, text } from './normalise'

const invalid = (value: unknown): string => {
  expect(value).toBeInstanceOf(Invalid)
  return (value as Invalid).reason
}

describe('text', () => {
  it('trims and turns empty into null', () => {
    expect(text('  Custom Funds ')).toBe('Custom Funds')
    expect(text('')).toBeNull()
    expect(text('   ')).toBeNull()
    expect(text(null)).toBeNull()
    expect(text(undefined)).toBeNull()
  })
  it('keeps numbers and booleans as their text, refuses objects', () => {
    expect(text(12)).toBe('12')
    expect(text(true)).toBe('true')
    expect(invalid(text({ a: 1 }))).toMatch(/expected text, got an object/)
    expect(invalid(text([1]))).toMatch(/a list/)
  })
})

describe('text bounds', () => {
  it('cuts text over 10,000 characters with a warning, and refuses such an id', () => {
    const long = `${'x'.repeat(10_000)}tail`
    const cut = text(long) as Cut
    expect(cut).toBeInstanceOf(Cut)
    expect(cut.value).toBe('x'.repeat(10_000))
    expect(cut.reason).toMatch(/longer than 10,000 characters/)
    expect(text('x'.repeat(10_000))).toBe('x'.repeat(10_000))
    expect(invalid(id(long))).toMatch(/longer than 10,000/)
  })
  it('keeps a scheme list over 10,000 characters a list of whole names', () => {
    const names = Array.from({ length: 2000 }, (_, i) => `Fund number ${i}`)
    const cut = schemeList(`[${names.join(', ')}]`) as Cut
    expect(cut).toBeInstanceOf(Cut)
    const kept = JSON.parse(cut.value) as string[]
    expect(cut.value.length).toBeLessThanOrEqual(10_000)
    expect(kept).toEqual(names.slice(0, kept.length))
  })
})

describe('dates in the value domain', () => {
  it('refuses years outside 1900–2100 (SPEC §8.8)', () => {
    expect(invalid(date('0201-03-15'))).toMatch(/year outside 1900–2100/)
    expect(invalid(datetime('January 12, 2206, 8:49 AM'))).toMatch(/year outside/)
    expect(invalid(date('1899-12-31'))).toMatch(/year outside/)
    expect(date('1900-01-01')).toBe('1900-01-01')
    expect(date('2100-12-31')).toBe('2100-12-31')
  })
})

describe('id', () => {
  it('drops thousands separators from grouped digits only', () => {
    expect(id('104,431')).toBe('104431')
    expect(id('4,220')).toBe('4220')
    expect(id('1,04,431')).toBe('104431')
    expect(id('85')).toBe('85')
    expect(id('ag_YvJkGSgtTQKsYPxkTcCUCN')).toBe('ag_YvJkGSgtTQKsYPxkTcCUCN')
    expect(id('ffeed544-3be4-4108-a534-361c58746a77')).toBe('ffeed544-3be4-4108-a534-361c58746a77')
    expect(id('12,34a')).toBe('12,34a')
  })
  it('turns JSON integers into decimal text and flags ones that lost digits', () => {
    expect(id(104431)).toBe('104431')
    expect(id('12345678901234567890')).toBe('12345678901234567890')
    expect(invalid(id(Number('12345678901234567890')))).toMatch(/more than 15 digits/)
    expect(invalid(id(1.5))).toMatch(/expected an id/)
    expect(id('')).toBeNull()
    expect(id(null)).toBeNull()
  })
})

describe('number', () => {
  it('reads formatted amounts', () => {
    expect(number('283,000')).toBe(283000)
    expect(number('129,352.26')).toBe(129352.26)
    expect(number('1,20,000')).toBe(120000)
    expect(number('₹1,20,000')).toBe(120000)
    expect(number('Rs. 5,000')).toBe(5000)
    expect(number('Rs 5000')).toBe(5000)
    expect(number(' 7 500 ')).toBe(7500)
    expect(number(42.5)).toBe(42.5)
  })
  it('maps missing to null and garbage to a warning', () => {
    expect(number('')).toBeNull()
    expect(number(null)).toBeNull()
    expect(invalid(number('abc'))).toMatch(/not a number/)
    expect(invalid(number('NaN'))).toMatch(/not a number/)
    expect(invalid(number('1e400'))).toMatch(/not a number/)
    expect(invalid(number(Infinity))).toMatch(/out of range/)
    expect(invalid(number('₹'))).toMatch(/not a number/)
    expect(invalid(number(true))).toMatch(/expected a number/)
  })
  it('reads only decimal digits: no JavaScript number forms (SPEC §2.3)', () => {
    for (const raw of ['0x10', '0b101', '0o17', '1e3', '1E3', 'Infinity', '-Infinity', '12abc', '1.2.3', '--5', '+5', '.']) {
      expect(invalid(number(raw)), raw).toMatch(/not a number/)
    }
    expect(number('12.')).toBe(12)
    expect(number('.5')).toBe(0.5)
  })
  it('strips currency marks longest first and a trailing /- (SPEC §8.8)', () => {
    expect(number('INR 5,000')).toBe(5000)
    expect(number('Rs.5,000/-')).toBe(5000)
    expect(number('₹ 1,20,000/-')).toBe(120000)
    expect(number('Rs5000')).toBe(5000)
  })
  it('keeps money and counts within 0 ≤ v ≤ 10^12 (SPEC §2.3)', () => {
    expect(invalid(number('-50000'))).toMatch(/negative number: "-50000"/)
    expect(invalid(number(-1))).toMatch(/negative/)
    expect(invalid(number(1e308))).toMatch(/out of range/)
    expect(invalid(number('20,00,00,00,00,00,000'))).toMatch(/out of range/)
    expect(number('10,00,00,00,00,000')).toBe(1e12)
    expect(number(1e12)).toBe(1e12)
    expect(invalid(number(1e12 + 1))).toMatch(/out of range/)
  })
  it('reads digits and grouping commas, the usual amount, as the full rules do at every edge', () => {
    expect(number('0')).toBe(0)
    expect(number('007')).toBe(7)
    expect(number(',5,')).toBe(5)
    expect(invalid(number(','))).toMatch(/not a number/)
    expect(number('999,999,999,999')).toBe(999_999_999_999)
    expect(number('0000000000000005')).toBe(5)
    expect(invalid(number('1,000,000,000,001'))).toMatch(/out of range/)
    expect(invalid(number('99999999999999999999'))).toMatch(/out of range/)
  })
  it('folds -0 into 0', () => {
    expect(Object.is(number('-0'), 0)).toBe(true)
    expect(Object.is(number(-0), 0)).toBe(true)
  })
})

describe('bool', () => {
  it.each([
    [true, true],
    [false, false],
    ['true', true],
    ['FALSE', false],
    ['True', true],
    ['1', true],
    ['0', false],
    ['yes', true],
    ['No', false],
    [1, true],
    [0, false],
  ])('%j → %j', (raw, expected) => expect(bool(raw)).toBe(expected))
  it('null for missing, warning for anything else', () => {
    expect(bool('')).toBeNull()
    expect(bool(null)).toBeNull()
    expect(invalid(bool('maybe'))).toMatch(/not a yes\/no value/)
    expect(invalid(bool(2))).toMatch(/not a yes\/no value/)
  })
})

describe('date and datetime', () => {
  it.each([
    ['January 5, 2026', '2026-01-05'],
    ['Jan 5, 2026', '2026-01-05'],
    ['Sept 30, 2025', '2025-09-30'],
    ['January 12, 2026, 8:49 AM', '2026-01-12'],
    ['2026-01-05', '2026-01-05'],
    ['2026-01-12T08:49:00', '2026-01-12'],
    ['February 29, 2024', '2024-02-29'],
  ])('date %j → %j', (raw, expected) => expect(date(raw)).toBe(expected))

  it.each([
    ['January 12, 2026, 8:49 AM', '2026-01-12T08:49:00'],
    ['January 12, 2026, 12:05 AM', '2026-01-12T00:05:00'],
    ['January 12, 2026, 12:05 PM', '2026-01-12T12:05:00'],
    ['January 12, 2026, 11:59 PM', '2026-01-12T23:59:00'],
    ['2026-01-12T08:49:00', '2026-01-12T08:49:00'],
    ['2026-01-12T08:49:00Z', '2026-01-12T08:49:00'],
    ['2026-01-12T08:49:00.123+05:30', '2026-01-12T08:49:00'],
    ['2026-01-12 08:49', '2026-01-12T08:49:00'],
    ['January 5, 2026', '2026-01-05T00:00:00'],
  ])('datetime %j → %j (the time as exported, no zone shift)', (raw, expected) => expect(datetime(raw)).toBe(expected))

  it.each([
    '31/02/2025',
    'February 30, 2025',
    'February 29, 2025',
    '2025-13-01',
    'Smarch 3, 2025',
    'January 12, 2026, 13:10 PM',
    'yesterday',
    '2025-02-30',
  ])('rejects %j with a warning', (raw) => expect(invalid(date(raw))).toMatch(/not a date/))

  it('maps missing to null', () => {
    expect(date('')).toBeNull()
    expect(datetime(null)).toBeNull()
  })
})

describe('day-first dates, as Indian Excel saves them (SPEC §8.5)', () => {
  it.each([
    ['31/12/2026', '2026-12-31'],
    ['1/2/2026', '2026-02-01'],
    ['01/02/2026', '2026-02-01'],
    ['1-2-2026', '2026-02-01'],
    ['12/1/2026', '2026-01-12'],
    ['29/02/2024', '2024-02-29'],
  ])('date %j → %j (day, then month)', (raw, expected) => expect(date(raw)).toBe(expected))

  it.each([
    ['31/12/2026 23:59', '2026-12-31T23:59:00'],
    ['1/2/2026 8:49 AM', '2026-02-01T08:49:00'],
    ['1/2/2026 12:05 AM', '2026-02-01T00:05:00'],
    ['1/2/2026 12:05:30 PM', '2026-02-01T12:05:30'],
    ['1-2-2026 8:49PM', '2026-02-01T20:49:00'],
    ['1/2/2026, 08:49:07', '2026-02-01T08:49:07'],
  ])('datetime %j → %j', (raw, expected) => expect(datetime(raw)).toBe(expected))

  it.each(['31/02/2026', '29/02/2025', '1/13/2026', '0/1/2026', '1/2-2026', '1/2/26', '1/2/2026 13:10 PM', '1/2/2026 24:00', '12/31/2026'])(
    'refuses %j with a warning (no month 13, no mixed separators, no two-digit years, never month first)',
    (raw) => expect(invalid(date(raw))).toMatch(/not a date/),
  )

  it('keeps the value domain: a year outside 1900–2100 is refused', () => {
    expect(invalid(date('1/2/1899'))).toMatch(/year outside 1900–2100/)
  })
})

describe('schemeList', () => {
  it('keeps distinct names in order', () => {
    expect(schemeList('[A, B, A]')).toBe('["A","B"]')
    expect(
      schemeList('[HDFC Mid-Cap Opportunities Fund (G), ICICI Pru Value Discovery Fund (G), HDFC Mid-Cap Opportunities Fund (G)]'),
    ).toBe('["HDFC Mid-Cap Opportunities Fund (G)","ICICI Pru Value Discovery Fund (G)"]')
    expect(schemeList(['A', 'A', 'C'])).toBe('["A","C"]')
    expect(schemeList('Single Fund')).toBe('["Single Fund"]')
    expect(schemeList('[]')).toBeNull()
    expect(schemeList('')).toBeNull()
  })
})

describe('sipDays (SPEC §2.3)', () => {
  it.each([
    ['5', '[5]'],
    ['10,15', '[10,15]'],
    [' 10 , 15 ', '[10,15]'],
    ['1,1', '[1]'],
    ['25,1,13', '[1,13,25]'],
    [5, '[5]'],
    [31, '[31]'],
    [
      '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28',
      JSON.stringify(Array.from({ length: 28 }, (_, i) => i + 1)),
    ],
  ])('reads %j as the debit days %s', (raw, expected) => {
    expect(sipDays(raw)).toBe(expected)
  })
  it.each(['', null, undefined])('reads %j as no list, without a warning', (raw) => {
    expect(sipDays(raw)).toBeNull()
  })
  it.each(['0', '32', 'abc', '10,', '10;15', '1.5', 0, 32, 2.5, true])('refuses %j with a reason (a warning on the row)', (raw) => {
    const value = sipDays(raw)
    expect(value).toBeInstanceOf(Invalid)
    expect((value as Invalid).reason).toMatch(/days of the month/)
  })
})

describe('properties', () => {
  it('number reads back any finite number formatted with Western or Indian grouping', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (n) => {
        const western = n.toLocaleString('en-US')
        const indian = n.toLocaleString('en-IN')
        return number(western) === n && number(indian) === n && number(`₹${indian}`) === n
      }),
    )
  })
  it('date round-trips every real calendar day in both styles', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10)
        const wordy = d.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' })
        return date(iso) === iso && date(wordy) === iso
      }),
    )
  })
  it('no normaliser throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        for (const normalise of [text, id, number, bool, date, datetime, schemeList]) normalise(value)
        return true
      }),
    )
  })
})
