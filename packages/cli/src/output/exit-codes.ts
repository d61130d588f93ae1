import type { ErrorCode } from '@telecrm/core';

/** What `crm` exits with. Scripts rely on these numbers: never renumber them. */
export const ExitCode = {
  OK: 0,
  /** Anything not listed below: a server fault, an unexpected answer, a bug. */
  FAILURE: 1,
  /** Bad options or input: fix the command line and try again. */
  USAGE: 2,
  /** Not logged in, the token expired or was revoked, or not allowed. */
  AUTH: 3,
  NOT_FOUND: 4,
  /** The request is well formed but clashes with the current state (taken phone, not in the bin...). */
  CONFLICT: 5,
  /** The server could not be reached. */
  UNREACHABLE: 6,
  /** Interrupted by the user (Ctrl-C at a prompt, or while following an import). */
  INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Failures the CLI finds before (or instead of) asking the server. */
export const CLI_ERROR_CODES = ['CLI.USAGE', 'CLI.UNREACHABLE', 'CLI.BAD_RESPONSE', 'CLI.CANCELLED', 'CLI.IMPORT_FAILED', 'CLI.UNEXPECTED'] as const;
export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];

/** The one table from an error code (the server's or the CLI's own) to an exit code. */
export const EXIT_CODES: Record<ErrorCode | CliErrorCode, ExitCode> = {
  'VALIDATION.FAILED': ExitCode.USAGE,
  'VALIDATION.REQUIRED': ExitCode.USAGE,
  'VALIDATION.TYPE': ExitCode.USAGE,
  'VALIDATION.UNKNOWN_FIELD': ExitCode.USAGE,
  'VALIDATION.TOO_LONG': ExitCode.USAGE,
  'VALIDATION.FORMAT': ExitCode.USAGE,
  'REQUEST.MALFORMED': ExitCode.USAGE,
  'REQUEST.TOO_LARGE': ExitCode.USAGE,
  // The CLI asked for a route the server does not have: a version mismatch, not the user's mistake.
  'REQUEST.ROUTE_NOT_FOUND': ExitCode.FAILURE,
  'REQUEST.BAD_CURSOR': ExitCode.USAGE,
  'IDEMPOTENCY.IN_PROGRESS': ExitCode.CONFLICT,
  'IDEMPOTENCY.KEY_REUSED': ExitCode.CONFLICT,
  'AUTH.UNAUTHENTICATED': ExitCode.AUTH,
  'AUTH.INVALID_CREDENTIALS': ExitCode.AUTH,
  'AUTH.USER_DISABLED': ExitCode.AUTH,
  'AUTH.FORBIDDEN': ExitCode.AUTH,
  'AUTH.FIELD_READ_ONLY': ExitCode.AUTH,
  'AUTH.TOO_MANY_ATTEMPTS': ExitCode.AUTH,
  'PHONE.INVALID': ExitCode.USAGE,
  'PHONE.DUPLICATE_IN_INPUT': ExitCode.USAGE,
  'CUSTOMER.NOT_FOUND': ExitCode.NOT_FOUND,
  'CUSTOMER.PHONE_TAKEN': ExitCode.CONFLICT,
  'CUSTOMER.DELETED': ExitCode.CONFLICT,
  'CUSTOMER.NOT_DELETED': ExitCode.CONFLICT,
  'CUSTOMER.MERGE_SAME': ExitCode.USAGE,
  'CUSTOMER.NO_PHONE': ExitCode.CONFLICT,
  'FIELD.UNKNOWN': ExitCode.USAGE,
  'FIELD.HIDDEN': ExitCode.USAGE,
  'FIELD.KEY_TAKEN': ExitCode.CONFLICT,
  'FIELD.NOT_FOUND': ExitCode.NOT_FOUND,
  'FIELD.OPTION_UNKNOWN': ExitCode.USAGE,
  'PICKLIST.NOT_FOUND': ExitCode.NOT_FOUND,
  'PICKLIST.VALUE_UNKNOWN': ExitCode.USAGE,
  'PICKLIST.VALUE_EXISTS': ExitCode.CONFLICT,
  'PICKLIST.VALUE_NOT_FOUND': ExitCode.NOT_FOUND,
  'FILTER.INVALID': ExitCode.USAGE,
  'FILTER.UNKNOWN_FIELD': ExitCode.USAGE,
  'FILTER.OPERATOR_NOT_ALLOWED': ExitCode.USAGE,
  'FILTER.BAD_VALUE': ExitCode.USAGE,
  'VIEW.NOT_FOUND': ExitCode.NOT_FOUND,
  'VIEW.READ_ONLY': ExitCode.CONFLICT,
  'USER.NOT_FOUND': ExitCode.NOT_FOUND,
  'USER.USERNAME_TAKEN': ExitCode.CONFLICT,
  'DEPARTMENT.NOT_FOUND': ExitCode.NOT_FOUND,
  'DEPARTMENT.CYCLE': ExitCode.CONFLICT,
  'DEPARTMENT.NOT_EMPTY': ExitCode.CONFLICT,
  'ROLE.NOT_FOUND': ExitCode.NOT_FOUND,
  'ROLE.CYCLE': ExitCode.CONFLICT,
  'ROLE.IN_USE': ExitCode.CONFLICT,
  'USER.SELF': ExitCode.CONFLICT,
  'KEY.NOT_FOUND': ExitCode.NOT_FOUND,
  'IMPORT.NOT_FOUND': ExitCode.NOT_FOUND,
  // A file that cannot be imported as it is: the user fixes the file or the options.
  'IMPORT.FILE_EMPTY': ExitCode.USAGE,
  'IMPORT.NO_DATA_ROWS': ExitCode.USAGE,
  'IMPORT.FILE_ENCRYPTED': ExitCode.USAGE,
  'IMPORT.NOT_A_WORKBOOK': ExitCode.USAGE,
  'IMPORT.UNPACKED_TOO_LARGE': ExitCode.USAGE,
  'IMPORT.XLS_UNSUPPORTED': ExitCode.USAGE,
  'IMPORT.FORMAT_UNKNOWN': ExitCode.USAGE,
  'IMPORT.FILE_UNREADABLE': ExitCode.USAGE,
  'IMPORT.ENCODING_INVALID': ExitCode.USAGE,
  'IMPORT.SHEET_NOT_FOUND': ExitCode.USAGE,
  'IMPORT.NO_PHONE_COLUMN': ExitCode.USAGE,
  'IMPORT.UPLOAD_TOO_LARGE': ExitCode.USAGE,
  'IMPORT.NOT_CANCELLABLE': ExitCode.CONFLICT,
  'IMPORT.NOT_REVERTIBLE': ExitCode.CONFLICT,
  'IMPORT.REVERT_CONFLICT': ExitCode.CONFLICT,
  'IMPORT.INTERRUPTED': ExitCode.FAILURE,
  'IMPORT.DUPLICATE_IN_FILE': ExitCode.CONFLICT,
  'IMPORT.DUPLICATE': ExitCode.CONFLICT,
  'IMPORT.DUPLICATE_DELETED': ExitCode.CONFLICT,
  'IMPORT.DUPLICATE_NOT_WRITABLE': ExitCode.CONFLICT,
  'IMPORT.WRONG_NUMBER': ExitCode.CONFLICT,
  'IMPORT.DO_NOT_CALL': ExitCode.CONFLICT,
  'IMPORT.AMBIGUOUS': ExitCode.CONFLICT,
  'POOL.WRONG_POOL': ExitCode.CONFLICT,
  'POOL.SAME_OWNER': ExitCode.CONFLICT,
  'POOL.HOLDING_LIMIT': ExitCode.CONFLICT,
  'POOL.DAILY_LIMIT': ExitCode.CONFLICT,
  'POOL.COOLDOWN': ExitCode.CONFLICT,
  'POOL.CLAIM_NOT_ALLOWED': ExitCode.AUTH,
  'POOL.PROTECTED': ExitCode.CONFLICT,
  'POOL.EXEMPT': ExitCode.CONFLICT,
  'POOL.NOT_FOUND': ExitCode.NOT_FOUND,
  'POOL.NOT_MEMBER': ExitCode.AUTH,
  'POOL.DEFAULT_REQUIRED': ExitCode.CONFLICT,
  'POOL.NOT_EMPTY': ExitCode.CONFLICT,
  'POOL.NAME_TAKEN': ExitCode.CONFLICT,
  'POOL.ALL_AT_LIMIT': ExitCode.CONFLICT,
  'POOL.NO_ACTIVE_AGENT': ExitCode.CONFLICT,
  'POOL.SELECTION_TOO_LARGE': ExitCode.USAGE,
  'REFERENCE.CHANGED': ExitCode.CONFLICT,
  INTERNAL: ExitCode.FAILURE,
  'CLI.USAGE': ExitCode.USAGE,
  'CLI.UNREACHABLE': ExitCode.UNREACHABLE,
  'CLI.BAD_RESPONSE': ExitCode.FAILURE,
  'CLI.CANCELLED': ExitCode.INTERRUPTED,
  // An import that ended failed or cancelled: its rows were not all imported.
  'CLI.IMPORT_FAILED': ExitCode.FAILURE,
  'CLI.UNEXPECTED': ExitCode.FAILURE,
};

/** Whether this CLI knows an error code (a newer server may send others). */
export const isKnownCode = (code: string): code is ErrorCode | CliErrorCode => Object.hasOwn(EXIT_CODES, code);

/**
 * The exit code for an error code; a code this CLI does not know yet (a newer server) falls back on
 * the HTTP status.
 */
export function exitCodeFor(code: string | undefined, status?: number): ExitCode {
  if (code !== undefined && isKnownCode(code)) return EXIT_CODES[code];
  if (status === undefined) return ExitCode.FAILURE;
  if (status === 401 || status === 403) return ExitCode.AUTH;
  if (status === 404) return ExitCode.NOT_FOUND;
  if (status === 409 || status === 412) return ExitCode.CONFLICT;
  if (status >= 400 && status < 500) return ExitCode.USAGE;
  return ExitCode.FAILURE;
}
