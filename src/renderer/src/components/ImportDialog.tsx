import { Alert, Button, Divider, Group, Modal, Progress, Stack, Text } from '@mantine/core'
import { IconAlertTriangle } from '@tabler/icons-react'
import { formatBytes, formatCount } from '@shared/format'
import { useImports } from '../api/ImportProvider'
import { ImportChangesSummary, ImportReportView } from './ImportReportView'
import { ColumnMappingDialog } from './ColumnMappingDialog'

const TITLES = { running: 'Importing…', done: 'Import finished', failed: 'Import failed', cancelled: 'Import cancelled' }

/** Progress with Cancel while an import runs, then each file's report; a file whose columns do not say what to read asks for a mapping. */
export function ImportDialog() {
  const { job, uploading, cancel, dismiss, importWithMapping } = useImports()
  if (uploading) {
    return (
      <Modal opened onClose={() => {}} withCloseButton={false} title="Reading file…" centered>
        <Text size="sm">Handing {uploading} to the app…</Text>
        <Progress value={100} animated mt="md" />
      </Modal>
    )
  }
  if (!job) return null
  const question = job.state === 'failed' ? job.needs_mapping : null
  if (question) {
    return (
      <ColumnMappingDialog
        key={job.job_id}
        question={question}
        onCancel={dismiss}
        onImport={(mapping) => importWithMapping(question.columns, mapping)}
      />
    )
  }
  const progress = job.progress
  const percent = progress && progress.total_bytes > 0 ? Math.min(100, (progress.bytes_read / progress.total_bytes) * 100) : 0
  return (
    <Modal
      opened
      onClose={job.state === 'running' ? () => {} : dismiss}
      withCloseButton={job.state !== 'running'}
      closeOnEscape={job.state !== 'running'}
      closeOnClickOutside={false}
      title={TITLES[job.state]}
      size={job.state === 'running' ? 'md' : 'xl'}
      centered
    >
      <Stack>
        {job.state === 'running' ? (
          <>
            <Text size="sm" data-testid="import-progress-text">
              {progress?.analysing
                ? `${formatCount(progress.records)} records imported · finding opportunities across the book…`
                : progress
                  ? `${progress.file}${progress.file_count > 1 ? ` (file ${progress.file_index + 1} of ${progress.file_count})` : ''}: ${formatCount(progress.records)} records read · ${formatBytes(progress.bytes_read)} of ${formatBytes(progress.total_bytes)}`
                  : 'Starting…'}
            </Text>
            <Progress value={percent} animated size="lg" aria-label="Import progress" />
            <Group justify="flex-end">
              <Button variant="default" color="red" disabled={progress?.analysing} onClick={() => void cancel()}>
                Cancel
              </Button>
            </Group>
          </>
        ) : null}
        {job.error ? (
          <Alert
            color={job.state === 'cancelled' ? 'gray' : 'red'}
            icon={<IconAlertTriangle />}
            title={job.state === 'cancelled' ? 'Nothing from this file was imported' : 'This file was not imported'}
          >
            <Text size="sm" data-testid="import-error">
              {job.error}
            </Text>
          </Alert>
        ) : null}
        {job.state === 'done' && job.reports.length > 0 ? (
          <ImportChangesSummary importId={job.reports[job.reports.length - 1].set_id} />
        ) : null}
        {job.state !== 'running'
          ? job.reports.map((report, i) => (
              <div key={report.import_id}>
                {i > 0 ? <Divider my="md" /> : null}
                <ImportReportView report={report} />
              </div>
            ))
          : null}
        {job.state !== 'running' ? (
          <Group justify="flex-end">
            <Button onClick={dismiss}>Done</Button>
          </Group>
        ) : null}
      </Stack>
    </Modal>
  )
}
