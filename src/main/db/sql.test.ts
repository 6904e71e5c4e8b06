import { describe, expect, expectTypeOf, it } from 'vitest'
import Database from 'better-sqlite3'
import type { ReadConnection } from './open'
import { allRows, prepared, sql } from './sql'

/** An in-memory table of notes, and how many statements were prepared on it. */
function notes(): { sqlite: Database.Database; prepares: () => number } {
  const sqlite = new Database(':memory:')
  sqlite.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, author TEXT, text TEXT)')
  let count = 0
  const prepare = sqlite.prepare.bind(sqlite)
  sqlite.prepare = ((source: string) => {
    count++
    return prepare(source)
  }) as typeof sqlite.prepare
  return { sqlite, prepares: () => count }
}

describe('prepared: a bound statement for a loop', () => {
  it('prepares once for every row and binds each row’s values, quotes and all', () => {
    const { sqlite, prepares } = notes()
    const author = 'Asha'
    const insert = prepared(sqlite, (text: string) => sql`INSERT INTO notes (author, text) VALUES (${author}, ${text})`)
    const texts = ['call back after Diwali', "she said 'not now'", "'); DROP TABLE notes; --"]
    for (const text of texts) insert.run(text)
    const byText = prepared(sqlite, (text: string) => sql`SELECT author FROM notes WHERE text = ${text}`)
    expect(texts.map((text) => byText.oneRow<{ author: string }>(text)?.author)).toEqual(['Asha', 'Asha', 'Asha'])
    expect(byText.oneRow('not written')).toBeUndefined()
    expect(prepares()).toBe(2)
    expect(allRows<{ text: string }>(sqlite, sql`SELECT text FROM notes ORDER BY id`).map((r) => r.text)).toEqual(texts)
  })

  it('refuses a statement whose text changes with its values (it would run the first row’s text for every row)', () => {
    const { sqlite } = notes()
    const byColumn = prepared(sqlite, (column: 'author' | 'text') => sql`SELECT 1 FROM notes WHERE ${sql.raw(column)} = ${'x'}`)
    byColumn.oneRow('author')
    expect(() => byColumn.oneRow('text')).toThrow(/text changed with its values/)
  })

  it('gives a read’s connection no way to write', () => {
    const { sqlite } = notes()
    const read: ReadConnection = sqlite
    const byId = prepared(read, (id: number) => sql`SELECT text FROM notes WHERE id = ${id}`)
    expect(byId.oneRow(1)).toBeUndefined()
    // Checked by the typecheck: `run` on it does not compile; a write's connection has it.
    expectTypeOf(byId).not.toHaveProperty('run')
    expectTypeOf(prepared(sqlite, (id: number) => sql`DELETE FROM notes WHERE id = ${id}`)).toHaveProperty('run')
  })
})
