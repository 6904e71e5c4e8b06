import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb } from '../../db/open'
import { scratch } from '../../testing/support'
import { runCli as cli } from './cliProcess'

let tmp: ReturnType<typeof scratch>
beforeAll(() => (tmp = scratch()))
afterAll(() => tmp.cleanup())

const csv = (name: string, rows: string[]): string => {
  const file = tmp.file(name)
  fs.writeFileSync(file, ['SIP #,Investor,Instalment,Goal', ...rows].join('\n'))
  return file
}
const sipCount = (db: string): number => {
  const book = openDb(db)
  try {
    return (book.sqlite.prepare('SELECT count(*) AS n FROM sips').get() as { n: number }).n
  } finally {
    book.close()
  }
}

describe('import --map FIELD=COLUMN (SPEC §2.5)', () => {
  it('refuses a file whose columns say nothing, listing the missing fields and the columns; nothing is written', () => {
    const db = tmp.file('refused.sqlite')
    const { code, stdout, stderr } = cli('import', csv('odd.csv', ['1,u-1,"1,000",A']), '--db', db)
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr.trim()).toBe(
      'partner-dashboard: odd.csv: CSV: the columns do not name sip_meta_id, user_id, amount; map them with --map FIELD=COLUMN ' +
        '(the file\'s columns: "SIP #", "Investor", "Instalment", "Goal"); nothing was imported',
    )
    expect(sipCount(db)).toBe(0)
  })

  it('imports by the mapping, saves it, and applies it by itself to the next file with the same columns', () => {
    const db = tmp.file('mapped.sqlite')
    const map = ['--map', 'sip_meta_id=SIP #', '--map', 'user_id=Investor', '--map', 'amount=Instalment']
    const first = cli('import', csv('month1.csv', ['1,u-1,"1,000",A', '2,u-2,500,B']), ...map, '--db', db)
    expect(first.stderr).toBe('')
    expect(first.stdout).toMatch(/^month1\.csv: 2 read, 2 inserted, .* \(\d+\.\d s\)\n$/)
    const today = new Date().toLocaleDateString('en-IN', { day: 'numeric', month: 'short', year: 'numeric' })
    const second = cli('import', csv('month2.csv', ['3,u-3,700,C']), '--db', db)
    expect(second.stdout.trim()).toMatch(new RegExp(`^month2\\.csv: 1 read, 1 inserted, .*; columns mapped as saved on ${today}$`))
    expect(sipCount(db)).toBe(3)
  })

  it('refuses a field that does not exist, naming the fields', () => {
    const { code, stderr } = cli('import', csv('x.csv', ['1,u,1,A']), '--map', 'sip_id=SIP #', '--db', tmp.file('x.sqlite'))
    expect(code).toBe(1)
    expect(stderr).toMatch(/--map: no field "sip_id"; the fields are sip_meta_id, uid, user_id/)
  })
})
