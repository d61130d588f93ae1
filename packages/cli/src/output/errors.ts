import type { ErrorCode, Lang } from '@telecrm/core';
import { ApiError, BadResponseError, ConnectionError } from '../client/api-client.js';
import { msg } from '../i18n/cli.messages.js';
import { ExitCode, exitCodeFor, type CliErrorCode } from './exit-codes.js';

/** A failure found by the CLI itself; the message is already in the user's language. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: CliErrorCode | ErrorCode,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

export interface Failure {
  exitCode: ExitCode;
  /** What to print on stderr, first line first. */
  lines: string[];
}

/** Turns anything a command threw into the lines for stderr and the exit code, via the one table. */
export function describeFailure(error: unknown, lang: Lang): Failure {
  if (error instanceof CliError) {
    return { exitCode: exitCodeFor(error.code), lines: [error.message, ...error.details.map(bullet)] };
  }
  if (error instanceof ApiError) {
    const { problem } = error;
    const head = problem.detail ?? msg(lang, 'error.http', { status: problem.status, title: problem.title ?? '' }).trim();
    const lines = [head];
    for (const item of problem.errors ?? []) {
      // The detail of a one-field problem usually is that field's message: say it once.
      if (item.message === head) continue;
      const named = !item.field || item.message.includes(item.field);
      lines.push(bullet(named ? item.message : `${item.field}: ${item.message}`));
    }
    if (problem.code === 'AUTH.UNAUTHENTICATED') lines.push(msg(lang, 'error.loginAgain'));
    return { exitCode: exitCodeFor(problem.code, problem.status), lines };
  }
  if (error instanceof ConnectionError) {
    return {
      exitCode: exitCodeFor('CLI.UNREACHABLE'),
      lines: [msg(lang, 'error.unreachable', { url: error.serverUrl, reason: error.reason })],
    };
  }
  if (error instanceof BadResponseError) {
    return { exitCode: exitCodeFor('CLI.BAD_RESPONSE'), lines: [msg(lang, 'error.badResponse', { status: error.status })] };
  }
  const reason = error instanceof Error ? error.message : String(error);
  return { exitCode: exitCodeFor('CLI.UNEXPECTED'), lines: [msg(lang, 'error.unexpected', { reason })] };
}

const bullet = (line: string): string => `  - ${line}`;
