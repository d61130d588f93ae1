import { stat } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiModule } from './context.js';
import { ExitCode } from './output/exit-codes.js';
import { aCustomer } from './test-support/fixtures.js';
import { cliHarness, json, problem, type Handler } from './test-support/run-cli.js';

const user = { id: 'u-1', username: 'admin', displayName: 'Admin', isAdmin: true, departmentId: null, status: 'active', createdAt: '2025-01-01T00:00:00.000Z' };

const harness = cliHarness();
const crm = harness.crm;

const loggedIn = (server = 'http://127.0.0.1:3000') =>
  harness.config().write({ server, token: 'stored-token', username: 'admin', expiresAt: '2030-01-01T00:00:00.000Z' });

describe('server, token and language', () => {
  const me: Handler = () => json(user);

  it('uses --server, else CRM_URL, else the stored server, else 127.0.0.1:3000', async () => {
    const env = { token: 't' };
    expect((await crm(['whoami', '--server', 'http://flag:1/'], { handler: me, env: { ...env, url: 'http://env:2' } })).seen[0]!.url.href).toBe(
      'http://flag:1/api/v1/me',
    );
    expect((await crm(['whoami'], { handler: me, env: { ...env, url: 'http://env:2' } })).seen[0]!.url.origin).toBe('http://env:2');
    await loggedIn('http://stored:3');
    expect((await crm(['whoami'], { handler: me, env })).seen[0]!.url.origin).toBe('http://stored:3');
    await harness.config().clear();
    expect((await crm(['whoami'], { handler: me, env })).seen[0]!.url.origin).toBe('http://127.0.0.1:3000');
  });

  it('sends the stored token only to the server that issued it', async () => {
    await loggedIn('http://127.0.0.1:3000');
    const home = await crm(['whoami'], { handler: me });
    expect(home.seen[0]!.headers.get('authorization')).toBe('Bearer stored-token');
    const elsewhere = await crm(['whoami', '--server', 'http://other:3000'], { handler: me });
    expect(elsewhere.seen).toHaveLength(0);
    expect(elsewhere.code).toBe(ExitCode.AUTH);
    expect(elsewhere.stderr).toContain('Not logged in to http://other:3000');
  });

  it('lets CRM_TOKEN override the stored token', async () => {
    await loggedIn();
    const run = await crm(['whoami'], { handler: me, env: { token: 'env-token' } });
    expect(run.seen[0]!.headers.get('authorization')).toBe('Bearer env-token');
  });

  it('asks the server for messages in the chosen language', async () => {
    await loggedIn();
    expect((await crm(['whoami', '--lang', 'zh-CN'], { handler: me })).seen[0]!.headers.get('accept-language')).toBe('zh-CN');
    expect((await crm(['whoami'], { handler: me, env: { langHint: 'zh_CN.UTF-8' } })).seen[0]!.headers.get('accept-language')).toBe('zh-CN');
    expect((await crm(['whoami'], { handler: me, env: { langHint: 'C.UTF-8' } })).seen[0]!.headers.get('accept-language')).toBe('en');
  });

  it('fails before any request when not logged in, with the auth exit code', async () => {
    const run = await crm(['customers', 'list']);
    expect(run.code).toBe(ExitCode.AUTH);
    expect(run.stderr).toBe('error: Not logged in to http://127.0.0.1:3000: run crm login first (or set CRM_TOKEN).\n');
    const zh = await crm(['customers', 'list', '--lang', 'zh-CN']);
    expect(zh.stderr).toMatch(/^错误：尚未登录/);
  });

  it('rejects a server that is not an http(s) URL', async () => {
    const run = await crm(['whoami', '--server', 'ftp://x'], { env: { token: 't' } });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain('ftp://x');
  });
});

