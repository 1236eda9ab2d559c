/**
 * Every failure the tool reports on purpose is a MigrationError: a stable code, a message that
 * names its subject first, the context it happened in (step, document, field, key, file, line),
 * and an optional hint that says what to do. Commands print `message` (and `hint`), never a stack.
 */
export type ErrorCode =
  | 'CONFIG_FILE'
  | 'CONFIG_INVALID'
  | 'MAP_FILE'
  | 'MAP_INVALID'
  | 'XML_MALFORMED'
  | 'STEP_UNSUPPORTED'
  | 'DB_CONNECT'
  | 'DB_QUERY'
  | 'DOCUMENT_MISSING'
  | 'HANDLER_UNKNOWN'
  | 'HANDLER_PARAMS'
  | 'HANDLER_FAILED'
  | 'BATCH_FAILED'
  | 'INTEGRITY_FAILED'
  | 'DATA_FAILED'
  | 'VOLUME_FAILED'
  | 'INTERRUPTED'
  | 'PROGRESS_MISMATCH'
  | 'DUMP_INVALID'
  | 'OUTPUT_FAILED'

export interface ErrorContext {
  step?: string
  stage?: string
  document?: string
  field?: string
  key?: string
  file?: string
  line?: number
  column?: number
  [extra: string]: unknown
}

export class MigrationError extends Error {
  readonly code: ErrorCode
  readonly context: ErrorContext
  readonly hint?: string

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}, hint?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : {cause})
    this.name = 'MigrationError'
    this.code = code
    this.context = context
    this.hint = hint
  }
}

export function isMigrationError(error: unknown): error is MigrationError {
  return error instanceof MigrationError
}

/** The server's own words for an error, without the driver's stack. */
export function describeCause(error: unknown): string {
  if (error instanceof Error) {
    const sqlError = error as Error & {code?: string; sqlMessage?: string}
    if (sqlError.sqlMessage) return `${sqlError.code ?? 'SQL error'}: ${sqlError.sqlMessage}`
    return error.message
  }
  return String(error)
}
