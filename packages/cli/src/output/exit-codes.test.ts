import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@telecrm/core';
import { CLI_ERROR_CODES, EXIT_CODES, ExitCode, exitCodeFor } from './exit-codes.js';

describe('exit codes', () => {
  it('maps every core error code and every CLI error code', () => {
    for (const code of [...ERROR_CODES, ...CLI_ERROR_CODES]) expect(EXIT_CODES[code], code).toBeTypeOf('number');
  });

  it.each([
    ['VALIDATION.FAILED', ExitCode.USAGE],
    ['PHONE.INVALID', ExitCode.USAGE],
    ['FILTER.UNKNOWN_FIELD', ExitCode.USAGE],
    ['AUTH.UNAUTHENTICATED', ExitCode.AUTH],
    ['AUTH.FORBIDDEN', ExitCode.AUTH],
    ['CUSTOMER.NOT_FOUND', ExitCode.NOT_FOUND],
    ['VIEW.NOT_FOUND', ExitCode.NOT_FOUND],
    ['CUSTOMER.PHONE_TAKEN', ExitCode.CONFLICT],
    ['CUSTOMER.NOT_DELETED', ExitCode.CONFLICT],
    ['INTERNAL', ExitCode.FAILURE],
    ['CLI.UNREACHABLE', ExitCode.UNREACHABLE],
    ['CLI.USAGE', ExitCode.USAGE],
  ] as const)('%s exits with %i', (code, exit) => {
    expect(exitCodeFor(code)).toBe(exit);
  });

  it('falls back on the HTTP status for codes it does not know (a newer server)', () => {
    expect(exitCodeFor('TASK.EXPIRED', 409)).toBe(ExitCode.CONFLICT);
    expect(exitCodeFor('TASK.NOT_FOUND', 404)).toBe(ExitCode.NOT_FOUND);
    expect(exitCodeFor(undefined, 401)).toBe(ExitCode.AUTH);
    expect(exitCodeFor(undefined, 403)).toBe(ExitCode.AUTH);
    expect(exitCodeFor(undefined, 422)).toBe(ExitCode.USAGE);
    expect(exitCodeFor(undefined, 502)).toBe(ExitCode.FAILURE);
    expect(exitCodeFor(undefined)).toBe(ExitCode.FAILURE);
  });

  it('never lets a prototype key pass for a code', () => {
    expect(exitCodeFor('toString', 500)).toBe(ExitCode.FAILURE);
  });
});
