import fs from 'node:fs'
import path from 'node:path'

const EXPORT_EXTENSIONS = ['.json', '.jsonl', '.ndjson', '.gz']

/**
 * The export files named on a command line: the arguments after the executable that are not
 * flags (Chromium adds its own to a second instance's argv) and name an existing export file.
 */
export function exportPathsFromArgv(argv: readonly string[], cwd: string): string[] {
  return argv
    .slice(1)
    .filter((arg) => !arg.startsWith('-'))
    .map((arg) => path.resolve(cwd, arg))
    .filter(
      (file) => EXPORT_EXTENSIONS.some((ext) => file.toLowerCase().endsWith(ext)) && fs.statSync(file, { throwIfNoEntry: false })?.isFile(),
    )
}

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
