import { backupDatabase } from '../../../services/backup'
import { formatBytes } from '../../../../shared/format'
import { defineCommand, usageError } from '../command'

export default defineCommand({
  name: 'backup',
  args: '<file>',
  summary: 'Writes an online copy of the database to a new file.',
  options: {},
  run({ positionals, openDb }) {
    if (positionals.length !== 1) throw usageError('backup', 'name the backup file to write')
    const { path, bytes } = backupDatabase(openDb('existing'), positionals[0])
    console.log(`backed up to ${path} (${formatBytes(bytes)})`)
  },
})
