export class UsageError extends Error {}

/** Runs an argument parser, turning its complaint into a one-line usage error for `command`. */
export function usage<T>(command: string, parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message.split(/\.\s|\n/)[0]}`)
  }
}