describe('lists and records', () => {
  const c1 = aCustomer({ id: 'c-1', name: 'One' });
  const c2 = aCustomer({ id: 'c-2', name: 'Two' });
  const c3 = aCustomer({ id: 'c-3', name: 'Three' });
  const pages: Handler = ({ url }) =>
    url.searchParams.get('cursor') === 'p2' ? json({ items: [c3], nextCursor: null }) : json({ items: [c1, c2], nextCursor: 'p2' });

  beforeEach(() => loggedIn());

  it('prints NDJSON when stdout is not a terminal, one page by default', async () => {
    const run = await crm(['customers', 'list'], { handler: pages });
    expect(run.code).toBe(0);
    expect(run.lines.map((l) => JSON.parse(l).id)).toEqual(['c-1', 'c-2']);
    expect(run.seen).toHaveLength(1);
  });

  it('follows nextCursor to the end with --all', async () => {
    const run = await crm(['customers', 'list', '--all', '--json', '--limit', '2'], { handler: pages });
    expect(run.lines.map((l) => JSON.parse(l).id)).toEqual(['c-1', 'c-2', 'c-3']);
    expect(run.seen.map((r) => r.url.searchParams.get('cursor'))).toEqual([null, 'p2']);
    expect(run.seen[0]!.url.searchParams.get('limit')).toBe('2');
  });

  it('passes search, view, filter, sort and the recycle bin as query parameters', async () => {
    const filter = '{"field":"source","op":"eq","value":"展会"}';
    const run = await crm(['customers', 'list', '--q', '138 0013', '--view', 'builtin-hot', '--filter', filter, '--sort', 'name:asc', '--deleted'], {
      handler: pages,
    });
    const params = run.seen[0]!.url.searchParams;
    expect(params.get('q')).toBe('138 0013');
    expect(params.get('view')).toBe('builtin-hot');
    expect(JSON.parse(params.get('filter')!)).toEqual(JSON.parse(filter));
    expect(params.get('sort')).toBe('name:asc');
    expect(params.get('deleted')).toBe('true');
  });

  it('checks --filter before asking the server', async () => {
    const run = await crm(['customers', 'list', '--filter', '{"field":"x","op":"near"}'], { handler: pages });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.seen).toHaveLength(0);
    expect(run.stderr).toContain('op');
  });

  it('draws a table on a terminal, with owner names and a hint when there are more pages', async () => {
    const handler: Handler = (request) =>
      request.url.pathname.endsWith('/users') ? json({ items: [{ ...user, displayName: '王五' }] }) : pages(request);
    const run = await crm(['customers', 'list'], { handler, tty: true });
    expect(run.code).toBe(0);
    const [header, ...rows] = run.lines;
    expect(header).toMatch(/Name\s+Company\s+Primary phone\s+Status\s+Owner\s+Updated at\s+ID/);
    expect(rows[0]).toMatch(/^One .*\+8613800138000.*王五.*c-1$/);
    expect(run.stdout).toContain('--cursor p2');
    expect(run.stdout).not.toContain('{');
  });

  it('shows one record as one JSON line, or as a key/value list on a terminal', async () => {
    const handler: Handler = ({ url }) => (url.pathname.endsWith('/users') ? json({ items: [] }) : json(c1));
    const machine = await crm(['customers', 'show', 'c-1'], { handler });
    expect(machine.lines).toHaveLength(1);
    expect(JSON.parse(machine.lines[0]!)).toEqual(c1);
    const person = await crm(['customers', 'show', 'c-1', '--lang', 'zh-CN'], { handler, tty: true });
    expect(person.stdout).toMatch(/客户名称\s+One/);
    expect(person.stdout).toMatch(/标签\s+VIP, 展会/);
  });

  it('sends add and edit bodies built from the options', async () => {
    const handler: Handler = ({ method }) => json(c1, method === 'POST' ? 201 : 200);
    const add = await crm(['customers', 'add', '--name', 'One', '--phone', '13800138000', '--tag', 'VIP', '--tag', 'A', '--custom', 'budget:=5'], {
      handler,
    });
    expect(add.code).toBe(0);
    expect(add.seen[0]!.method).toBe('POST');
    expect(add.seen[0]!.body).toEqual({ name: 'One', phones: [{ number: '13800138000' }], tags: ['VIP', 'A'], custom: { budget: 5 } });
    const edit = await crm(['customers', 'edit', 'c-1', '--company', 'New', '--clear', 'email'], { handler });
    expect(edit.seen[0]!.method).toBe('PATCH');
    expect(edit.seen[0]!.url.pathname).toBe('/api/v1/customers/c-1');
    expect(edit.seen[0]!.body).toEqual({ company: 'New', email: null });
  });

  it('calls the right routes for rm, restore, purge, merge and focus', async () => {
    const handler: Handler = ({ url }) => (url.pathname.endsWith('/purge') ? new Response(null, { status: 204 }) : json(c1));
    const calls: string[] = [];
    for (const argv of [
      ['customers', 'rm', 'c-1'],
      ['customers', 'restore', 'c-1'],
      ['customers', 'purge', 'c-1'],
      ['customers', 'merge', 'c-1', 'c-2'],
      ['customers', 'focus', 'c-1', '--colour', 'blue'],
      ['customers', 'focus', 'c-1', '--off'],
    ]) {
      const run = await crm(argv, { handler });
      expect(run.code, argv.join(' ')).toBe(0);
      calls.push(`${run.seen[0]!.method} ${run.seen[0]!.url.pathname} ${JSON.stringify(run.seen[0]!.body ?? null)}`);
    }
    expect(calls).toEqual([
      'DELETE /api/v1/customers/c-1 null',
      'POST /api/v1/customers/c-1/restore null',
      'POST /api/v1/customers/c-1/purge null',
      'POST /api/v1/customers/merge {"survivorId":"c-1","mergedId":"c-2"}',
      'PUT /api/v1/customers/c-1/focus {"colour":"blue"}',
      'DELETE /api/v1/customers/c-1/focus null',
    ]);
  });

  it('refuses a focus colour that does not exist and --off with a colour', async () => {
    expect((await crm(['customers', 'focus', 'c-1', '--colour', 'pink'])).code).toBe(ExitCode.USAGE);
    expect((await crm(['customers', 'focus', 'c-1', '--colour', 'red', '--off'])).code).toBe(ExitCode.USAGE);
  });

  it('saves and lists views', async () => {
    const view = { id: 'v-1', name: 'Hot', builtIn: false, shared: true, ownerId: 'u-1', filter: null, columns: ['name'], sort: null, isDefault: false, createdAt: null, updatedAt: null };
    const handler: Handler = ({ method }) => (method === 'POST' ? json(view, 201) : json({ items: [view] }));
    const add = await crm(['views', 'add', '--name', 'Hot', '--shared', '--sort', 'updatedAt:desc', '--columns', 'name, phones', '--filter', '{"field":"hot","op":"eq","value":true}'], {
      handler,
    });
    expect(add.seen[0]!.body).toEqual({
      name: 'Hot',
      shared: true,
      isDefault: false,
      filter: { field: 'hot', op: 'eq', value: true },
      sort: { field: 'updatedAt', direction: 'desc' },
      columns: ['name', 'phones'],
    });
    expect(JSON.parse(add.lines[0]!).id).toBe('v-1');
    const list = await crm(['views', 'list'], { handler });
    expect(list.lines.map((l) => JSON.parse(l).name)).toEqual(['Hot']);
  });
});

