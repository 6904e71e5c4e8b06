import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { notifications } from '@mantine/notifications'
import type { ImportSource } from '@shared/contract'
import type { ImportJob } from '@shared/types'
import { refreshAfter, useCapabilities } from './queries'
import { invoke, pathForFile, uploadFile } from './transport'

interface ImportApi {
  job: ImportJob | null
  /** Files being uploaded to the web host before the import starts. */
  uploading: string | null
  importSources(sources: ImportSource[]): Promise<void>
  importFiles(files: File[]): Promise<void>
  openExport(): void
  /** Desktop: imports the files the app was launched with, or handed by a second launch. */
  openLaunchFiles(): Promise<void>
  trySample(): Promise<void>
  cancel(): Promise<void>
  dismiss(): void
  /** SPEC §2.5: saves the mapping chosen for a refused file's columns and imports the same files again. */
  importWithMapping(columns: string[], mapping: Record<string, string>): Promise<void>
}

const ImportContext = createContext<ImportApi | null>(null)

export const useImports = (): ImportApi => {
  const api = useContext(ImportContext)
  if (!api) throw new Error('useImports outside ImportProvider')
  return api
}

const POLL_MS = 200

/** Runs imports for every screen: starts a job, polls its progress, cancels it, keeps its reports. */
export function ImportProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient()
  const [job, setJob] = useState<ImportJob | null>(null)
  const [uploading, setUploading] = useState<string | null>(null)
  const fileInput = useRef<HTMLInputElement>(null)

  const fail = (title: string, error: unknown): void => {
    notifications.show({ color: 'red', title, message: (error as Error).message, autoClose: false })
  }

  /** What the last import was started from, to start it again once a column mapping is saved (an upload is gone by then). */
  const lastImport = useRef<{ files: File[] } | { sources: ImportSource[] } | null>(null)

  const start = useCallback(async (sources: ImportSource[]) => {
    try {
      setJob(await invoke('import:start', { sources }))
    } catch (error) {
      fail('Import could not start', error)
    }
  }, [])

  const importSources = useCallback(
    (sources: ImportSource[]) => {
      lastImport.current = { sources }
      return start(sources)
    },
    [start],
  )

  useEffect(() => {
    if (job?.state !== 'running') return
    const timer = setTimeout(() => {
      invoke('import:status', { job_id: job.job_id })
        .then((next) => {
          setJob(next)
          if (next.state !== 'running') void refreshAfter(queryClient, 'import:start')
        })
        .catch((error: unknown) => fail('Lost track of the import', error))
    }, POLL_MS)
    return () => clearTimeout(timer)
  }, [job, queryClient])

  const importFiles = useCallback(
    async (files: File[]) => {
      if (files.length === 0) return
      lastImport.current = { files }
      const sources: ImportSource[] = []
      try {
        for (const file of files) {
          const path = pathForFile(file)
          if (path) {
            sources.push({ kind: 'path', path })
          } else {
            setUploading(file.name)
            sources.push({ kind: 'upload', upload_id: await uploadFile(file) })
          }
        }
      } catch (error) {
        fail('Upload failed', error)
        return
      } finally {
        setUploading(null)
      }
      await start(sources)
    },
    [start],
  )

  const importWithMapping = useCallback(
    async (columns: string[], mapping: Record<string, string>) => {
      await invoke('mappings:save', { columns, mapping })
      void refreshAfter(queryClient, 'mappings:save')
      const last = lastImport.current
      if (!last) return
      if ('files' in last) await importFiles(last.files)
      else await start(last.sources)
    },
    [queryClient, importFiles, start],
  )

  const { open_dialogs: openDialogs } = useCapabilities()
  const openExport = useCallback(() => {
    if (!openDialogs) {
      fileInput.current?.click()
      return
    }
    invoke('dialog:openExport', {})
      .then(({ paths }) => (paths.length > 0 ? importSources(paths.map((path) => ({ kind: 'path', path }))) : undefined))
      .catch((error: unknown) => fail('Could not open the file dialog', error))
  }, [importSources, openDialogs])

  const openLaunchFiles = useCallback(async () => {
    try {
      const { paths } = await invoke('app:takeOpenedFiles', {})
      if (paths.length > 0) await importSources(paths.map((path) => ({ kind: 'path', path })))
    } catch (error) {
      fail('Could not open the files', error)
    }
  }, [importSources])

  const api = useMemo<ImportApi>(
    () => ({
      job,
      uploading,
      importSources,
      importFiles,
      openExport,
      openLaunchFiles,
      trySample: () => importSources([{ kind: 'sample' }]),
      cancel: async () => {
        if (job) setJob(await invoke('import:cancel', { job_id: job.job_id }))
      },
      dismiss: () => setJob(null),
      importWithMapping,
    }),
    [job, uploading, importSources, importFiles, openExport, openLaunchFiles, importWithMapping],
  )

  return (
    <ImportContext.Provider value={api}>
      {children}
      <input
        ref={fileInput}
        type="file"
        multiple
        accept=".json,.jsonl,.ndjson,.csv,.tsv,.txt,.xlsx,.gz,application/json,text/csv"
        style={{ display: 'none' }}
        data-testid="file-input"
        onChange={(event) => {
          const files = Array.from(event.currentTarget.files ?? [])
          event.currentTarget.value = ''
          void importFiles(files)
        }}
      />
    </ImportContext.Provider>
  )
}
