// The only module that reads process.env: everything else receives a CliEnv.

/** The environment variables the CLI honours; empty values count as unset. */
export interface CliEnv {
  /** CRM_URL: the server when `--server` is not given. */
  url?: string | undefined;
  /** CRM_TOKEN: a login token or API key that overrides the stored one. */
  token?: string | undefined;
  /** CRM_DB: the database for `serve`, `db` and `demo` when `--db` is not given. */
  db?: string | undefined;
  /** LC_ALL, else LANG: the language when `--lang` is not given. */
  langHint?: string | undefined;
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): CliEnv {
  const get = (name: string): string | undefined => source[name]?.trim() || undefined;
  return { url: get('CRM_URL'), token: get('CRM_TOKEN'), db: get('CRM_DB'), langHint: get('LC_ALL') ?? get('LANG') };
}