describe('failures', () => {
  beforeEach(() => loggedIn());

  it('prints the problem detail and each field message, and exits by the code', async () => {
    const handler = () =>
      problem(400, 'VALIDATION.FAILED', 'The input is not valid', [
        { field: 'phones.0.number', code: 'PHONE.INVALID', message: 'phones.0.number is not a valid phone number: 123' },
        { field: 'email', code: 'VALIDATION.FORMAT', message: 'malformed' },
      ]);
    const run = await crm(['customers', 'add', '--name', 'X', '--phone', '123'], { handler });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toBe(
      'error: The input is not valid\n  - phones.0.number is not a valid phone number: 123\n  - email: malformed\n',
    );
    expect(run.stdout).toBe('');
  });

  it.each([
    [404, 'CUSTOMER.NOT_FOUND', ExitCode.NOT_FOUND],
    [409, 'CUSTOMER.PHONE_TAKEN', ExitCode.CONFLICT],
    [403, 'AUTH.FORBIDDEN', ExitCode.AUTH],
    [500, 'INTERNAL', ExitCode.FAILURE],
  ])('%i %s exits with %i', async (status, code, exit) => {
    const run = await crm(['customers', 'show', 'c-9'], { handler: () => problem(status, code, 'nope') });
    expect(run.code).toBe(exit);
    expect(run.stderr).toBe('error: nope\n');
  });

  it('suggests logging in again when the token is refused', async () => {
    const run = await crm(['whoami'], { handler: () => problem(401, 'AUTH.UNAUTHENTICATED', 'Log in first') });
    expect(run.code).toBe(ExitCode.AUTH);
    expect(run.stderr).toContain('Run crm login to log in again.');
  });

  it('copes with an error that is not problem+json', async () => {
    const run = await crm(['whoami'], { handler: () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }) });
    expect(run.code).toBe(ExitCode.FAILURE);
    expect(run.stderr).toContain('502 Bad Gateway');
  });

  it('names the server when nothing listens there', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const server = `http://127.0.0.1:${port}`;
    const run = await crm(['whoami', '--server', server], { env: { token: 't' }, fetch: globalThis.fetch });
    expect(run.code).toBe(ExitCode.UNREACHABLE);
    expect(run.stderr).toContain(`Cannot reach the server at ${server} (ECONNREFUSED)`);
  });

  it('sends a read once more when the connection is closed under it, and never a write', async () => {
    // A server that drops the connection of its first request unanswered, as one closing an idle
    // kept-alive connection at that moment does, then answers.
    const seen: string[] = [];
    const server = createHttpServer((request, response) => {
      seen.push(request.method!);
      if (seen.length === 1) return request.socket.destroy();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(user));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const read = await crm(['whoami', '--server', url], { env: { token: 't' }, fetch: globalThis.fetch });
      expect(read.code).toBe(ExitCode.OK);
      expect(read.stdout).toContain('admin');
      expect(seen).toEqual(['GET', 'GET']);
      seen.length = 0;
      const write = await crm(['customers', 'add', '--name', '张三', '--phone', '13800138000', '--server', url], { env: { token: 't' }, fetch: globalThis.fetch });
      expect(write.code).toBe(ExitCode.UNREACHABLE);
      expect(seen).toEqual(['POST']);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('exits with the usage code on a bad command line', async () => {
    expect((await crm(['bogus'])).code).toBe(ExitCode.USAGE);
    expect((await crm(['customers', 'show'])).code).toBe(ExitCode.USAGE);
    expect((await crm(['whoami', '--lang', 'fr'])).code).toBe(ExitCode.USAGE);
    expect((await crm(['customers', 'list', '--limit', '0'])).code).toBe(ExitCode.USAGE);
    expect((await crm(['customers', 'edit', 'c-1'])).stderr).toContain('Nothing to change');
  });

  it('prints help and the version with exit code 0', async () => {
    const help = await crm(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('customers');
    const zh = await crm(['customers', '--help', '--lang', 'zh-CN']);
    expect(zh.stdout).toContain('用法：');
    expect((await crm(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('login and logout', () => {
  const loginHandler: Handler = ({ url }) =>
    url.pathname.endsWith('/auth/login') ? json({ token: 'new-token', expiresAt: '2030-01-01T00:00:00.000Z', user }) : new Response(null, { status: 204 });

  it('reads the password from stdin when it is not a terminal, and stores the token in a private file', async () => {
    const run = await crm(['login', '-u', 'admin', '--server', 'http://crm.example:8080/'], { handler: loginHandler, stdin: 'secret-pass-1\n' });
    expect(run.code).toBe(0);
    expect(run.seen[0]!.body).toEqual({ username: 'admin', password: 'secret-pass-1' });
    expect(await harness.config().read()).toEqual({ server: 'http://crm.example:8080', token: 'new-token', username: 'admin', expiresAt: '2030-01-01T00:00:00.000Z' });
    expect((await stat(harness.config().file)).mode & 0o777).toBe(0o600);
    expect(run.stdout).not.toContain('new-token');
    expect(JSON.parse(run.lines[0]!).user.username).toBe('admin');
  });

  it('needs a user name when there is no terminal to ask on', async () => {
    const run = await crm(['login', '-p', 'x'], { handler: loginHandler });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.seen).toHaveLength(0);
  });

  it('says so when the password is wrong', async () => {
    const run = await crm(['login', '-u', 'admin', '-p', 'wrong'], { handler: () => problem(401, 'AUTH.INVALID_CREDENTIALS', 'Wrong username or password') });
    expect(run.code).toBe(ExitCode.AUTH);
    expect(run.stderr).toBe('error: Wrong username or password\n');
    expect(await harness.config().read()).toBeNull();
  });

  it('logs out on the server and forgets the token, even when the server no longer knows it', async () => {
    await loggedIn();
    const run = await crm(['logout'], { handler: loginHandler });
    expect(run.seen[0]!.method).toBe('POST');
    expect(run.seen[0]!.url.pathname).toBe('/api/v1/auth/logout');
    expect(await harness.config().read()).toBeNull();
    await loggedIn();
    expect((await crm(['logout'], { handler: () => problem(401, 'AUTH.UNAUTHENTICATED', 'x') })).code).toBe(0);
    expect(await harness.config().read()).toBeNull();
    expect((await crm(['logout'])).code).toBe(0);
  });
});

describe('commands that open the database', () => {
  const fakeApi = () => {
    const store = { db: {}, dialect: 'sqlite' as const, url: 'file.sqlite', close: vi.fn(async () => {}) };
    const server = { url: 'http://127.0.0.1:4321', close: vi.fn(async () => {}) };
    const api = {
      startServer: vi.fn(async () => server),
      openStore: vi.fn(async () => store),
      migrateToLatest: vi.fn(async () => ['2025_01_01_000_init', '2025_01_02_000_views']),
      backupSqlite: vi.fn(async () => {}),
      fillDemo: vi.fn(async () => ({ company: 'Demo Co', users: [{ username: 'agent1', password: 'pw-1', role: 'agent' }], customers: 5 })),
      defaultDatabaseUrl: () => './data/crm.sqlite',
    };
    return { api, store, server };
  };

  it('serve starts the server, prints where, and closes it when stopped', async () => {
    const { api, server } = fakeApi();
    const run = await crm(['serve', '--port', '0', '--db', 'data/x.sqlite'], { api: api as unknown as ApiModule });
    expect(api.startServer).toHaveBeenCalledWith({ port: 0, db: 'data/x.sqlite' });
    expect(JSON.parse(run.lines[0]!)).toEqual({ url: 'http://127.0.0.1:4321', docs: 'http://127.0.0.1:4321/docs' });
    expect(server.close).toHaveBeenCalled();
    const person = await crm(['serve'], { api: api as unknown as ApiModule, tty: true, env: { db: 'data/env.sqlite' } });
    expect(api.startServer).toHaveBeenLastCalledWith({ db: 'data/env.sqlite' });
    expect(person.stdout).toContain('http://127.0.0.1:4321/docs');
  });

  it('db migrate lists the migrations it applied and closes the store', async () => {
    const { api, store } = fakeApi();
    const run = await crm(['db', 'migrate', '--db', 'data/x.sqlite'], { api: api as unknown as ApiModule });
    expect(api.openStore).toHaveBeenCalledWith('data/x.sqlite');
    expect(JSON.parse(run.lines[0]!)).toEqual({ database: 'data/x.sqlite', applied: ['2025_01_01_000_init', '2025_01_02_000_views'] });
    expect(store.close).toHaveBeenCalled();
  });

  it('db backup refuses PostgreSQL without connecting, and masks its password', async () => {
    const { api } = fakeApi();
    const run = await crm(['db', 'backup', 'data/b.sqlite', '--db', 'postgres://crm:hunter2@db/crm'], { api: api as unknown as ApiModule });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(api.openStore).not.toHaveBeenCalled();
    expect(run.stderr).toContain('postgres://crm:***@db/crm');
    expect(run.stderr).not.toContain('hunter2');
  });

  it('demo migrates, fills and prints the users with their passwords', async () => {
    const { api, store } = fakeApi();
    const run = await crm(['demo', '--customers', '5', '--seed', '7'], { api: api as unknown as ApiModule });
    expect(api.fillDemo).toHaveBeenCalledWith(store, expect.objectContaining({ customers: 5, seed: 7 }));
    expect(JSON.parse(run.lines[0]!)).toMatchObject({ database: './data/crm.sqlite', company: 'Demo Co', customers: 5 });
    const person = await crm(['demo'], { api: api as unknown as ApiModule, tty: true });
    expect(person.stdout).toMatch(/agent1\s+pw-1\s+agent/);
  });
});
