import { useEffect, useRef, useSyncExternalStore } from 'react'

/**
 * wouter's location over the whole hash, query included (`#/opportunities?type=failed_sips`).
 * wouter's own hash hook keeps the query in `location.search`, outside the hash: a link without a
 * query then keeps the previous one, and Back between two queries changes the address but fires no
 * `hashchange`, so the screen stays. Here every screen's state lives in the hash, and every move
 * (a link, Back, Forward) is one `hashchange`.
 *
 * The screens show `shown`, not the address itself, so a move can be held (see `useLeaveGuard`):
 * a link or a menu item waits for the answer; Back and Forward put the address back meanwhile.
 */

const listeners = new Set<() => void>()
const notify = (): void => listeners.forEach((listener) => listener())

const hashPath = (): string => '/' + location.hash.replace(/^#?\/?/, '')
let shown = typeof location === 'undefined' ? '/' : hashPath()

/** Each history entry this page made carries its place, so Back/Forward know how far they went. */
type Entry = { pdIndex?: number }
const entryIndex = (state: unknown): number | null => {
  const index = (state as Entry | null)?.pdIndex
  return typeof index === 'number' ? index : null
}
let index = 0

/** The one screen that may hold a move (e.g. a typed, unsaved note), and how it asks. */
type Ask = (proceed: () => void) => void
let guard: Ask | null = null
/** Set while a held Back/Forward is being undone or, once answered, done again. */
let traversing: 'undoing' | 'redoing' | null = null

function follow(): void {
  const next = hashPath()
  if (next === shown) return
  shown = next
  notify()
}

/** Back, Forward, or an address typed in: follow it, unless a screen holds moves and this is Back/Forward. */
function onAddressChange(): void {
  let target = entryIndex(history.state)
  if (target === null && hashPath() !== shown) {
    // An address typed in or opened (a new entry after this one): numbered like the others.
    target = index + 1
    history.replaceState({ ...(history.state as object), pdIndex: target } satisfies Entry, '')
  }
  if (traversing === 'undoing') {
    if (hashPath() === shown) traversing = null
    return
  }
  const redoing = traversing === 'redoing' // answered already: the screen that held it may not have closed yet
  traversing = null
  if (redoing || !guard || hashPath() === shown || target === null) {
    if (target !== null) index = target
    return follow()
  }
  const delta = target - index
  const ask = guard
  traversing = 'undoing'
  history.go(-delta) // the screen stays: so does its address, until the answer
  ask(() => {
    traversing = 'redoing'
    history.go(delta)
  })
}

function start(): void {
  if (entryIndex(history.state) === null) history.replaceState({ ...(history.state as object), pdIndex: 0 }, '')
  index = entryIndex(history.state) ?? 0
  shown = hashPath()
  addEventListener('hashchange', onAddressChange)
  addEventListener('popstate', onAddressChange)
}

const subscribe = (listener: () => void): (() => void) => {
  if (listeners.size === 0) start()
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0) {
      removeEventListener('hashchange', onAddressChange)
      removeEventListener('popstate', onAddressChange)
    }
  }
}

const snapshot = (): string => (listeners.size === 0 ? hashPath() : shown)
export const currentPath = (): string => snapshot().split('?')[0]
export const currentSearch = (): string => snapshot().split('?')[1] ?? ''

export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  const move = () => {
    const url = new URL(location.href)
    url.hash = '/' + to.replace(/^#?\/?/, '')
    if (url.href === location.href) return
    if (!replace) index += 1
    history[replace ? 'replaceState' : 'pushState']({ pdIndex: index } satisfies Entry, '', url.href)
    follow()
  }
  // Replacing the address keeps the screen (a list's place, its filters): only a new entry leaves it.
  if (guard && !replace) guard(move)
  else move()
}

export const useHashLocation = (): [string, typeof navigate] => [useSyncExternalStore(subscribe, currentPath), navigate]
useHashLocation.hrefs = (href: string): string => `#${href}`

export const useHashSearch = (): string => useSyncExternalStore(subscribe, currentSearch)

/**
 * While `active`, moving to another screen (a link, the sidebar, a menu item, Back/Forward) first
 * calls `ask` with the move to make once the user agrees; closing or reloading the page asks the browser's own question.
 */
export function useLeaveGuard(active: boolean, ask: Ask): void {
  const latest = useRef(ask)
  useEffect(() => {
    latest.current = ask
  })
  useEffect(() => {
    if (!active) return
    const held: Ask = (proceed) => latest.current(proceed)
    guard = held
    const onUnload = (event: BeforeUnloadEvent) => event.preventDefault()
    addEventListener('beforeunload', onUnload)
    return () => {
      if (guard === held) guard = null
      removeEventListener('beforeunload', onUnload)
    }
  }, [active])
}
