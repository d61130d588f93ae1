// The real `crm` binary against a real server on a temporary SQLite file. Needs `npx tsc -b packages/cli`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '@telecrm/api';
import type { ApiKey, ApiKeyCreated, AuditEntry, Customer, Department, LoginEntry, Role, User, View } from '@telecrm/core';
import { ExitCode } from './output/exit-codes.js';
import { CRM_BIN as BIN, spawnCrm, type Run } from './test-support/spawn-crm.js';

const ADMIN_PASSWORD = 'secret-pass-1';

let dir: string;
let server: { url: string; close(): Promise<void> };
/** The config home of the logged-in admin; tests that need another state use their own. */
let adminHome: string;

/** Runs `crm ...args` as a child process, talking to the test server unless told otherwise. */
const crm = (args: string[], options: { home?: string; input?: string; env?: Record<string, string> } = {}): Promise<Run> =>
  spawnCrm(args, { CRM_URL: server.url, XDG_CONFIG_HOME: options.home ?? adminHome, LANG: 'en_US.UTF-8', ...options.env }, options.input);

const newHome = () => mkdtemp(join(dir, 'home-'));

let phoneSeq = 0;
/** A valid, unused mobile number for each customer a test creates. */
const nextPhone = () => `1390013${String(8000 + phoneSeq++).padStart(4, '0')}`;

