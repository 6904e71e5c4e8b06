/**
 * Every command of `partner-dashboard`, in the order `--help` lists them.
 *
 * To add a command: write `commands/<name>.ts` whose default export is
 * `defineCommand({ name, args?, summary, options, run })` (see `../command.ts`; `stats.ts` is a
 * small example), then add it to this list. `--db`, `--help`, strict option parsing, `choices` and
 * `check` of values, the database's lifetime (`openDb('existing' | 'create')`) and the one-line
 * errors with exit codes come with it. Throw `AppError`s (or `usageError`) for refusals.
 */
import type { Command } from '../command'
import importCommand from './import'
import opportunities from './opportunities'
import stats from './stats'
import agents from './agents'
import client from './client'
import backup from './backup'
import restore from './restore'
import web from './web'
import today from './today'
import followUp from './followUp'
import logCall from './logCall'
import settings from './settings'
import message from './message'
import { changes, undoImport } from './changes'
import results from './results'

export const COMMANDS: readonly Command[] = [
  importCommand,
  today,
  opportunities,
  stats,
  agents,
  client,
  followUp,
  logCall,
  message,
  settings,
  changes,
  undoImport,
  results,
  backup,
  restore,
  web,
]
