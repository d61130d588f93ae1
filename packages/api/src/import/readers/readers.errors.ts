import type { DomainError } from '@telecrm/core';

/** IMPORT.FILE_UNREADABLE with the reason a person can act on (or at least quote to support). */
export const unreadable = (cause: unknown): DomainError => ({
  code: 'IMPORT.FILE_UNREADABLE',
  params: { reason: cause instanceof Error ? cause.message : String(cause) },
});
