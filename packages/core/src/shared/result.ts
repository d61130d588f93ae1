/** An expected outcome: either a value or a typed domain error. */
export type Result<T, E = DomainError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });

/**
 * A failure the caller can act on. `code` is stable and machine-readable; the other facts are what a
 * message needs (the field, the value, the reason).
 */
export interface DomainError {
  code: ErrorCode;
  /** Dotted path of the offending input field, e.g. `phones.0.number` or `custom.budget`. */
  field?: string;
  /** Extra facts for the message, e.g. `{ value: '123', holderId: '...' }`. */
  params?: Record<string, unknown>;
  /** Several field-level problems found in one input. */
  details?: DomainError[];
}

export const ERROR_CODES = [
  'VALIDATION.FAILED',
  'VALIDATION.REQUIRED',
  'VALIDATION.TYPE',
  'VALIDATION.UNKNOWN_FIELD',
  'VALIDATION.TOO_LONG',
  'VALIDATION.FORMAT',
  'REQUEST.MALFORMED',
  'REQUEST.TOO_LARGE',
  'REQUEST.ROUTE_NOT_FOUND',
  'REQUEST.BAD_CURSOR',
  'IDEMPOTENCY.IN_PROGRESS',
  'IDEMPOTENCY.KEY_REUSED',
  'AUTH.UNAUTHENTICATED',
  'AUTH.INVALID_CREDENTIALS',
  'AUTH.USER_DISABLED',
  'AUTH.FORBIDDEN',
  'AUTH.FIELD_READ_ONLY',
  'AUTH.TOO_MANY_ATTEMPTS',
  'PHONE.INVALID',
  'PHONE.DUPLICATE_IN_INPUT',
  'CUSTOMER.NOT_FOUND',
  'CUSTOMER.PHONE_TAKEN',
  'CUSTOMER.DELETED',
  'CUSTOMER.NOT_DELETED',
  'CUSTOMER.MERGE_SAME',
  'CUSTOMER.NO_PHONE',
  'FIELD.UNKNOWN',
  'FIELD.HIDDEN',
  'FIELD.KEY_TAKEN',
  'FIELD.NOT_FOUND',
  'FIELD.OPTION_UNKNOWN',
  'PICKLIST.NOT_FOUND',
  'PICKLIST.VALUE_UNKNOWN',
  'PICKLIST.VALUE_EXISTS',
  'PICKLIST.VALUE_NOT_FOUND',
  'FILTER.INVALID',
  'FILTER.UNKNOWN_FIELD',
  'FILTER.OPERATOR_NOT_ALLOWED',
  'FILTER.BAD_VALUE',
  'VIEW.NOT_FOUND',
  'VIEW.READ_ONLY',
  'USER.NOT_FOUND',
  'USER.USERNAME_TAKEN',
  'DEPARTMENT.NOT_FOUND',
  'DEPARTMENT.CYCLE',
  'DEPARTMENT.NOT_EMPTY',
  'ROLE.NOT_FOUND',
  'ROLE.CYCLE',
  'ROLE.IN_USE',
  'USER.SELF',
  'KEY.NOT_FOUND',
  'IMPORT.NOT_FOUND',
  'IMPORT.FILE_EMPTY',
  'IMPORT.NO_DATA_ROWS',
  'IMPORT.FILE_ENCRYPTED',
  'IMPORT.NOT_A_WORKBOOK',
  'IMPORT.UNPACKED_TOO_LARGE',
  'IMPORT.XLS_UNSUPPORTED',
  'IMPORT.FORMAT_UNKNOWN',
  'IMPORT.FILE_UNREADABLE',
  'IMPORT.ENCODING_INVALID',
  'IMPORT.SHEET_NOT_FOUND',
  'IMPORT.NO_PHONE_COLUMN',
  'IMPORT.UPLOAD_TOO_LARGE',
  'IMPORT.NOT_CANCELLABLE',
  'IMPORT.NOT_REVERTIBLE',
  'IMPORT.REVERT_CONFLICT',
  'IMPORT.INTERRUPTED',
  // Why one row of a file was not imported (the failure report's reasons).
  'IMPORT.DUPLICATE_IN_FILE',
  'IMPORT.DUPLICATE',
  'IMPORT.DUPLICATE_DELETED',
  'IMPORT.DUPLICATE_NOT_WRITABLE',
  'IMPORT.WRONG_NUMBER',
  'IMPORT.DO_NOT_CALL',
  'IMPORT.AMBIGUOUS',
  'POOL.WRONG_POOL',
  'POOL.SAME_OWNER',
  'POOL.HOLDING_LIMIT',
  'POOL.DAILY_LIMIT',
  'POOL.COOLDOWN',
  'POOL.CLAIM_NOT_ALLOWED',
  'POOL.PROTECTED',
  'POOL.EXEMPT',
  'POOL.NOT_FOUND',
  'POOL.NOT_MEMBER',
  'POOL.DEFAULT_REQUIRED',
  'POOL.NOT_EMPTY',
  'POOL.NAME_TAKEN',
  'POOL.ALL_AT_LIMIT',
  'POOL.NO_ACTIVE_AGENT',
  'POOL.SELECTION_TOO_LARGE',
  'REFERENCE.CHANGED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const domainError = (
  code: ErrorCode,
  facts: Omit<DomainError, 'code'> = {},
): DomainError => ({ code, ...facts });

/** Collects several field errors into one VALIDATION.FAILED, or passes a single one through. */
export const combineErrors = (errors: DomainError[]): DomainError =>
  errors.length === 1 ? errors[0]! : { code: 'VALIDATION.FAILED', details: errors };
