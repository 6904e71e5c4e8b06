import { useSyncExternalStore } from 'react'

/**
 * wouter's location over the whole hash, query included (`#/opportunities?type=failed_sips`).
 * wouter's own hash hook keeps the query in `location.search`, outside the hash: a link without a
 * query then keeps the previous one, and Back between two queries changes the address but fires no
 * `hashchange`, so the screen stays. Here every screen's state lives in the hash, and every move
 * (a link, Back, Forward) is one `hashchange`.
 */

const listeners = new Set<() => void>()
const notify = (): void => listeners.forEach((listener) => listener())
const subscribe = (listener: () => void): (() => void) => {
  if (listeners.size === 0) addEventListener('hashchange', notify)
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0) removeEventListener('hashchange', notify)
  }
}

const hashPath = (): string => '/' + location.hash.replace(/^#?\/?/, '')
export const currentPath = (): string => hashPath().split('?')[0]
export const currentSearch = (): string => hashPath().split('?')[1] ?? ''

export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  const oldURL = location.href
  const url = new URL(oldURL)
  url.hash = '/' + to.replace(/^#?\/?/, '')
  if (url.href === oldURL) return
  history[replace ? 'replaceState' : 'pushState'](null, '', url.href)
  dispatchEvent(new HashChangeEvent('hashchange', { oldURL, newURL: url.href }))
}

export const useHashLocation = (): [string, typeof navigate] => [useSyncExternalStore(subscribe, currentPath), navigate]
useHashLocation.hrefs = (href: string): string => `#${href}`

export const useHashSearch = (): string => useSyncExternalStore(subscribe, currentSearch)
