import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { openDb, readOnlyError, type Db } from '../../db/open'
import { refreshForRead } from '../../services/derived'
import { escapeControls } from './output'
import { resolveAsOf } from '../../services/settings'
import { AppError } from '../../../shared/errors'
import { resolveDbPath } from '../paths'

/** One option of a command: what `node:util` `parseArgs` needs, plus what `--help` shows. */
export interface OptionSpec {
  type: 'string' | 'boolean'
  multiple?: boolean
  /** The value's placeholder in help (`--agent ID`). */
  value?: string
  help: string
  /** The only values accepted. */
  choices?: readonly string[]
  /** What is wrong with a value, or null when it is fine. */
  check?: (value: string) => string | null
}

export type OptionSpecs = Record<string, OptionSpec>

type One<S extends OptionSpec> = S extends { choices: readonly (infer C)[] } ? C : string
type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean' ? boolean : S['multiple'] extends true ? One<S>[] : One<S>
export type Values<O extends OptionSpecs> = { [K in keyof O]?: ValueOf<O[K]> }

export interface CommandContext<O extends OptionSpecs> {
  values: Values<O>
  positionals: string[]
  /** `--db`, else `$PARTNER_DASHBOARD_DB`, else `./partner-dashboard.sqlite`, as an absolute path. */
  dbPath: string
  /**
   * The database, closed when the command ends. `existing` (for commands that read) refuses a
   * path where there is no database yet, creating nothing; `change` too, and a read-only book;
   * `create` makes it (and its folder), and refuses a read-only book.
   */
  openDb(mode: 'existing' | 'change' | 'create'): Db
  /**
   * The existing database, its derived results brought up to date for `asOf` first: the explicit
   * rebuild step a report takes before it reads (reads never write).
   */
  openBook(asOf: string | undefined): Db
}

export interface Command<O extends OptionSpecs = OptionSpecs> {
  name: string
  /** What follows the name in the usage line: positional arguments (`<files…>`); none when absent. */
  args?: string
  /** One line for the command list. */
  summary: string
  /** The command's own options; `--db` and `--help` are added to every command. */
  options: O
  run(context: CommandContext<O>): void | Promise<void>
}

/** Declares a command with its options typed for `run`; register it in `commands/index.ts`. */
export const defineCommand = <const O extends OptionSpecs>(command: Command<O>): Command =>
  // The table holds commands of different options; each `run` only ever sees its own command's values.
  command as unknown as Command

/** A whole number within bounds, for `check`. */
export const wholeNumber =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (value: string): string | null =>
    /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max
      ? null
      : `expected a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}, got "${value}"`

const COMMON: OptionSpecs = {
  db: { type: 'string', value: 'PATH', help: 'the database (default: $PARTNER_DASHBOARD_DB, else ./partner-dashboard.sqlite)' },
  help: { type: 'boolean', help: 'show this help' },
}

export const usageError = (command: string, message: string): AppError =>
  new AppError('usage', `${command}: ${message} (see partner-dashboard ${command} --help)`)

/**
 * `--limit -3` is a value that starts with a dash; `parseArgs` refuses it as ambiguous. An option
 * that takes a value takes the next argument whatever it starts with, unless that is another `--option`.
 */
function joinDashValues(args: readonly string[], options: OptionSpecs): string[] {
  const joined: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    const spec = arg.startsWith('--') && !arg.includes('=') ? options[arg.slice(2)] : undefined
    const next = args[i + 1]
    if (spec?.type === 'string' && next !== undefined && /^-(?!-|h$)/.test(next)) {
      joined.push(`${arg}=${next}`)
      i++
    } else joined.push(arg)
  }
  return joined
}

/** Parses a command's arguments strictly; every complaint is one line naming the command. */
export function parseCommandLine(
  command: Command,
  args: readonly string[],
): { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] } {
  const specs = { ...command.options, ...COMMON }
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      { type: spec.type, multiple: spec.multiple ?? false, ...(name === 'help' && { short: 'h' }) },
    ]),
  )
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: joinDashValues(args, specs), options, allowPositionals: command.args !== undefined, strict: true })
  } catch (error) {
    if (!(error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS_')) throw error
    // Node's messages go on with advice about `--`; the first sentence is the complaint.
    throw usageError(command.name, (error as Error).message.split(/\.\s|\n/)[0])
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    const spec = specs[name]
    for (const one of [value].flat()) {
      if (typeof one !== 'string') continue
      const complaint =
        spec.choices && !spec.choices.includes(one)
          ? `expected one of ${spec.choices.join(', ')}, got "${one}"`
          : (spec.check?.(one) ?? null)
      if (complaint) throw usageError(command.name, `--${name}: ${complaint}`)
    }
  }
  return parsed
}

/** Runs `command` with its arguments: help, parsing, the database's lifetime. */
export async function runCommand(command: Command, args: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(command, args)
  if (values.help) return void process.stdout.write(commandHelp(command))
  const dbPath = resolveDbPath(values.db as string | undefined)
  const opened: Db[] = []
  const open = (mode: 'existing' | 'change' | 'create'): Db => {
    if (mode !== 'create' && !fs.existsSync(dbPath)) {
      throw new AppError('not_found', `${dbPath}: no database there; import an export first, or name one with --db`)
    }
    const db = openDb(dbPath)
    opened.push(db)
    if (mode !== 'existing' && db.readOnly) throw readOnlyError(dbPath)
    return db
  }
  try {
    await command.run({
      values: values as Values<OptionSpecs>,
      positionals,
      dbPath,
      openDb: open,
      openBook: (asOf) => {
        const db = open('existing')
        const at = resolveAsOf(db, asOf)
        // A book that cannot be written (read-only, or a full disk) is read as it is: its opportunities were computed when it last could be.
        const stale = refreshForRead(db, at)
        if (stale)
          console.error(
            escapeControls(`partner-dashboard: note: ${dbPath} ${stale}; its opportunities are as last computed, not for ${at}`),
          )
        return db
      },
    })
  } finally {
    for (const db of opened) db.close()
  }
}

const optionLines = (specs: OptionSpecs): string[] => {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const choices = spec.choices?.join('|')
    // Short lists of choices stand in for the placeholder; long ones go after the help.
    const placeholder = spec.type === 'boolean' ? '' : ` ${spec.value ?? (choices && choices.length <= 16 ? choices : name.toUpperCase())}`
    const more = [choices && !placeholder.includes(choices) && `one of ${choices}`, spec.multiple && 'repeatable'].filter(Boolean)
    return [`${name === 'help' ? '-h, ' : ''}--${name}${placeholder}`, `${spec.help}${more.length > 0 ? ` (${more.join('; ')})` : ''}`]
  })
  const width = Math.max(...rows.map(([flag]) => flag.length))
  return rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`)
}

export const commandHelp = (command: Command): string =>
  [
    `usage: partner-dashboard ${command.name}${command.args ? ` ${command.args}` : ''} [options]`,
    '',
    command.summary,
    '',
    'options:',
    ...optionLines({ ...command.options, ...COMMON }),
    '',
  ].join('\n')
