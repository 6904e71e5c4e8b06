import { describe, expect, it } from 'vitest'
import { escapeControls, render, type Column } from './output'

describe('CLI tables', () => {
  it('draws a table of 1,80,000 rows (a spread of that many widths overflowed the call stack)', () => {
    const rows = Array.from({ length: 180_000 }, (_, i) => ({ id: `SIP${i}`, amount: i }))
    const columns: Column<(typeof rows)[number]>[] = [
      { header: 'id', value: (r) => r.id },
      { header: 'amount', value: (r) => r.amount, numeric: true },
    ]
    const lines = render('table', columns, rows).trimEnd().split('\n')
    expect(lines).toHaveLength(180_002)
    expect(lines[0]).toBe('id         amount')
    expect(lines.at(-1)).toBe('SIP179999  179999')
  })

  it('shows control characters in a cell as escapes, newlines and tabs too, and keeps the columns aligned', () => {
    const columns: Column<{ name: string }>[] = [{ header: 'name', value: (r) => r.name }]
    const table = render('table', columns, [{ name: 'A\x1b]0;owned\x07\nB\tC\x9b2J' }, { name: 'x' }])
    expect(table).toBe('name\n---------------------------------\nA\\x1b]0;owned\\x07\\x0aB\\x09C\\x9b2J\nx\n')
  })
})

describe('escapeControls', () => {
  it('escapes C0, DEL and C1 (ESC among them) and keeps newlines and every other character', () => {
    expect(escapeControls('Meera\x1b]52;c;ZXZpbA==\x07 \x7f\x85 ₹ हिन्दी\nnext')).toBe(
      'Meera\\x1b]52;c;ZXZpbA==\\x07 \\x7f\\x85 ₹ हिन्दी\nnext',
    )
  })
})
