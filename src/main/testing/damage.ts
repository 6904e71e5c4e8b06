import fs from 'node:fs'
import { openDb } from '../db/open'
import { importFile } from '../import/importer'
import { generatedExport } from './support'

/** A book of 300 SIPs at `file`, closed, with one page of its SIP table overwritten with noise. */
export async function damagedBook(dir: string, file: string): Promise<void> {
  const db = openDb(file)
  await importFile(db.sqlite, await generatedExport(dir, 'book.json', { sips: 300, seed: 3 }))
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  const pageSize = db.sqlite.pragma('page_size', { simple: true }) as number
  // A leaf page of the SIP table, in the middle of it.
  const pages = db.sqlite.prepare("SELECT pageno FROM dbstat WHERE name = 'sips' AND pagetype = 'leaf' ORDER BY pageno").all() as {
    pageno: number
  }[]
  db.close()
  const victim = pages[Math.floor(pages.length / 2)].pageno
  const fd = fs.openSync(file, 'r+')
  fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (victim - 1) * pageSize)
  fs.closeSync(fd)
}
