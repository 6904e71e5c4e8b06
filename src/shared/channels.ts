import type { ErrorBody } from './errors'

/**
 * The names of every request the renderer can make. Dependency-free so the sandboxed preload can
 * bundle it; the request schemas and response types live in `contract.ts`.
 */
export const CHANNELS = [
  'app:info',
  'app:takeOpenedFiles',
  'import:start',
  'import:status',
  'import:cancel',
  'import:list',
  'import:report',
  'import:undo',
  'mappings:list',
  'mappings:save',
  'mappings:delete',
  'changes:get',
  'results:get',
  'dialog:openExport',
  'opportunities:list',
  'stats:get',
  'agents:list',
  'client:get',
  'client:agents',
  'followup:update',
  'today:list',
  'calls:log',
  'calls:voidLast',
  'calls:nextDates',
  'messages:log',
  'today:plan',
  'today:refill',
  'today:scheduled',
  'settings:get',
  'settings:update',
  'messages:get',
  'messages:preview',
  'client:setLanguage',
  'clients:search',
  'data:clear',
  'data:backup',
  'data:restore',
  'report:savePdf',
  'app:openExternal',
] as const

export type Channel = (typeof CHANNELS)[number]

export const isChannel = (value: unknown): value is Channel => (CHANNELS as readonly unknown[]).includes(value)

/** What every request answers, on every transport: Error objects do not survive IPC. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ErrorBody }

/** Name of the object the Electron preload exposes on `window`. */
export const BRIDGE_KEY = 'partnerDashboard'
