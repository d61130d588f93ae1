import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConfigStore, defaultConfigDir, parseConfig } from './config.store.js';

const login = { server: 'http://127.0.0.1:3000', token: 'tok-1', username: 'admin', expiresAt: '2030-01-01T00:00:00.000Z' };
const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('config store', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'crm-config-'));
    vi.stubEnv('XDG_CONFIG_HOME', home);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(home, { recursive: true, force: true });
  });

  it('lives in $XDG_CONFIG_HOME/crm/config.json', () => {
    expect(defaultConfigDir()).toBe(join(home, 'crm'));
    expect(createConfigStore().file).toBe(join(home, 'crm', 'config.json'));
  });

  it('reads nothing before the first login', async () => {
    expect(await createConfigStore().read()).toBeNull();
  });

  it('writes the login readable by its owner only (file 0600, directory 0700) and reads it back', async () => {
    const store = createConfigStore();
    await store.write(login);
    expect(await mode(store.file)).toBe(0o600);
    expect(await mode(join(home, 'crm'))).toBe(0o700);
    expect(await store.read()).toEqual(login);
    expect(JSON.parse(await readFile(store.file, 'utf8'))).toEqual(login);
  });

  it('tightens a file that was too open when it writes again', async () => {
    const store = createConfigStore();
    await store.write(login);
    await chmod(store.file, 0o644);
    await store.write({ ...login, token: 'tok-2' });
    expect(await mode(store.file)).toBe(0o600);
    expect((await store.read())?.token).toBe('tok-2');
  });

  it('forgets the login, and forgetting twice is fine', async () => {
    const store = createConfigStore();
    await store.write(login);
    await store.clear();
    await store.clear();
    expect(await store.read()).toBeNull();
  });

  it('treats a damaged file as no login', async () => {
    const store = createConfigStore();
    await store.write(login);
    await writeFile(store.file, '{ not json');
    expect(await store.read()).toBeNull();
    expect(parseConfig('{"server":1}')).toBeNull();
    expect(parseConfig('null')).toBeNull();
  });
});
