import fs from 'node:fs'
import path from 'node:path'

const EXPORT_EXTENSIONS = ['.json', '.jsonl', '.ndjson', '.gz']

/** Of `files` (relative ones resolved against `cwd`), the existing export files: what the app will open from outside. */
export function exportFiles(files: readonly string[], cwd: string): string[] {
  return files
    .map((file) => path.resolve(cwd, file))
    .filter(
      (file) => EXPORT_EXTENSIONS.some((ext) => file.toLowerCase().endsWith(ext)) && fs.statSync(file, { throwIfNoEntry: false })?.isFile(),
    )
}

/**
 * The export files named on a command line: the arguments after the executable that are not
 * flags (Chromium adds its own to a second instance's argv) and name an existing export file.
 */
export const exportPathsFromArgv = (argv: readonly string[], cwd: string): string[] =>
  exportFiles(
    argv.slice(1).filter((arg) => !arg.startsWith('-')),
    cwd,
  )

/**
 * Files the app was asked to open (first launch, a second launch, macOS "Open With") until the
 * renderer takes them. `notify` tells a loaded renderer to come and take them; a renderer that is
 * still loading takes them when it mounts, so none is lost to a race.
 */
export function launchFiles(notify: () => void) {
  let pending: string[] = []
  return {
    add(paths: string[]): void {
      if (paths.length === 0) return
      pending = [...new Set([...pending, ...paths])]
      notify()
    },
    take(): { paths: string[] } {
      const paths = pending
      pending = []
      return { paths }
    },
  }
}
