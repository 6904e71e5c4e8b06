import { useRef, useState } from 'react'
import { Button, Card, Group, Modal, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import type { RequestOf } from '@shared/contract'
import type { Settings } from '@shared/detection'
import { capitalise, formatBytes, formatCount, outsideLimitsLine, restoredLine } from '@shared/format'
import { formatDateTime } from '@shared/format'
import { refreshAfter, useCapabilities } from '../api/queries'
import { invoke, uploadFile } from '../api/transport'
import { downloadUrl } from '../api/download'

type RestoreSource = RequestOf<'data:restore'>['source']

/** "Back up database…" and "Restore…": an online copy, and a checked restore that keeps the replaced book aside. */
export function BackupCard({ lastBackupAt, restoredFrom }: { lastBackupAt: string | null; restoredFrom: Settings['restored_from'] }) {
  const queryClient = useQueryClient()
  const { open_dialogs: openDialogs } = useCapabilities()
  const [busy, setBusy] = useState<'backup' | 'restore' | null>(null)
  const [confirmRestore, setConfirmRestore] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)

  const failed = (title: string) => (error: Error) => notifications.show({ color: 'red', title, message: error.message, autoClose: false })

  const backup = (): void => {
    setBusy('backup')
    invoke('data:backup', {})
      .then(({ path, download, bytes }) => {
        if (download) downloadUrl(download)
        void refreshAfter(queryClient, 'data:backup') // the last backup date
        if (path || download) {
          notifications.show({
            color: 'teal',
            title: 'Backup made',
            message: path ? `Saved to ${path} (${formatBytes(bytes)})` : `Your browser is saving the backup (${formatBytes(bytes)})`,
          })
        }
      })
      .catch(failed('Backup failed'))
      .finally(() => setBusy(null))
  }

  const restore = (source: Promise<RestoreSource>): void => {
    setBusy('restore')
    source
      .then((s) => invoke('data:restore', { source: s }))
      .then((result) => {
        if (!result.restored) return
        void refreshAfter(queryClient, 'data:restore')
        notifications.show({
          color: 'teal',
          title: 'Backup restored',
          message:
            `${capitalise(restoredLine(result.restored_from ?? '', result.backup_made_at ?? ''))}: ${formatCount(result.sip_count)} SIPs and ${formatCount(result.client_count)} clients. The book it replaced is kept as ${result.kept_as}. ${outsideLimitsLine(result.outside_limits)}`.trim(),
          autoClose: false,
        })
      })
      .catch(failed('Not restored'))
      .finally(() => setBusy(null))
  }

  const startRestore = (): void => {
    setConfirmRestore(false)
    if (openDialogs) restore(Promise.resolve({ kind: 'dialog' }))
    else fileInput.current?.click()
  }

  return (
    <Card withBorder radius="md">
      <Title order={4}>Backup</Title>
      <Text size="sm" c="dimmed" mb="md">
        A backup holds every SIP, client, import report, follow-up note and setting. It can be made while you work.
      </Text>
      <Text size="sm" mb="md" data-testid="last-backup">
        Last backup: {lastBackupAt ? formatDateTime(lastBackupAt) : 'never'}
      </Text>
      {restoredFrom ? (
        <Text size="sm" mb="md" data-testid="restored-from">
          {capitalise(restoredLine(restoredFrom.file, restoredFrom.backup_made_at))}.
        </Text>
      ) : null}
      <Group>
        <Button variant="light" loading={busy === 'backup'} disabled={busy !== null} onClick={backup}>
          Back up database…
        </Button>
        <Button variant="default" loading={busy === 'restore'} disabled={busy !== null} onClick={() => setConfirmRestore(true)}>
          Restore…
        </Button>
      </Group>
      <input
        ref={fileInput}
        type="file"
        accept=".sqlite,.db"
        hidden
        data-testid="restore-file"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0]
          e.currentTarget.value = ''
          if (file) restore(uploadFile(file).then((uploadId) => ({ kind: 'upload', upload_id: uploadId })))
        }}
      />
      <Modal opened={confirmRestore} onClose={() => setConfirmRestore(false)} title="Restore from a backup?" centered>
        <Text size="sm">
          Everything in the app is replaced by the backup you pick: SIPs, clients, import reports, follow-up notes and settings. The backup
          is checked first, and the current book is kept as a file beside the database, so this can be undone.
        </Text>
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={() => setConfirmRestore(false)}>
            Cancel
          </Button>
          <Button onClick={startRestore}>Choose backup…</Button>
        </Group>
      </Modal>
    </Card>
  )
}
