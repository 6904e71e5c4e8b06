import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ImportTarget } from '../../services/imports'
import { AppError } from '../../../shared/errors'
import { privateTempFolder, sweepDeadFolders } from '../../tempFolders'

/** The web host's own folders in the system temp folder: `partner-dashboard-web-<pid>-XXXXXX`. */
const PREFIX = 'partner-dashboard-web-'
/** Folders of versions before the pid was in the name; swept once they are a day old. */
const LEGACY_PREFIX = 'partner-dashboard-uploads-'
const DAY_MS = 24 * 60 * 60 * 1000

export interface TempFilesOptions {
  /** Where the host's folder is made (the system temp folder unless given). */
  root?: string
  /** Most bytes the folder may hold at once: uploads and backups waiting to be downloaded. */
  capBytes?: number
  /** An upload no import or restore has used by then is deleted. */
  uploadTtlMs?: number
  /** A backup not downloaded by then is deleted. */
  downloadTtlMs?: number
}

interface Entry extends ImportTarget {
  bytes: number
  timer: NodeJS.Timeout
}

/**
 * Removes folders left by web hosts that are gone (killed before they could clean up). A folder
 * whose host still runs is left alone, so two hosts can run side by side.
 */
export function sweepLeftovers(root = os.tmpdir(), now = Date.now()): string[] {
  const legacy = fs
    .readdirSync(root)
    .filter((name) => name.startsWith(LEGACY_PREFIX))
    .map((name) => path.join(root, name))
    .filter((dir) => now - fs.statSync(dir).mtimeMs > DAY_MS)
  for (const dir of legacy) fs.rmSync(dir, { recursive: true, force: true })
  return [...sweepDeadFolders(PREFIX, root), ...legacy]
}

/**
 * Client data the web host holds on disk for a moment — uploaded exports and backups waiting to be
 * downloaded — in one private folder (0700, files 0600) with a cap on its total size. An upload
 * lives until the import or restore that uses it ends; a backup until its first complete download;
 * either at most until its expiry. Leftovers of killed hosts are swept when a host starts.
 */
export class TempFiles {
  readonly dir: string
  private readonly capBytes: number
  private readonly uploadTtlMs: number
  private readonly downloadTtlMs: number
  private readonly uploads = new Map<string, Entry>()
  private readonly downloads = new Map<string, Entry>()
  /** Bytes promised to files being written (uploads in flight, a backup being made). */
  private reserved = 0

  constructor(options: TempFilesOptions = {}) {
    const root = options.root ?? os.tmpdir()
    sweepLeftovers(root)
    this.dir = privateTempFolder(PREFIX, root)
    this.capBytes = options.capBytes ?? 4 * 1024 ** 3
    this.uploadTtlMs = options.uploadTtlMs ?? 60 * 60 * 1000
    this.downloadTtlMs = options.downloadTtlMs ?? 10 * 60 * 1000
  }

  /** A new file name in the folder, for a file about to be written. */
  newPath(suffix = ''): string {
    return path.join(this.dir, `${randomUUID()}${suffix}`)
  }

  /** Bytes held now (files kept and space promised to files being written). */
  usedBytes(): number {
    let used = this.reserved
    for (const entry of [...this.uploads.values(), ...this.downloads.values()]) used += entry.bytes
    return used
  }

  /** Promises `bytes` to a file about to be written (refused over the cap); call the returned function once it is kept or gone. */
  reserve(bytes: number): () => void {
    if (this.usedBytes() + bytes > this.capBytes) {
      throw new AppError(
        'conflict',
        `the web host holds ${Math.ceil(this.usedBytes() / 1024 ** 2)} MB of files waiting (limit ${Math.floor(this.capBytes / 1024 ** 2)} MB); ` +
          'finish or cancel the pending import, restore or download first',
      )
    }
    this.reserved += bytes
    let released = false
    return () => {
      if (!released) this.reserved -= bytes
      released = true
    }
  }

  addUpload(file: string, name: string): string {
    return this.add(this.uploads, file, name, this.uploadTtlMs)
  }

  upload(id: string): ImportTarget | undefined {
    const entry = this.uploads.get(id)
    return entry && { path: entry.path, name: entry.name }
  }

  /** Deletes an upload: its import or restore has ended. */
  discardUpload(id: string): void {
    this.discard(this.uploads, id)
  }

  /** Offers `file` for download; an earlier backup nobody downloaded is deleted (only the newest is offered). */
  addDownload(file: string, name: string): string {
    for (const id of [...this.downloads.keys()]) this.discard(this.downloads, id)
    return this.add(this.downloads, file, name, this.downloadTtlMs)
  }

  download(id: string): ImportTarget | undefined {
    const entry = this.downloads.get(id)
    return entry && { path: entry.path, name: entry.name }
  }

  /** Deletes a download: it was sent in full once. */
  discardDownload(id: string): void {
    this.discard(this.downloads, id)
  }

  /** Deletes the folder and everything in it (the host is stopping). */
  dispose(): void {
    for (const entry of [...this.uploads.values(), ...this.downloads.values()]) clearTimeout(entry.timer)
    this.uploads.clear()
    this.downloads.clear()
    fs.rmSync(this.dir, { recursive: true, force: true })
  }

  private add(map: Map<string, Entry>, file: string, name: string, ttlMs: number): string {
    fs.chmodSync(file, 0o600)
    const id = randomUUID()
    const timer = setTimeout(() => this.discard(map, id), ttlMs)
    timer.unref()
    map.set(id, { path: file, name, bytes: fs.statSync(file).size, timer })
    return id
  }

  private discard(map: Map<string, Entry>, id: string): void {
    const entry = map.get(id)
    if (!entry) return
    clearTimeout(entry.timer)
    map.delete(id)
    fs.rmSync(entry.path, { force: true })
  }
}
