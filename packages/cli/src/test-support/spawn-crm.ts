// Runs the real `crm` binary as a child process, for the end-to-end tests; not part of the build.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CRM_BIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout as JSON lines. */
  json<T = unknown>(): T[];
}

/**
 * `crm ...args` with a clean environment: none of the caller's CRM_* settings or locale leak in;
 * `env` sets what the test wants (the server, the config home, the language).
 */
export function spawnCrm(args: readonly string[], env: Record<string, string>, input = ''): Promise<Run> {
  const childEnv: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(childEnv)) if (name.startsWith('CRM_') || name === 'LC_ALL') delete childEnv[name];
  Object.assign(childEnv, { NO_COLOR: '1' }, env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CRM_BIN, ...args], { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        json: <T,>() => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as T),
      }),
    );
    child.stdin.end(input);
  });
}
