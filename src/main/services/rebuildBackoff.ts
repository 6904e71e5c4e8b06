import { DISK_TOO_FULL } from './derived'

/** The first wait before a recalculation that found the disk full is tried again, and the longest. */
export const FIRST_RETRY_MS = 30_000
export const LAST_RETRY_MS = 10 * 60_000

/**
 * After a recalculation failed for a full disk, none is started (reads would ask for one at every poll)
 * until a wait that doubles with each such failure has passed; reads serve the last figures meanwhile,
 * saying why. A job that ends well (the disk had room) starts over from the first wait.
 */
export class RebuildBackoff {
  private blocked: { reason: string; timer: NodeJS.Timeout } | null = null
  private waitMs = FIRST_RETRY_MS

  /** `onChange` is told when rebuilds stop (the reason) and when they may be tried again (null). */
  constructor(private readonly onChange: (reason: string | null) => void) {}

  /** Why stale results are not being rebuilt for now, or null. */
  reason(): string | null {
    return this.blocked?.reason ?? null
  }

  diskFull(): void {
    if (this.blocked) clearTimeout(this.blocked.timer)
    this.blocked = { reason: DISK_TOO_FULL, timer: setTimeout(() => this.lift(), this.waitMs).unref() }
    this.waitMs = Math.min(this.waitMs * 2, LAST_RETRY_MS)
    this.onChange(DISK_TOO_FULL)
  }

  succeeded(): void {
    this.waitMs = FIRST_RETRY_MS
    this.lift()
  }

  private lift(): void {
    if (!this.blocked) return
    clearTimeout(this.blocked.timer)
    this.blocked = null
    this.onChange(null)
  }
}
