import { describeError, type DomainError, type ErrorCode, type Lang } from '@telecrm/core';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from '@hono/zod-openapi';

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().meta({ description: 'Stable machine code, e.g. CUSTOMER.PHONE_TAKEN' }),
    detail: z.string(),
    errors: z
      .array(z.object({ field: z.string().nullable(), code: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'One entry per offending field' }),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
export type Problem = z.infer<typeof Problem>;

/** The one mapping from domain error codes to HTTP statuses. */
export function statusOf(code: ErrorCode): ContentfulStatusCode {
  switch (code) {
    case 'VALIDATION.FAILED':
    case 'VALIDATION.REQUIRED':
    case 'VALIDATION.TYPE':
    case 'VALIDATION.UNKNOWN_FIELD':
    case 'VALIDATION.TOO_LONG':
    case 'VALIDATION.FORMAT':
    case 'REQUEST.MALFORMED':
    case 'REQUEST.BAD_CURSOR':
    case 'PHONE.INVALID':
    case 'PHONE.DUPLICATE_IN_INPUT':
    case 'CUSTOMER.MERGE_SAME':
    case 'CUSTOMER.NO_PHONE':
    case 'FIELD.UNKNOWN':
    case 'FIELD.HIDDEN':
    case 'FIELD.OPTION_UNKNOWN':
    case 'PICKLIST.VALUE_UNKNOWN':
    case 'FILTER.INVALID':
    case 'FILTER.UNKNOWN_FIELD':
    case 'FILTER.OPERATOR_NOT_ALLOWED':
    case 'FILTER.BAD_VALUE':
    case 'DEPARTMENT.CYCLE':
    case 'ROLE.CYCLE':
    case 'IMPORT.FILE_EMPTY':
    case 'IMPORT.NO_DATA_ROWS':
    case 'IMPORT.FILE_ENCRYPTED':
    case 'IMPORT.NOT_A_WORKBOOK':
    case 'IMPORT.UNPACKED_TOO_LARGE':
    case 'IMPORT.FILE_UNREADABLE':
    case 'IMPORT.ENCODING_INVALID':
    case 'IMPORT.SHEET_NOT_FOUND':
    case 'IMPORT.NO_PHONE_COLUMN':
    case 'POOL.SELECTION_TOO_LARGE':
      return 400;
    case 'AUTH.UNAUTHENTICATED':
    case 'AUTH.INVALID_CREDENTIALS':
      return 401;
    case 'AUTH.FORBIDDEN':
    case 'AUTH.FIELD_READ_ONLY':
    case 'AUTH.USER_DISABLED':
    case 'VIEW.READ_ONLY':
    case 'POOL.CLAIM_NOT_ALLOWED':
    case 'POOL.NOT_MEMBER':
      return 403;
    case 'REQUEST.ROUTE_NOT_FOUND':
    case 'CUSTOMER.NOT_FOUND':
    case 'FIELD.NOT_FOUND':
    case 'PICKLIST.NOT_FOUND':
    case 'PICKLIST.VALUE_NOT_FOUND':
    case 'VIEW.NOT_FOUND':
    case 'USER.NOT_FOUND':
    case 'DEPARTMENT.NOT_FOUND':
    case 'ROLE.NOT_FOUND':
    case 'KEY.NOT_FOUND':
    case 'IMPORT.NOT_FOUND':
    case 'POOL.NOT_FOUND':
      return 404;
    case 'CUSTOMER.PHONE_TAKEN':
    case 'CUSTOMER.DELETED':
    case 'CUSTOMER.NOT_DELETED':
    case 'FIELD.KEY_TAKEN':
    case 'PICKLIST.VALUE_EXISTS':
    case 'USER.USERNAME_TAKEN':
    case 'IDEMPOTENCY.IN_PROGRESS':
    case 'IDEMPOTENCY.KEY_REUSED':
    case 'DEPARTMENT.NOT_EMPTY':
    case 'ROLE.IN_USE':
    case 'USER.SELF':
    case 'IMPORT.NOT_CANCELLABLE':
    case 'IMPORT.NOT_REVERTIBLE':
    case 'IMPORT.REVERT_CONFLICT':
    case 'POOL.WRONG_POOL':
    case 'POOL.SAME_OWNER':
    case 'POOL.HOLDING_LIMIT':
    case 'POOL.DAILY_LIMIT':
    case 'POOL.COOLDOWN':
    case 'POOL.PROTECTED':
    case 'POOL.EXEMPT':
    case 'POOL.DEFAULT_REQUIRED':
    case 'POOL.NOT_EMPTY':
    case 'POOL.NAME_TAKEN':
    case 'POOL.ALL_AT_LIMIT':
    case 'POOL.NO_ACTIVE_AGENT':
    case 'REFERENCE.CHANGED':
      return 409;
    case 'REQUEST.TOO_LARGE':
    case 'IMPORT.UPLOAD_TOO_LARGE':
      return 413;
    case 'IMPORT.XLS_UNSUPPORTED':
    case 'IMPORT.FORMAT_UNKNOWN':
      return 415;
    // Reasons of single rows in a failure report and of a job that stopped: never an answer to a
    // request on their own, but mapped like the conflicts they are.
    case 'IMPORT.INTERRUPTED':
    case 'IMPORT.DUPLICATE_IN_FILE':
    case 'IMPORT.DUPLICATE':
    case 'IMPORT.DUPLICATE_DELETED':
    case 'IMPORT.DUPLICATE_NOT_WRITABLE':
    case 'IMPORT.WRONG_NUMBER':
    case 'IMPORT.DO_NOT_CALL':
    case 'IMPORT.AMBIGUOUS':
      return 409;
    case 'AUTH.TOO_MANY_ATTEMPTS':
      return 429;
    case 'INTERNAL':
      return 500;
    default:
      return assertNever(code);
  }
}

function assertNever(value: never): never {
  throw new Error(`unmapped error code: ${String(value)}`);
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** The problem+json body of a domain error, its message in the caller's language. */
export function problemOf(error: DomainError, lang: Lang): Problem {
  const status = statusOf(error.code);
  const details = error.details ?? (error.field ? [error] : []);
  const errors = details.map((d) => ({ field: d.field ?? null, code: d.code, message: describeError(d, lang) }));
  const detail =
    error.details && errors.length
      ? `${describeError(error, lang)}: ${errors.map((e) => e.message).join('; ')}`
      : describeError(error, lang);
  return {
    type: `urn:crm:error:${error.code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code: error.code,
    detail,
    ...(errors.length ? { errors } : {}),
    ...(error.params ? { params: error.params } : {}),
  };
}

/** Thrown inside a transaction to roll it back with a domain error; caught at the edge. */
export class DomainFailure extends Error {
  constructor(readonly error: DomainError) {
    super(error.code);
  }
}