async function addCustomer(name: string, ...extra: string[]): Promise<Customer> {
  const run = await crm(['customers', 'add', '--name', name, '--phone', nextPhone(), ...extra, '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.json<Customer>()[0]!;
}

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first with npx tsc -b packages/cli`);
  dir = await mkdtemp(join(tmpdir(), 'crm-e2e-'));
  server = await startServer({ port: 0, host: '127.0.0.1', db: join(dir, 'crm.sqlite'), adminPassword: ADMIN_PASSWORD });
  adminHome = await newHome();
  const login = await crm(['login', '-u', 'admin'], { input: `${ADMIN_PASSWORD}\n` });
  expect(login.stderr).toBe('');
  expect(login.code).toBe(0);
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('crm login', () => {
  it('stores the token in a file only its owner can read, and whoami uses it', async () => {
    const home = await newHome();
    const login = await crm(['login', '-u', 'admin', '-p', ADMIN_PASSWORD], { home });
    expect(login.code).toBe(0);
    const file = join(home, 'crm', 'config.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'crm'))).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(await readFile(file, 'utf8'));
    expect(stored).toMatchObject({ server: server.url, username: 'admin' });
    expect(stored.token).toEqual(expect.any(String));
    expect(login.stdout).not.toContain(stored.token);

    const me = await crm(['whoami'], { home });
    expect(me.code).toBe(0);
    expect(me.json<{ username: string }>()[0]!.username).toBe('admin');

    const logout = await crm(['logout'], { home });
    expect(logout.code).toBe(0);
    expect(existsSync(file)).toBe(false);
    // The token is revoked on the server too.
    const again = await crm(['whoami'], { home, env: { CRM_TOKEN: stored.token } });
    expect(again.code).toBe(ExitCode.AUTH);
  });

  it('refuses a wrong password with the auth exit code', async () => {
    const run = await crm(['login', '-u', 'admin', '-p', 'not-the-password'], { home: await newHome() });
    expect(run.code).toBe(ExitCode.AUTH);
    expect(run.stderr).toMatch(/^error: /);
  });

  it('exits with the auth code when not logged in, in either language', async () => {
    const home = await newHome();
    const en = await crm(['customers', 'list'], { home });
    expect(en.code).toBe(ExitCode.AUTH);
    expect(en.stderr).toContain('crm login');
    const zh = await crm(['customers', 'list', '--lang', 'zh-CN'], { home });
    expect(zh.code).toBe(ExitCode.AUTH);
    expect(zh.stderr).toContain('尚未登录');
    const bogus = await crm(['customers', 'list'], { home, env: { CRM_TOKEN: 'not-a-token' } });
    expect(bogus.code).toBe(ExitCode.AUTH);
  });
});

describe('crm customers', () => {
  it('adds, lists (NDJSON), shows and edits a customer', async () => {
    const created = await addCustomer('E2E Zhang', '--company', 'Stars Ltd', '--wechat', 'zhang-wx');
    expect(created.phones[0]!.number).toMatch(/^\+86139/);
    expect(created.company).toBe('Stars Ltd');

    const list = await crm(['customers', 'list', '--q', 'E2E Zhang']);
    expect(list.code).toBe(0);
    const items = list.json<Customer>();
    expect(items.map((c) => c.id)).toContain(created.id);

    const show = await crm(['customers', 'show', created.id]);
    expect(show.stdout.trim().split('\n')).toHaveLength(1);
    expect(show.json<Customer>()[0]!.name).toBe('E2E Zhang');

    const edit = await crm(['customers', 'edit', created.id, '--company', 'Moon Ltd', '--clear', 'wechat']);
    expect(edit.code).toBe(0);
    const edited = edit.json<Customer>()[0]!;
    expect(edited.company).toBe('Moon Ltd');
    expect(edited.wechat).toBeNull();
  });

  it('follows the pages with --all', async () => {
    for (const n of [1, 2, 3]) await addCustomer(`E2E Paged ${n}`);
    const one = await crm(['customers', 'list', '--q', 'E2E Paged', '--limit', '1']);
    expect(one.json()).toHaveLength(1);
    const all = await crm(['customers', 'list', '--q', 'E2E Paged', '--limit', '1', '--all', '--sort', 'name:asc']);
    expect(all.json<Customer>().map((c) => c.name)).toEqual(['E2E Paged 1', 'E2E Paged 2', 'E2E Paged 3']);
  });

  it('moves a customer to the recycle bin and back', async () => {
    const customer = await addCustomer('E2E Bin');
    const rm1 = await crm(['customers', 'rm', customer.id]);
    expect(rm1.code).toBe(0);
    expect(rm1.json<Customer>()[0]!.deletedAt).not.toBeNull();
    const bin = await crm(['customers', 'list', '--deleted', '--q', 'E2E Bin']);
    expect(bin.json<Customer>().map((c) => c.id)).toContain(customer.id);
    const restore = await crm(['customers', 'restore', customer.id]);
    expect(restore.code).toBe(0);
    expect(restore.json<Customer>()[0]!.deletedAt).toBeNull();
    const twice = await crm(['customers', 'restore', customer.id]);
    expect(twice.code).toBe(ExitCode.CONFLICT);
  });

  it('merges two customers and purges the merged one', async () => {
    const survivor = await addCustomer('E2E Survivor');
    const merged = await addCustomer('E2E Merged');
    const merge = await crm(['customers', 'merge', survivor.id, merged.id]);
    expect(merge.stderr).toBe('');
    expect(merge.code).toBe(0);
    const result = merge.json<Customer>()[0]!;
    expect(result.id).toBe(survivor.id);
    expect(result.phones.map((p) => p.number)).toEqual(expect.arrayContaining([...survivor.phones, ...merged.phones].map((p) => p.number)));

    const purge = await crm(['customers', 'purge', merged.id]);
    expect(purge.code).toBe(0);
    const gone = await crm(['customers', 'show', merged.id]);
    expect(gone.code).toBe(ExitCode.NOT_FOUND);
    expect(gone.stderr).toMatch(/^error: /);
  });

  it('marks a customer as focus and unmarks it', async () => {
    const customer = await addCustomer('E2E Focus');
    const on = await crm(['customers', 'focus', customer.id, '--colour', 'blue']);
    expect(on.json<Customer>()[0]!.focus).toEqual({ colour: 'blue' });
    const off = await crm(['customers', 'focus', customer.id, '--off']);
    expect(off.json<Customer>()[0]!.focus).toBeNull();
  });

  it('fails on an invalid phone, naming the field, in English and in Chinese', async () => {
    const en = await crm(['customers', 'add', '--name', 'E2E Bad', '--phone', '123']);
    expect(en.code).toBe(ExitCode.USAGE);
    expect(en.stdout).toBe('');
    expect(en.stderr).toContain('phones.0.number');
    const zh = await crm(['customers', 'add', '--name', 'E2E Bad', '--phone', '123', '--lang', 'zh-CN']);
    expect(zh.code).toBe(ExitCode.USAGE);
    expect(zh.stderr).toContain('phones.0.number');
    expect(zh.stderr).toMatch(/[\u4e00-\u9fff]/);
    expect(zh.stderr).toMatch(/^错误：/);
  });

  it('reports a taken phone number as a conflict', async () => {
    const customer = await addCustomer('E2E Holder');
    const run = await crm(['customers', 'add', '--name', 'E2E Copy', '--phone', customer.phones[0]!.number]);
    expect(run.code).toBe(ExitCode.CONFLICT);
    expect(run.stderr).toContain(customer.id);
  });
});

describe('crm views', () => {
  it('saves a view and lists it', async () => {
    const add = await crm([
      'views',
      'add',
      '--name',
      'E2E hot',
      '--filter',
      '{"field":"hot","op":"eq","value":true}',
      '--sort',
      'updatedAt:desc',
      '--columns',
      'name,phones',
    ]);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const view = add.json<View>()[0]!;
    expect(view).toMatchObject({ name: 'E2E hot', filter: { field: 'hot', op: 'eq', value: true }, columns: ['name', 'phones'] });

    const list = await crm(['views', 'list']);
    expect(list.json<View>().map((v) => v.id)).toContain(view.id);

    const used = await crm(['customers', 'list', '--view', view.id]);
    expect(used.code).toBe(0);
  });
});

describe('crm departments and users', () => {
  type UserDetail = User & { quotaCalls: number | null; quotaMinutes: number | null };

  it('builds a department tree, renames and moves a department', async () => {
    const add = await crm(['departments', 'add', '--name', 'E2E Sales']);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const sales = add.json<Department>()[0]!;
    const east = (await crm(['departments', 'add', '--name', 'E2E East', '--parent', sales.id])).json<Department>()[0]!;
    expect(east.parentId).toBe(sales.id);

    const list = await crm(['departments', 'list']);
    const ids = list.json<Department>().map((d) => d.id);
    // Tree order: a parent before its children.
    expect(ids.indexOf(sales.id)).toBeLessThan(ids.indexOf(east.id));

    const renamed = await crm(['departments', 'rename', east.id, 'E2E East Coast']);
    expect(renamed.json<Department>()[0]!.name).toBe('E2E East Coast');
    const top = await crm(['departments', 'move', east.id, '--root']);
    expect(top.json<Department>()[0]!.parentId).toBeNull();
    const cycle = await crm(['departments', 'move', sales.id, '--parent', sales.id]);
    expect(cycle.code).not.toBe(0);
    expect(cycle.stderr).toMatch(/^error: /);

    const rm1 = await crm(['departments', 'rm', east.id]);
    expect(rm1.code).toBe(0);
    expect((await crm(['departments', 'list'])).json<Department>().map((d) => d.id)).not.toContain(east.id);
  });

  it('adds a user, edits, disables and enables them, and changes passwords', async () => {
    const dept = (await crm(['departments', 'add', '--name', 'E2E Team'])).json<Department>()[0]!;
    const add = await crm(['users', 'add', '--username', 'e2e-li', '--name', 'E2E Li', '--department', dept.id], { input: 'first-pass-1\n' });
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const li = add.json<User>()[0]!;
    expect(li).toMatchObject({ username: 'e2e-li', displayName: 'E2E Li', departmentId: dept.id, isAdmin: false, status: 'active' });

    expect((await crm(['users', 'list'])).json<User>().map((u) => u.username)).toContain('e2e-li');
    const taken = await crm(['users', 'add', '--username', 'e2e-li', '--name', 'Again', '--password', 'first-pass-1']);
    expect(taken.code).toBe(ExitCode.CONFLICT);

    const edit = await crm(['users', 'edit', li.id, '--name', 'E2E Li Si', '--quota-calls', '30']);
    expect(edit.stderr).toBe('');
    expect(edit.json<UserDetail>()[0]).toMatchObject({ displayName: 'E2E Li Si', quotaCalls: 30, quotaMinutes: null });
    expect((await crm(['users', 'show', li.id])).json<UserDetail>()[0]!.quotaCalls).toBe(30);

    const home = await newHome();
    expect((await crm(['users', 'disable', li.id])).json<User>()[0]!.status).toBe('disabled');
    expect((await crm(['login', '-u', 'e2e-li', '-p', 'first-pass-1'], { home })).code).toBe(ExitCode.AUTH);
    expect((await crm(['users', 'enable', li.id])).code).toBe(0);
    expect((await crm(['login', '-u', 'e2e-li', '-p', 'first-pass-1'], { home })).code).toBe(0);

    // Their own password, with the current one first on stdin.
    const own = await crm(['users', 'passwd'], { home, input: 'first-pass-1\nsecond-pass-2\n' });
    expect(own.stderr).toBe('');
    expect(own.code).toBe(0);
    const wrong = await crm(['users', 'passwd', '--current', 'not-it', '--password', 'third-pass-3'], { home });
    expect(wrong.code).toBe(ExitCode.AUTH);
    expect((await crm(['login', '-u', 'e2e-li', '-p', 'second-pass-2'], { home: await newHome() })).code).toBe(0);
    // An admin sets it without the current one.
    expect((await crm(['users', 'passwd', li.id, '--password', 'third-pass-3'])).code).toBe(0);
    expect((await crm(['login', '-u', 'e2e-li', '-p', 'third-pass-3'], { home: await newHome() })).code).toBe(0);
  });

  it('keeps a department with users, and deletes a user by handing their customers over', async () => {
    const dept = (await crm(['departments', 'add', '--name', 'E2E Busy'])).json<Department>()[0]!;
    const bo = (await crm(['users', 'add', '--username', 'e2e-bo', '--name', 'E2E Bo', '--department', dept.id, '--password', 'bo-pass-123'])).json<User>()[0]!;
    const busy = await crm(['departments', 'rm', dept.id]);
    expect(busy.code).toBe(ExitCode.CONFLICT);

    const me = (await crm(['whoami'])).json<User>()[0]!;
    const self = await crm(['users', 'rm', me.id, '--hand-over-to', bo.id]);
    expect(self.code).toBe(ExitCode.CONFLICT);
    const rm1 = await crm(['users', 'rm', bo.id, '--hand-over-to', me.id]);
    expect(rm1.stderr).toBe('');
    expect(rm1.code).toBe(0);
    expect((await crm(['users', 'show', bo.id])).code).toBe(ExitCode.NOT_FOUND);
    expect((await crm(['departments', 'rm', dept.id])).code).toBe(0);
  });
});

describe('crm roles, keys, audit and logins', () => {
  it('adds a role under another, edits its grants and deletes it', async () => {
    const roles = (await crm(['roles', 'list'])).json<Role>();
    const parent = roles.find((r) => r.parentId === null)!;
    expect(parent).toBeDefined();
    const add = await crm(['roles', 'add', '--name', 'E2E Lead', '--parent', parent.id, '--scope', 'department', '--grant', 'customers.view,customers.edit']);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const role = add.json<Role>()[0]!;
    expect(role).toMatchObject({ name: 'E2E Lead', parentId: parent.id, dataScope: 'department', permissions: ['customers.view', 'customers.edit'] });

    const edit = await crm(['roles', 'edit', role.id, '--grant', 'customers.export', '--revoke', 'customers.edit', '--field', 'customer.phones=read']);
    expect(edit.stderr).toBe('');
    const edited = edit.json<Role>()[0]!;
    expect(edited.permissions).toEqual(['customers.view', 'customers.export']);
    expect(edited.fieldPermissions).toEqual({ customer: { phones: 'read' } });
    expect((await crm(['roles', 'show', role.id])).json<Role>()[0]!.permissions).toEqual(edited.permissions);

    expect((await crm(['roles', 'rm', role.id])).code).toBe(0);
    expect((await crm(['roles', 'show', role.id])).code).toBe(ExitCode.NOT_FOUND);
  });

  it('creates an API key that works as CRM_TOKEN until it is revoked', async () => {
    const add = await crm(['keys', 'add', '--name', 'E2E script', '--grant', 'customers.view']);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const key = add.json<ApiKeyCreated>()[0]!;
    expect(key.secret).toEqual(expect.any(String));
    expect((await crm(['keys', 'list'])).json<ApiKey>().map((k) => k.id)).toContain(key.id);

    const home = await newHome();
    expect((await crm(['customers', 'list', '--limit', '1'], { home, env: { CRM_TOKEN: key.secret } })).code).toBe(0);
    expect((await crm(['keys', 'revoke', key.id])).code).toBe(0);
    expect((await crm(['customers', 'list', '--limit', '1'], { home, env: { CRM_TOKEN: key.secret } })).code).toBe(ExitCode.AUTH);
  });

  it('reads the audit log and the failed logins', async () => {
    const customer = await addCustomer('E2E Audited');
    expect((await crm(['customers', 'edit', customer.id, '--company', 'Audit Ltd'])).code).toBe(0);
    const audit = await crm(['audit', '--entity', 'customer', '--id', customer.id, '--all']);
    expect(audit.stderr).toBe('');
    expect(audit.code).toBe(0);
    const entries = audit.json<AuditEntry>();
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.entityId === customer.id)).toBe(true);

    expect((await crm(['login', '-u', 'admin', '-p', 'e2e-wrong-password'], { home: await newHome() })).code).toBe(ExitCode.AUTH);
    const failed = await crm(['logins', '--username', 'admin', '--failed', '--limit', '5']);
    expect(failed.stderr).toBe('');
    const logins = failed.json<LoginEntry>();
    expect(logins.length).toBeGreaterThan(0);
    expect(logins.every((l) => !l.success && l.username === 'admin')).toBe(true);
  });
});

describe('crm db', () => {
  it('migrates a new database, then finds nothing to do', async () => {
    const db = join(dir, 'migrate.sqlite');
    const first = await crm(['db', 'migrate', '--db', db, '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.json<{ applied: string[] }>()[0]!.applied.length).toBeGreaterThan(0);
    const second = await crm(['db', 'migrate', '--db', db, '--json']);
    expect(second.json<{ applied: string[] }>()[0]!.applied).toEqual([]);
  });

  it('backs up a SQLite database to a file that is itself a migrated database', async () => {
    const db = join(dir, 'source.sqlite');
    expect((await crm(['db', 'migrate', '--db', db])).code).toBe(0);
    const backup = join(dir, 'backups', 'copy.sqlite');
    const run = await crm(['db', 'backup', backup, '--db', db]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await stat(backup)).size).toBeGreaterThan(0);
    const check = await crm(['db', 'migrate', '--db', backup, '--json']);
    expect(check.json<{ applied: string[] }>()[0]!.applied).toEqual([]);
  });

  it('refuses to back up PostgreSQL', async () => {
    const run = await crm(['db', 'backup', join(dir, 'pg.sqlite'), '--db', 'postgres://crm:pw@127.0.0.1:1/crm']);
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain('pg_dump');
  });
});

describe('crm serve and crm demo', () => {
  it('serves until SIGTERM, then closes cleanly', async () => {
    const env: Record<string, string | undefined> = { ...process.env, XDG_CONFIG_HOME: adminHome, LANG: 'en_US.UTF-8', CRM_ADMIN_PASSWORD: ADMIN_PASSWORD };
    delete env.CRM_DB;
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', join(dir, 'serve.sqlite'), '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const started = await new Promise<{ url: string; docs: string }>((resolve, reject) => {
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const line = stdout.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      child.on('close', () => reject(new Error(`serve exited early: ${stderr}`)));
    });
    expect(started.docs).toBe(`${started.url}/docs`);
    const me = await fetch(`${started.url}/api/v1/me`);
    expect(me.status).toBe(401);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('Stopping');
  });

  it('fills a new database with demo data and prints the users once', async () => {
    const db = join(dir, 'demo.sqlite');
    const run = await crm(['demo', '--db', db, '--customers', '30', '--seed', '3', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = run.json<{ customers: number; users: { username: string; password: string; role: string }[] }>()[0]!;
    expect(summary.customers).toBe(30);
    expect(summary.users.length).toBeGreaterThan(0);
    expect(summary.users[0]!.password).toEqual(expect.any(String));
  });
});

describe('an unreachable server', () => {
  it('is named in the message, with its own exit code', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const url = `http://127.0.0.1:${port}`;
    const run = await crm(['customers', 'list'], { env: { CRM_URL: url, CRM_TOKEN: 'x' } });
    expect(run.code).toBe(ExitCode.UNREACHABLE);
    expect(run.stderr).toContain(url);
  });
});
