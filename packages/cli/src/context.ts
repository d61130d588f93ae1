import type { Lang } from '@telecrm/core';
import { ApiClient } from './client/api-client.js';
import type { ConfigStore, StoredConfig } from './config/config.store.js';
import type { CliEnv } from './env.js';
import { msg } from './i18n/cli.messages.js';
import { CliError } from './output/errors.js';
import { createPrinter, type OutputStream, type Printer } from './output/printer.js';

export type ApiModule = typeof import('@telecrm/api');

export interface InputStream extends NodeJS.ReadableStream {
  isTTY?: boolean | undefined;
  setRawMode?(mode: boolean): unknown;
}

export interface ErrorStream {
  write(chunk: string): boolean;
  isTTY?: boolean | undefined;
}

/** Everything a command touches outside itself, passed in so tests can replace it. */
export interface CliDeps {
  stdin: InputStream;
  stdout: OutputStream;
  stderr: ErrorStream;
  env: CliEnv;
  config: ConfigStore;
  fetch?: typeof fetch;
  /** The API package (server, store, demo data), loaded only by the commands that open a database. */
  loadApi(): Promise<ApiModule>;
  /**
   * Resolves with the signal's name when the process is asked to stop. Once `signal` aborts, it stops
   * listening (and never resolves), so that a later Ctrl-C ends the process as usual.
   */
  untilStopped(signal?: AbortSignal): Promise<string>;
  /** Milliseconds between two looks at a running import (default 300); tests make it 0. */
  pollInterval?: number;
}

/** The options every command accepts. */
export interface GlobalOptions {
  server?: string | undefined;
  json?: boolean | undefined;
  lang?: Lang | undefined;
}

export const DEFAULT_SERVER = 'http://127.0.0.1:3000';

/** `http://host:3000/` -> `http://host:3000`; anything but an http(s) URL is a usage error. */
export function normaliseServer(text: string, lang: Lang): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new CliError('CLI.USAGE', msg(lang, 'error.badServerUrl', { value: text }));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError('CLI.USAGE', msg(lang, 'error.badServerUrl', { value: text }));
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** What one command run works with: the language, the printer, the server and its token. */
export class CommandContext {
  readonly printer: Printer;
  private stored: Promise<StoredConfig | null> | undefined;

  constructor(
    readonly deps: CliDeps,
    readonly lang: Lang,
    readonly options: GlobalOptions,
  ) {
    // Machine output when asked, or when a program (not a person) reads stdout.
    this.printer = createPrinter(deps.stdout, Boolean(options.json) || !deps.stdout.isTTY);
  }

  storedConfig(): Promise<StoredConfig | null> {
    this.stored ??= this.deps.config.read();
    return this.stored;
  }

  /** `--server`, else CRM_URL, else the server of the stored login, else the local default. */
  async server(): Promise<string> {
    const chosen = this.options.server ?? this.deps.env.url ?? (await this.storedConfig())?.server ?? DEFAULT_SERVER;
    return normaliseServer(chosen, this.lang);
  }

  /**
   * CRM_TOKEN, else the stored token, but only for the server it was issued by: a token never goes
   * to another server because `--server` pointed elsewhere.
   */
  async token(): Promise<string | undefined> {
    if (this.deps.env.token) return this.deps.env.token;
    const stored = await this.storedConfig();
    if (!stored) return undefined;
    return normaliseServer(stored.server, this.lang) === (await this.server()) ? stored.token : undefined;
  }

  /** A client of the chosen server; with `auth` (the default), fails early when there is no token. */
  async client(options: { auth?: boolean } = {}): Promise<ApiClient> {
    const server = await this.server();
    const token = options.auth === false ? undefined : await this.token();
    if (options.auth !== false && !token) {
      throw new CliError('AUTH.UNAUTHENTICATED', msg(this.lang, 'error.notLoggedIn', { server }));
    }
    return new ApiClient({ server, token, lang: this.lang, fetch: this.deps.fetch });
  }

  /** The database URL: `--db`, else CRM_DB, else the API's default (./data/crm.sqlite). */
  database(flag: string | undefined, api: ApiModule): string {
    return flag ?? this.deps.env.db ?? api.defaultDatabaseUrl();
  }
}
