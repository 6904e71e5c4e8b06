/**
 * The one error type of the app. Every refusal a user can meet carries a code from this closed
 * set; the table below is the only place that says what each code becomes on every host: the
 * code travels as is in the IPC/HTTP envelope, with this HTTP status and this CLI exit code
 * (1: the user can fix it, 2: a fault of ours).
 */
export const ERROR_CODES = {
  /** A request or a setting that fails the contract's validation. */
  invalid_request: { http: 400, exit: 1 },
  /** A CLI command line that does not parse (unknown flag, missing value, bad value). */
  usage: { http: 400, exit: 1 },
  unknown_channel: { http: 404, exit: 1 },
  not_found: { http: 404, exit: 1 },
  /** This host cannot do it (a native dialog in a browser): the message says what to do instead. */
  unsupported: { http: 501, exit: 1 },
  /** Refused because of the current state (an import is running, the file exists). */
  conflict: { http: 409, exit: 1 },
  /** Another connection holds the database's write lock: try again shortly. */
  busy: { http: 503, exit: 1 },
  cancelled: { http: 409, exit: 1 },
  /** An export file that cannot be imported; nothing of it was written. */
  import_failed: { http: 400, exit: 1 },
  /** A file offered as a backup that is not one this version can restore; nothing was changed. */
  restore_refused: { http: 400, exit: 1 },
  /** The database file cannot be opened or prepared (missing, unreadable, from a newer version). */
  db_unavailable: { http: 503, exit: 1 },
  /** A write to a book opened read-only (a read-only file or folder): it can be browsed, not changed. */
  read_only: { http: 409, exit: 1 },
  /** The database fails SQLite's integrity check. */
  damaged: { http: 500, exit: 1 },
  /** Transport refusals of the hosts (Electron sender check, web host guards). */
  forbidden: { http: 403, exit: 1 },
  /** A request from a page that is not the app's own (another origin or site). */
  cross_origin: { http: 403, exit: 1 },
  length_required: { http: 411, exit: 1 },
  unauthorized: { http: 401, exit: 1 },
  bad_host: { http: 421, exit: 1 },
  method: { http: 405, exit: 1 },
  too_large: { http: 413, exit: 1 },
  upload_failed: { http: 400, exit: 1 },
  not_built: { http: 404, exit: 1 },
  /** A bug: the message is generic; the details go to the log. */
  internal: { http: 500, exit: 2 },
} as const satisfies Record<string, { http: number; exit: 1 | 2 }>

export type ErrorCode = keyof typeof ERROR_CODES

/** What an error becomes in an envelope: Error objects do not survive IPC or JSON. */
export interface ErrorBody {
  code: ErrorCode
  message: string
}

export const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && Object.hasOwn(ERROR_CODES, value)

export class AppError extends Error {
  override readonly name = 'AppError'

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].http
  }

  get exitCode(): 1 | 2 {
    return ERROR_CODES[this.code].exit
  }

  toJSON(): ErrorBody {
    return { code: this.code, message: this.message }
  }

  /** The error an envelope describes, as the same class on the receiving side; an unknown code is `internal`. */
  static revive(body: { code: string; message: string }): AppError {
    return new AppError(isErrorCode(body.code) ? body.code : 'internal', body.message)
  }
}
