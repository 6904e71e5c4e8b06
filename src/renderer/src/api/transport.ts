import type { Channel, Envelope } from '@shared/channels'
import type { RequestOf, ResponseOf } from '@shared/contract'
import { AppError } from '@shared/errors'

const bridge = typeof window !== 'undefined' ? window.partnerDashboard : undefined

/** True inside the desktop app (Electron preload present); false in a browser on the web host. */
export const isDesktop = bridge !== undefined

async function overHttp(channel: Channel, request: unknown): Promise<Envelope<unknown>> {
  const response = await fetch(`api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(request ?? {}),
  })
  return (await response.json()) as Envelope<unknown>
}

/** Calls one channel of the contract over whichever transport this page has. */
export async function invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const envelope = bridge ? await bridge.invoke(channel, request) : await overHttp(channel, request)
  if (!envelope.ok) throw AppError.revive(envelope.error)
  return envelope.data as ResponseOf<C>
}

/** Web host only: sends a picked or dropped file to the server, which keeps it for `import:start`. */
export async function uploadFile(file: File): Promise<string> {
  const response = await fetch(`upload?name=${encodeURIComponent(file.name)}`, { method: 'PUT', body: file, credentials: 'same-origin' })
  const envelope = (await response.json()) as Envelope<{ uploadId: string }>
  if (!envelope.ok) throw AppError.revive(envelope.error)
  return envelope.data.uploadId
}

export const pathForFile = (file: File): string | null => bridge?.pathForFile(file) || null

export const onMenu = bridge?.onMenu ?? (() => () => {})
