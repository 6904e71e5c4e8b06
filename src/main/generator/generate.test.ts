import fs from 'node:fs'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { scratch } from '../testing/support'
import { formatSip, generateSips, groupThousands } from './generate'
import { writeExport } from './write'

const tmp = scratch()
afterAll(() => tmp.cleanup())

describe('generator', () => {
  it('is deterministic for a seed and different across seeds', async () => {
    const a = await writeExport(tmp.file('a.json'), { sips: 300, seed: 1 }).then(() => fs.readFileSync(tmp.file('a.json'), 'utf8'))
    const b = await writeExport(tmp.file('b.json'), { sips: 300, seed: 1 }).then(() => fs.readFileSync(tmp.file('b.json'), 'utf8'))
    const c = await writeExport(tmp.file('c.json'), { sips: 300, seed: 2 }).then(() => fs.readFileSync(tmp.file('c.json'), 'utf8'))
    expect(a).toBe(b)
    expect(a).not.toBe(c)
    expect(JSON.parse(a)).toHaveLength(300)
  })

  it('writes all 45 fields of the real export, as strings in the formatted style', () => {
    const [first] = generateSips({ sips: 1, seed: 3 })
    const record = formatSip(first, true)
    expect(Object.keys(record)).toHaveLength(45)
    expect(Object.values(record).every((v) => typeof v === 'string')).toBe(true)
    expect(record.inserted_at).toMatch(/^[A-Z][a-z]+ \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M$/)
  })

  it('spreads statuses, step-ups and multi-SIP clients like the real samples', () => {
    const sips = [...generateSips({ sips: 5000, seed: 5 })]
    const share = (predicate: (s: (typeof sips)[number]) => boolean): number => sips.filter(predicate).length / sips.length
    expect(share((s) => s.status === 'Success')).toBeCloseTo(0.59, 1)
    expect(share((s) => s.status === 'Failed')).toBeCloseTo(0.33, 1)
    expect(share((s) => s.incrementPeriod === '')).toBeCloseTo(0.57, 1)
    expect(share((s) => s.failedAmount >= 5000)).toBeGreaterThan(0.2)
    const clients = new Set(sips.map((s) => s.client.userId))
    expect(clients.size / sips.length).toBeGreaterThan(0.6)
    expect(clients.size / sips.length).toBeLessThan(0.9)
  })

  it('groups thousands as Metabase does', () => {
    expect(groupThousands(283000)).toBe('283,000')
    expect(groupThousands(129352.26)).toBe('129,352.26')
    expect(groupThousands(85)).toBe('85')
    expect(groupThousands(-1234567)).toBe('-1,234,567')
  })

  it('produced the bundled sample dataset (resources/sample) from seed 2026', async () => {
    const clients = tmp.file('sample-clients.json')
    await writeExport(tmp.file('sample-sips.json'), { sips: 2000, seed: 2026, clientsPath: clients })
    const shipped = (name: string): string =>
      gunzipSync(fs.readFileSync(path.resolve(__dirname, '../../../resources/sample', `${name}.gz`))).toString('utf8')
    expect(shipped('sample-sips.json')).toBe(fs.readFileSync(tmp.file('sample-sips.json'), 'utf8'))
    expect(shipped('sample-clients.json')).toBe(fs.readFileSync(clients, 'utf8'))
  })
})
