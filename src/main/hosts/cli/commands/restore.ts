import { restoreInto } from '../../../services/backup'
import { defineCommand, usageError } from '../command'

export default defineCommand({
  name: 'restore',
  args: '<file>',
  summary: 'Replaces the book with a checked backup; the current database is kept aside.',
  options: {},
  run({ positionals, openDb }) {
    if (positionals.length !== 1) throw usageError('restore', 'name the backup file to restore')
    const { keptAs } = restoreInto(openDb('create'), positionals[0])
    console.log(`restored from ${positionals[0]}; the previous database is kept as ${keptAs}`)
  },
})
