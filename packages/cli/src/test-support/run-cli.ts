// Runs `crm` in-process against a fake server, for tests; not part of the build.
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach } from 'vitest';
import { runCli } from '../cli.js';
import { createConfigStore, type ConfigStore } from '../config/config.store.js';
import type { ApiModule, CliDeps } from '../context.js';
import type { CliEnv } from '../env.js';

export interface Seen {
  method: string;
  url: URL;
  headers: Headers;
  /** A JSON body, parsed. */
  body: unknown;
  /** A streamed body (an upload), read to the end. */
  bytes?: Buffer | undefined;
  /** What fetch was told about a streamed body. */
  duplex?: string | undefined;
}
export type Handler = (request: Seen) => Response | Promise<Response>;

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
export const noContent = () => new Response(null, { status: 204 });
export const problem = (status: number, code: string, detail: string, errors?: { field: string; code: string; message: string }[]) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'Error', status, code, detail, errors }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

export interface RunOptions {
  handler?: Handler;
  env?: CliEnv;
  /** stdout is a terminal. */
  tty?: boolean;
  /** What stdin holds; with `stdinTty`, each chunk is typed on a terminal. */
  stdin?: string | string[];
  stdinTty?: boolean;
  /** The API module `crm serve`, `db` and `demo` load; absent, loading it fails. */
  api?: Partial<ApiModule>;
  /** Replaces the recording fake server altogether (e.g. to fail the connection). */
  fetch?: typeof fetch;
  /** When the user presses Ctrl-C; by default at once. */
  untilStopped?: () => Promise<string>;
}

/** Reads a web stream to the end. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    chunks.push(Buffer.from(value));
  }
}

/** A temporary config directory per test, and `crm(argv)` that records requests and output. */
export function cliHarness() {
  let configDir: string;
  let config: ConfigStore;
  beforeEach(async () => {
    configDir = await mkdtemp(join(tmpdir(), 'crm-cli-'));
    config = createConfigStore(configDir);
  });
  afterEach(async () => {
    await rm(configDir, { recursive: true, force: true });
  });

  async function crm(argv: string[], options: RunOptions = {}) {
    const seen: Seen[] = [];
    let stdout = '';
    let stderr = '';
    const fetchStub = (async (input: string | URL | Request, init?: RequestInit) => {
      const streamed = init?.body instanceof ReadableStream ? init.body : undefined;
      const request: Seen = {
        method: init?.method ?? 'GET',
        url: new URL(String(input)),
        headers: new Headers(init?.headers),
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
        bytes: streamed ? await readAll(streamed) : undefined,
        duplex: (init as { duplex?: string } | undefined)?.duplex,
      };
      seen.push(request);
      if (!options.handler) throw new Error(`unexpected request ${request.method} ${request.url}`);
      return options.handler(request);
    }) as typeof fetch;
    const chunks = options.stdin === undefined ? [] : typeof options.stdin === 'string' ? [options.stdin] : options.stdin;
    const stdin = Object.assign(Readable.from(chunks), { isTTY: Boolean(options.stdinTty), setRawMode: () => undefined });
    const deps: CliDeps = {
      stdin,
      // An emitter, as Ink listens to a terminal for resizes while it draws a progress bar.
      stdout: Object.assign(new EventEmitter(), {
        write: (chunk: string) => ((stdout += chunk), true),
        isTTY: options.tty ?? false,
        columns: 160,
      }),
      stderr: { write: (chunk) => ((stderr += chunk), true) },
      env: options.env ?? {},
      config,
      fetch: options.fetch ?? fetchStub,
      loadApi: async () => {
        if (!options.api) throw new Error('no database in these tests');
        return options.api as ApiModule;
      },
      untilStopped: options.untilStopped ?? (async () => 'SIGTERM'),
      pollInterval: 0,
    };
    const code = await runCli(argv, deps);
    return { code, stdout, stderr, seen, lines: stdout.split('\n').filter(Boolean) };
  }

  const loggedIn = (server = 'http://127.0.0.1:3000') =>
    config.write({ server, token: 'stored-token', username: 'admin', expiresAt: '2030-01-01T00:00:00.000Z' });

  return { crm, loggedIn, config: () => config };
}

/** `METHOD /path?query {body}` of a request, for comparing calls at a glance. */
export const call = (request: Seen): string =>
  `${request.method} ${request.url.pathname}${request.url.search} ${JSON.stringify(request.body ?? null)}`;
