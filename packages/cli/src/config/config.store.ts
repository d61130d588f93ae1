import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import envPaths from 'env-paths';

/** What `crm login` keeps between runs. */
export interface StoredConfig {
  server: string;
  token: string;
  username: string;
  expiresAt: string;
}

export interface ConfigStore {
  /** The config file, e.g. `~/.config/crm/config.json`. */
  readonly file: string;
  /** The stored login, or null when there is none (or the file is unreadable). */
  read(): Promise<StoredConfig | null>;
  /** Replaces the stored login; the file is readable by its owner only. */
  write(config: StoredConfig): Promise<void>;
  /** Forgets the stored login. */
  clear(): Promise<void>;
}

/** The user's config directory for `crm` (XDG_CONFIG_HOME on Linux, ~/Library/Preferences on macOS...). */
export const defaultConfigDir = (): string => envPaths('crm', { suffix: '' }).config;

export function createConfigStore(dir: string = defaultConfigDir()): ConfigStore {
  const file = join(dir, 'config.json');
  return {
    file,
    async read() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      return parseConfig(text);
    },
    async write(config) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700);
      // A token is a password: write to a private temp file and rename, so it is never readable by others,
      // not even for a moment, and a crash never leaves half a file.
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
      await chmod(temp, 0o600); // the mode above is masked by the umask
      await rename(temp, file);
    },
    async clear() {
      await rm(file, { force: true });
    },
  };
}

/** A stored config, or null when the text is not one (then `crm login` simply writes a new one). */
export function parseConfig(text: string): StoredConfig | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const { server, token, username, expiresAt } = value as Record<string, unknown>;
  if (typeof server !== 'string' || typeof token !== 'string' || typeof username !== 'string') return null;
  return { server, token, username, expiresAt: typeof expiresAt === 'string' ? expiresAt : '' };
}
