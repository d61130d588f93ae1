import type { DomainError } from '@telecrm/core';
import type { ZodError } from 'zod';

/** Turns zod issues into field errors: the path names the field, the code says what is wrong. */
export function zodToDomainError(error: ZodError, target: string): DomainError {
  const prefix = target === 'json' || target === 'form' ? '' : `${target}.`;
  const details: DomainError[] = [];
  for (const issue of error.issues) {
    const path = prefix + issue.path.map(String).join('.');
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) details.push({ code: 'VALIDATION.UNKNOWN_FIELD', field: path ? `${path}.${key}`.replace(/^\./, '') : key });
        break;
      case 'invalid_type':
        details.push(
          // zod v4 leaves the input out of issues; its message says what it received.
          /received undefined$/.test(issue.message)
            ? { code: 'VALIDATION.REQUIRED', field: path }
            : { code: 'VALIDATION.TYPE', field: path, params: { expected: issue.expected } },
        );
        break;
      case 'too_big':
        details.push({ code: 'VALIDATION.TOO_LONG', field: path, params: { max: Number(issue.maximum) } });
        break;
      default:
        details.push({ code: 'VALIDATION.FORMAT', field: path, params: { reason: issue.message } });
    }
  }
  return { code: 'VALIDATION.FAILED', details };
}
