import fs from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { finishedJob, freshDbEachTest } from '../testing/support'
import { writeExport } from '../generator/write'
import { guessColumns } from '../import/mappingQuestion'
import { createServices } from '.'
import type { ImportJob } from '../../shared/types'

const ctx = freshDbEachTest()

const servicesFor = () => createServices({ db: ctx.db, host: 'web', version: '0.0.0', resourcesDir: ctx.tmp.dir })

/** A generated SIP export as CSV with display names, three of whose columns are renamed so they no longer name their field. */
async function oddCsv(name: string, seed: number): Promise<string> {
  const file = ctx.tmp.file(name)
  await writeExport(file, { sips: 30, seed, format: 'csv', keys: 'display' })
  const text = fs.readFileSync(file, 'utf8')
  const at = text.indexOf('\n')
  const renamed = { 'Sip Meta ID': 'SIP Meta Ref', 'User ID': 'Investor', Amount: 'Instalment', 'Goal Name': 'Goal Title' } as Record<
    string,
    string
  >
  const header = text
    .slice(0, at)
    .split(',')
    .map((column) => renamed[column] ?? column)
  fs.writeFileSync(file, header.join(',') + text.slice(at))
  return file
}

describe('column mapping in the app (SPEC §2.5)', () => {
  it('guesses the column whose name comes closest, each column for one field, none when nothing is close', () => {
    const guesses = guessColumns(
      ['sip_meta_id', 'amount', 'goal_name', 'user_id'],
      ['SIP Meta Ref', 'SIP Amount (₹)', 'Goal Title', 'Investor'],
      new Set(),
    )
    expect(Object.fromEntries(guesses)).toEqual({ sip_meta_id: 'SIP Meta Ref', amount: 'SIP Amount (₹)', goal_name: 'Goal Title' })
    expect(guessColumns(['amount'], ['SIP Amount (₹)'], new Set(['SIP Amount (₹)'])).size).toBe(0)
  })

  it('a file whose columns do not say ends its job asking for a mapping: its columns, first records, fields and best guesses; nothing is written', async () => {
    const file = await oddCsv('odd.csv', 5)
    const { handlers } = servicesFor()
    const started = await handlers['import:start']({ sources: [{ kind: 'path', path: file }] })
    const job = await finishedJob(() => handlers['import:status']({ job_id: started.job_id }))
    expect(job.state).toBe('failed')
    expect(job.error).toMatch(/^odd\.csv: CSV: the columns do not name sip_meta_id, user_id, amount/)
    const question = job.needs_mapping!
    expect(question).toMatchObject({ file: 'odd.csv', format: 'CSV', missing: ['sip_meta_id', 'user_id', 'amount'], kind: 'sip' })
    expect(question.columns).toContain('Investor')
    expect(question.preview).toHaveLength(5)
    const rows = parse(fs.readFileSync(file, 'utf8'), { to_line: 6 }) as string[][]
    expect(question.preview).toEqual(rows.slice(1))
    const fields = Object.fromEntries(question.fields.sip.map((f) => [f.field, f]))
    // The required fields come first; sip_meta_id and goal_name have a close column, user_id and amount none.
    expect(question.fields.sip.slice(0, 3).map((f) => f.field)).toEqual(['sip_meta_id', 'user_id', 'amount'])
    expect(fields.sip_meta_id).toEqual({ field: 'sip_meta_id', required: true, by_name: null, guess: 'SIP Meta Ref' })
    expect(fields.goal_name).toMatchObject({ required: false, guess: 'Goal Title' })
    expect(fields.user_id.guess).toBeNull()
    // Optional fields a column names by itself are not asked about.
    expect(fields.scheme_name).toBeUndefined()
    expect((await handlers['app:info']({})).sip_count).toBe(0)
  })

  it('a saved mapping imports the file, is listed, applies by itself to the next file with those columns, and is gone once deleted', async () => {
    const { handlers } = servicesFor()
    const first = await oddCsv('month1.csv', 5)
    const columns = fs.readFileSync(first, 'utf8').split('\n')[0].split(',')
    await expect(async () =>
      handlers['mappings:save']({ columns, mapping: { sip_meta_id: 'SIP Meta Ref', user_id: 'Investor' } }),
    ).rejects.toThrow('this mapping cannot read the file: amount must be mapped')
    await expect(async () =>
      handlers['mappings:save']({ columns, mapping: { sip_meta_id: 'SIP Meta Ref', user_id: 'Investor', amount: 'Amount (₹)' } }),
    ).rejects.toThrow('the file has no column "Amount (₹)"')
    const mapping = { sip_meta_id: 'SIP Meta Ref', user_id: 'Investor', amount: 'Instalment', goal_name: 'Goal Title' }
    const saved = await handlers['mappings:save']({ columns, mapping })
    expect(await handlers['mappings:list']({})).toEqual([saved])

    const importOf = async (file: string): Promise<ImportJob> => {
      const job = await handlers['import:start']({ sources: [{ kind: 'path', path: file }] })
      return finishedJob(() => handlers['import:status']({ job_id: job.job_id }))
    }
    const done = await importOf(first)
    expect(done.state).toBe('done')
    expect(done.reports[0]).toMatchObject({ inserted: 30, rejected: 0, warnings: 0, mapping_saved_at: saved.saved_at })
    const goal = ctx.db.sqlite.prepare('SELECT count(*) AS n FROM sips WHERE goal_name IS NOT NULL').get() as { n: number }
    expect(goal.n).toBeGreaterThan(0)

    const next = await importOf(await oddCsv('month2.csv', 6))
    expect(next.reports[0]).toMatchObject({ rejected: 0, mapping_saved_at: saved.saved_at })

    expect(await handlers['mappings:delete']({ columns_key: saved.columns_key })).toEqual({ deleted: true })
    expect(await handlers['mappings:list']({})).toEqual([])
    const refused = await importOf(first)
    expect(refused.state).toBe('failed')
    expect(refused.needs_mapping?.file).toBe('month1.csv')
  })
})
