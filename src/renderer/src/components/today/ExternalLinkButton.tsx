import type { MouseEvent, ReactNode } from 'react'
import { Button } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { AppError } from '@shared/errors'
import { useCapabilities } from '../../api/queries'
import { invoke } from '../../api/transport'

/**
 * A `mailto:` or WhatsApp link, opened only on the advisor's click: a plain link in a browser; on
 * the desktop, handed to the system through `app:openExternal` (main allows only those two kinds).
 */
export function ExternalLinkButton({
  href,
  icon,
  children,
  onOpen,
}: {
  href: string
  icon: ReactNode
  children: ReactNode
  /** Called when the advisor opens the link (to log the message). */
  onOpen?: () => void
}) {
  const { open_external: openExternal } = useCapabilities()
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    onOpen?.()
    if (!openExternal) return
    event.preventDefault()
    invoke('app:openExternal', { url: href }).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'unsupported') window.open(href, '_blank', 'noreferrer')
      else notifications.show({ color: 'red', title: 'Could not open the link', message: (error as Error).message })
    })
  }
  return (
    <Button component="a" href={href} target="_blank" rel="noreferrer" variant="default" leftSection={icon} onClick={open}>
      {children}
    </Button>
  )
}
