/**
 * `partner-dashboard <command> …` (SPEC §6), also `npm run cli -- …`. Every failure ends with one
 * line on stderr and the exit code of its `AppError` code (1: the user can fix it, 2: a fault of
 * ours); nothing prints a stack trace.
 */
import { AppError } from '../../../shared/errors'
import { asAppError } from '../dispatch'
import { escapeControls } from './output'
import { commandHelp, runCommand, type Command } from './command'
import { COMMANDS } from './commands'

const overview = (): string => {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return [
    'usage: partner-dashboard <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'partner-dashboard <command> --help shows its options; every command takes --db PATH',
    '(default: $PARTNER_DASHBOARD_DB, else ./partner-dashboard.sqlite).',
    '',
  ].join('\n')
}

function find(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name)
  if (!command) throw new AppError('usage', `unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})`)
  return command
}

async function main([name, ...args]: string[]): Promise<void> {
  if (name === undefined || name === '--help' || name === '-h') return void process.stdout.write(overview())
  if (name === 'help') return void process.stdout.write(args[0] ? commandHelp(find(args[0])) : overview())
  await runCommand(find(name), args)
}

// A reader that stops early (`| head`) closes the pipe: stop quietly, as other command-line tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
  process.exit(0)
})

const argv = process.argv.slice(2)
main(argv).catch((error: unknown) => {
  const failure = asAppError(error, argv[0] ?? 'partner-dashboard')
  console.error(escapeControls(`partner-dashboard: ${failure.message}`))
  process.exitCode = failure.exitCode
})
