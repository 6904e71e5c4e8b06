/**
 * `npm run cli -- <command> …` (SPEC §6). Every failure a user can cause ends with exit code 1 and
 * one line on stderr; nothing prints a stack trace.
 */
import { DatabaseOpenError } from '../../db/open'
import { ImportError } from '../../import/importer'
import { RequestError } from '../../../shared/contract'
import { importCommand } from './import'
import { agentsCommand, clientCommand, opportunitiesCommand, statsCommand } from './report'
import { backupCommand, restoreCommand } from './backup'
import { followUpCommand, logCallCommand, settingsCommand, todayCommand } from './desk'
import { UsageError } from './args'
import { changesCommand, undoImportCommand } from './changes'

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  import: importCommand,
  opportunities: opportunitiesCommand,
  stats: statsCommand,
  agents: agentsCommand,
  client: clientCommand,
  today: todayCommand,
  'follow-up': followUpCommand,
  'log-call': logCallCommand,
  settings: settingsCommand,
  backup: backupCommand,
  restore: restoreCommand,
  changes: changesCommand,
  'undo-import': undoImportCommand,
}

const USAGE = `usage: partner-dashboard <command> [options]
commands:
  import <files…> [--db PATH] [--json]            import SIP and client exports
  opportunities [--type T] [--agent ID] [--state S] [--as-of YYYY-MM-DD] [--limit N] [--format table|json|csv]
  stats [--agent ID] [--as-of …] [--format …]       opportunity and book totals
  agents [--as-of …] [--format …]                   the agents table
  client <user_id> [--as-of …] [--format …]         one client's SIPs and opportunities
  today [--agent ID] [--as-of …] [--limit N] [--format table|json]   the call queue, in order
  follow-up --type T --client U [--agent A] [--state S] [--next YYYY-MM-DD|none] [--note TEXT]
  log-call --client U [--agent A] --outcome reached|no_answer|call_back|converted|not_interested [--note TEXT] [--next YYYY-MM-DD]
  settings [KEY [VALUE]]                            read all, read one, or set one setting
  backup <file>                                     an online copy of the database
  restore <file>                                    replace the database with a checked backup (the current one is kept aside)
every command takes --db PATH (default: $PARTNER_DASHBOARD_DB or ./partner-dashboard.sqlite)`

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv
  if (command === undefined || command === '--help' || command === '-h') {
    console.log(USAGE)
    return
  }
  const run = COMMANDS[command]
  if (!run) throw new UsageError(`unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')})`)
  await run(args)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const known =
    error instanceof UsageError || error instanceof ImportError || error instanceof DatabaseOpenError || error instanceof RequestError
  console.error(`partner-dashboard: ${known ? (error as Error).message : `unexpected error: ${(error as Error).message}`}`)
  process.exitCode = 1
})
