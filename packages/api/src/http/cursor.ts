import { err, ok, type DomainError, type Result } from '@telecrm/core';
import type { PageKey } from '../store/customer.repo.js';

interface CursorBody {
  /** The sort the cursor belongs to: a cursor from another sort would skip or repeat rows. */
  s: string;
  v: string | number | null;
  i: string;
}

/** Opaque keyset cursor: base64url of the sort key values and the id. */
export function encodeCursor(sortKey: string, key: PageKey): string {
  const body: CursorBody = { s: sortKey, v: key.value, i: key.id };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

export function decodeCursor(cursor: string, sortKey: string): Result<PageKey, DomainError> {
  const bad = err<DomainError>({ code: 'REQUEST.BAD_CURSOR', field: 'cursor' });
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) return bad;
  try {
    const body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorBody>;
    const valueOk = body.v === null || typeof body.v === 'string' || (typeof body.v === 'number' && Number.isFinite(body.v));
    if (body.s !== sortKey || !valueOk || typeof body.i !== 'string' || body.i.length === 0) return bad;
    return ok({ value: body.v ?? null, id: body.i });
  } catch {
    return bad;
  }
}
