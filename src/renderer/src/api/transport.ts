import type { Channel, Envelope } from '@shared/channels'
import type { RequestOf, ResponseOf } from '@shared/contract'
import { AppError } from '@shared/errors'

const bridge = typeof window !== 'undefined' ? window.partnerDashboard : undefined

/** Where the page keeps its token across reloads: this tab and this origin only (another port cannot read it). */
const TOKEN_KEY = 'pd-token'

/**
 * Web host only: the token the server put in this page's `<meta>` (served for the address it
 * printed) wins over one kept from an earlier load; the token then leaves the address bar and the
 * history, and travels only in an `Authorization` header, which no other page can add to a request here.
 */
function takeToken(): string | null {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="pd-token"]')?.content
  if (meta) sessionStorage.setItem(TOKEN_KEY, meta)
  const url = new URL(window.location.href)
  if (url.searchParams.has('token')) {
    url.searchParams.delete('token')
    history.replaceState(history.state, '', url)
  }
  return sessionStorage.getItem(TOKEN_KEY)
}

const token = bridge || typeof document === 'undefined' ? null : takeToken()
const authorization = (): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {})

async function overHttp(channel: Channel, request: unknown): Promise<Envelope<unknown>> {
  const response = await fetch(`api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...authorization() },
    credentials: 'omit',
    body: JSON.stringify(request ?? {}),
  })
  return (await response.json()) as Envelope<unknown>
}

/** Waits before sending again a request answered `busy` (an import held the database: nothing was written). */
const BUSY_RETRIES_MS = [1000, 3000]

/** Calls one channel of the contract over whichever transport this page has. */
export async function invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  for (let attempt = 0; ; attempt++) {
    const envelope = bridge ? await bridge.invoke(channel, request) : await overHttp(channel, request)
    if (envelope.ok) return envelope.data as ResponseOf<C>
    if (envelope.error.code !== 'busy' || attempt >= BUSY_RETRIES_MS.length) throw AppError.revive(envelope.error)
    await new Promise((resolve) => setTimeout(resolve, BUSY_RETRIES_MS[attempt]))
  }
}

/** Web host only: sends a picked or dropped file to the server, which keeps it for `import:start`. */
export async function uploadFile(file: File): Promise<string> {
  const response = await fetch(`upload?name=${encodeURIComponent(file.name)}`, {
    method: 'PUT',
    headers: authorization(),
    body: file,
    credentials: 'omit',
  })
  const envelope = (await response.json()) as Envelope<{ upload_id: string }>
  if (!envelope.ok) throw AppError.revive(envelope.error)
  return envelope.data.upload_id
}

export const pathForFile = (file: File): string | null => bridge?.pathForFile(file) || null

export const onMenu = bridge?.onMenu ?? (() => () => {})
