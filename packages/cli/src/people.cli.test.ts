// users, departments, roles, keys, audit and logins, in-process against a fake server.
import { describe, expect, it, beforeEach } from 'vitest';
import type { ApiKey, AuditEntry, Department, LoginEntry, Role } from '@telecrm/core';
import { ExitCode } from './output/exit-codes.js';
import { call, cliHarness, json, noContent, problem, type Handler } from './test-support/run-cli.js';

const { crm, loggedIn } = cliHarness();

const admin = { id: 'u-1', username: 'admin', displayName: 'Admin', isAdmin: true, departmentId: null, roleId: 'r-admin', status: 'active', createdAt: '2025-01-01T00:00:00.000Z' };
const agent = { id: 'u-2', username: 'li', displayName: '李四', isAdmin: false, departmentId: 'd-2', roleId: 'r-agent', status: 'active', createdAt: '2025-01-02T00:00:00.000Z' };
const agentDetail = { ...agent, quotaCalls: 200, quotaMinutes: null };
const departments: Department[] = [
  { id: 'd-2', name: '华东一组', parentId: 'd-1', createdAt: '2025-01-01T00:00:00.000Z' },
  { id: 'd-1', name: '销售部', parentId: null, createdAt: '2025-01-01T00:00:00.000Z' },
  { id: 'd-3', name: '客服部', parentId: null, createdAt: '2025-01-01T00:00:00.000Z' },
];
const aRole = (over: Partial<Role> = {}): Role => ({
  id: 'r-agent',
  key: 'agent',
  name: '销售员',
  parentId: 'r-manager',
  dataScope: 'own',
  permissions: ['customers.view', 'customers.create', 'customers.edit'],
  fieldPermissions: { customer: { phones: 'read' } },
  system: true,
  createdAt: '2025-01-01T00:00:00.000Z',
  ...over,
});
const roles: Role[] = [
  aRole(),
  aRole({ id: 'r-manager', key: 'salesManager', name: '销售经理', parentId: null, dataScope: 'departmentAndBelow' }),
];

beforeEach(() => loggedIn());

describe('crm users', () => {
  /** A fake of the users and departments routes. */
  const people: Handler = ({ method, url }) => {
    const path = url.pathname;
    if (path === '/api/v1/me') return json(admin);
    if (path === '/api/v1/departments') return json({ items: departments });
    if (path === '/api/v1/roles') return json({ items: roles });
    if (path === '/api/v1/users' && method === 'GET') return json({ items: [admin, agent] });
    if (path === '/api/v1/users' && method === 'POST') return json(agent, 201);
    if (path.endsWith('/password') || method === 'DELETE') return noContent();
    if (path === '/api/v1/users/u-2' && method === 'PATCH') return json({ ...agentDetail, status: 'disabled' });
    if (path === '/api/v1/users/u-2') return json(agentDetail);
    return problem(404, 'USER.NOT_FOUND', 'No such user');
  };

  it('lists users as NDJSON, asking for nothing else', async () => {
    const run = await crm(['users', 'list'], { handler: people });
    expect(run.code).toBe(0);
    expect(run.lines.map((l) => JSON.parse(l).username)).toEqual(['admin', 'li']);
    expect(run.seen.map(call)).toEqual(['GET /api/v1/users null']);
  });

  it('draws a table on a terminal, naming departments and roles', async () => {
    const run = await crm(['users', 'list', '--lang', 'zh-CN'], { handler: people, tty: true });
    expect(run.code).toBe(0);
    expect(run.lines[0]).toMatch(/用户名\s+姓名\s+部门\s+角色\s+管理员\s+状态\s+ID/);
    expect(run.stdout).toMatch(/li\s+李四\s+华东一组\s+销售员\s+启用\s+u-2/);
  });

  it('still draws the table when the roles cannot be read', async () => {
    const handler: Handler = (request) => (request.url.pathname === '/api/v1/roles' ? problem(403, 'AUTH.FORBIDDEN', 'no') : people(request));
    const run = await crm(['users', 'list'], { handler, tty: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/li\s+李四\s+华东一组\s+r-agent/);
  });

  it('shows one user with quotas', async () => {
    const machine = await crm(['users', 'show', 'u-2'], { handler: people });
    expect(JSON.parse(machine.lines[0]!)).toEqual(agentDetail);
    const person = await crm(['users', 'show', 'u-2'], { handler: people, tty: true });
    expect(person.stdout).toMatch(/Daily calls\s+200/);
    expect(person.stdout).toMatch(/Daily minutes\s+no quota/);
    expect(person.stdout).toMatch(/Role\s+销售员/);
  });

  it('adds a user with the password from stdin', async () => {
    const run = await crm(['users', 'add', '--username', 'li', '--name', '李四', '--department', 'd-2', '--role', 'r-agent'], {
      handler: people,
      stdin: 'long-enough-1\n',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.seen.map(call)).toEqual([
      'POST /api/v1/users {"username":"li","displayName":"李四","password":"long-enough-1","isAdmin":false,"departmentId":"d-2","roleId":"r-agent"}',
    ]);
    expect(JSON.parse(run.lines[0]!).id).toBe('u-2');
  });

  it('adds an admin with --password, and says so on a terminal', async () => {
    const run = await crm(['users', 'add', '--username', 'li', '--name', '李四', '--password', 'long-enough-1', '--admin'], { handler: people, tty: true });
    expect(run.seen[0]!.body).toMatchObject({ isAdmin: true, departmentId: null, roleId: null });
    expect(run.stdout).toContain('Added the user li (u-2).');
  });

  it('asks for the password twice on a terminal', async () => {
    const run = await crm(['users', 'add', '--username', 'li', '--name', '李四'], {
      handler: people,
      stdinTty: true,
      stdin: ['typed-pass-1\r', 'typed-pass-1\r'],
    });
    expect(run.code).toBe(0);
    expect(run.seen[0]!.body).toMatchObject({ password: 'typed-pass-1' });
    expect(run.stderr).toContain('New password again: ');
    const differ = await crm(['users', 'add', '--username', 'li', '--name', '李四'], {
      handler: people,
      stdinTty: true,
      stdin: ['typed-pass-1\r', 'typed-pass-2\r'],
    });
    expect(differ.code).toBe(ExitCode.USAGE);
    expect(differ.stderr).toMatch(/New password again: \n+error: The two new passwords differ\.\n$/);
    expect(differ.seen).toHaveLength(0);
  });

  it('checks the input before asking for a password or calling the server', async () => {
    const badName = await crm(['users', 'add', '--username', 'a b', '--name', 'X', '--password', 'long-enough-1'], { handler: people });
    expect(badName.code).toBe(ExitCode.USAGE);
    expect(badName.stderr).toContain('username');
    expect(badName.seen).toHaveLength(0);
    const noPassword = await crm(['users', 'add', '--username', 'li', '--name', 'X'], { handler: people });
    expect(noPassword.code).toBe(ExitCode.USAGE);
    expect(noPassword.stderr).toContain('--password');
    const short = await crm(['users', 'add', '--username', 'li', '--name', 'X', '--password', 'short'], { handler: people });
    expect(short.code).toBe(ExitCode.USAGE);
    expect(short.stderr).toContain('password');
    expect(short.seen).toHaveLength(0);
  });

  it('edits only the given fields', async () => {
    const run = await crm(
      ['users', 'edit', 'u-2', '--name', '李四四', '--no-department', '--role', 'r-manager', '--no-admin', '--quota-calls', '50', '--quota-minutes', 'none'],
      { handler: people },
    );
    expect(run.code).toBe(0);
    expect(run.seen.map(call)).toEqual([
      'PATCH /api/v1/users/u-2 {"displayName":"李四四","departmentId":null,"roleId":"r-manager","isAdmin":false,"quotaCalls":50,"quotaMinutes":null}',
    ]);
    const dept = await crm(['users', 'edit', 'u-2', '--department', 'd-1', '--admin'], { handler: people });
    expect(dept.seen[0]!.body).toEqual({ departmentId: 'd-1', isAdmin: true });
  });

  it('refuses an edit with nothing to change or a bad quota', async () => {
    const none = await crm(['users', 'edit', 'u-2'], { handler: people });
    expect(none.code).toBe(ExitCode.USAGE);
    expect(none.stderr).toBe('error: Nothing to change: give at least one option.\n');
    const quota = await crm(['users', 'edit', 'u-2', '--quota-calls', '-1'], { handler: people });
    expect(quota.code).toBe(ExitCode.USAGE);
    expect(quota.stderr).toContain('--quota-calls');
    expect(quota.seen).toHaveLength(0);
  });

  it('disables and enables a user', async () => {
    const off = await crm(['users', 'disable', 'u-2'], { handler: people, tty: true });
    expect(off.seen.map(call)).toEqual(['PATCH /api/v1/users/u-2 {"status":"disabled"}']);
    expect(off.stdout).toContain('Disabled li');
    const on = await crm(['users', 'enable', 'u-2', '--lang', 'zh-CN'], { handler: people, tty: true });
    expect(on.seen.map(call)).toEqual(['PATCH /api/v1/users/u-2 {"status":"active"}']);
    expect(on.stdout).toContain('已启用 li。');
  });

  it("changes one's own password with the current one, read from stdin", async () => {
    const run = await crm(['users', 'passwd'], { handler: people, stdin: 'old-password\nnew-password-1\n' });
    expect(run.stderr).toBe('');
    expect(run.seen.map(call)).toEqual([
      'GET /api/v1/me null',
      'POST /api/v1/users/u-1/password {"currentPassword":"old-password","newPassword":"new-password-1"}',
    ]);
    expect(JSON.parse(run.lines[0]!)).toEqual({ id: 'u-1', passwordChanged: true });
    // One's own id counts as one's own.
    const byId = await crm(['users', 'passwd', 'u-1', '--current', 'old-password', '--password', 'new-password-1'], { handler: people });
    expect(byId.seen[1]!.body).toEqual({ currentPassword: 'old-password', newPassword: 'new-password-1' });
  });

  it("sets someone else's password without the current one, and asks on a terminal", async () => {
    const run = await crm(['users', 'passwd', 'u-2'], { handler: people, stdinTty: true, stdin: ['new-password-1\r', 'new-password-1\r'], tty: true });
    expect(run.code).toBe(0);
    expect(run.seen.map(call)).toEqual(['GET /api/v1/me null', 'POST /api/v1/users/u-2/password {"newPassword":"new-password-1"}']);
    expect(run.stderr).not.toContain('Current password');
    expect(run.stdout).toContain('Changed the password of u-2');
  });

  it('needs the current password for its own', async () => {
    const run = await crm(['users', 'passwd', '--password', 'new-password-1'], { handler: people });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain('--current');
    expect(run.seen.map(call)).toEqual(['GET /api/v1/me null']);
  });

  it('reports a wrong current password with the auth exit code', async () => {
    const handler: Handler = (request) =>
      request.url.pathname.endsWith('/password') ? problem(401, 'AUTH.INVALID_CREDENTIALS', 'Wrong password') : people(request);
    const run = await crm(['users', 'passwd', '--current', 'nope', '--password', 'new-password-1'], { handler });
    expect(run.code).toBe(ExitCode.AUTH);
    expect(run.stderr).toContain('Wrong password');
  });

  it('deletes a user, handing their customers over', async () => {
    const run = await crm(['users', 'rm', 'u-2', '--hand-over-to', 'u-1'], { handler: people });
    expect(run.code).toBe(0);
    expect(run.seen.map(call)).toEqual(['DELETE /api/v1/users/u-2 {"handOverTo":"u-1"}']);
    expect(JSON.parse(run.lines[0]!)).toEqual({ id: 'u-2', deleted: true, handOverTo: 'u-1' });
    const missing = await crm(['users', 'rm', 'u-2'], { handler: people });
    expect(missing.code).toBe(ExitCode.USAGE);
    expect(missing.stderr).toContain('--hand-over-to');
    expect(missing.seen).toHaveLength(0);
  });

  it.each([
    [['users', 'rm', 'u-1', '--hand-over-to', 'u-2'], 409, 'USER.SELF', ExitCode.CONFLICT],
    [['users', 'show', 'u-9'], 404, 'USER.NOT_FOUND', ExitCode.NOT_FOUND],
    [['users', 'add', '--username', 'li', '--name', 'L', '--password', 'long-enough-1'], 409, 'USER.USERNAME_TAKEN', ExitCode.CONFLICT],
    [['users', 'list'], 403, 'AUTH.FORBIDDEN', ExitCode.AUTH],
  ])('%j: %i %s exits with %i', async (argv, status, code, exit) => {
    const run = await crm(argv, { handler: () => problem(status, code, 'nope') });
    expect(run.code).toBe(exit);
    expect(run.stderr).toBe('error: nope\n');
    expect(run.stdout).toBe('');
  });
});

describe('crm departments', () => {
  const handler: Handler = ({ method, url }) => {
    if (method === 'GET') return json({ items: departments });
    if (method === 'DELETE') return noContent();
    if (method === 'POST') return json({ id: 'd-9', name: '华南组', parentId: 'd-1', createdAt: '2025-01-01T00:00:00.000Z' }, 201);
    const body = { ...departments.find((d) => url.pathname.endsWith(`/${d.id}`))! };
    return json(body);
  };

  it('lists in tree order: NDJSON for machines, indented names on a terminal', async () => {
    const machine = await crm(['departments', 'list'], { handler });
    expect(machine.lines.map((l) => JSON.parse(l).id)).toEqual(['d-1', 'd-2', 'd-3']);
    const person = await crm(['departments', 'list'], { handler, tty: true });
    const rows = person.lines.slice(1);
    expect(rows[0]).toMatch(/^销售部\s/);
    expect(rows[1]).toMatch(/^ {2}华东一组\s.*d-2$/);
    expect(rows[2]).toMatch(/^客服部\s/);
  });

  it('says so when there are none', async () => {
    const run = await crm(['departments', 'list'], { handler: () => json({ items: [] }), tty: true });
    expect(run.stdout).toContain('No departments.');
  });

  it('adds, renames, moves and deletes', async () => {
    const runs = [
      await crm(['departments', 'add', '--name', '华南组', '--parent', 'd-1'], { handler }),
      await crm(['departments', 'add', '--name', '总部'], { handler }),
      await crm(['departments', 'rename', 'd-2', '华东二组'], { handler }),
      await crm(['departments', 'move', 'd-2', '--parent', 'd-3'], { handler }),
      await crm(['departments', 'move', 'd-2', '--root'], { handler }),
      await crm(['departments', 'rm', 'd-3'], { handler }),
    ];
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    expect(runs.map((r) => call(r.seen[0]!))).toEqual([
      'POST /api/v1/departments {"name":"华南组","parentId":"d-1"}',
      'POST /api/v1/departments {"name":"总部","parentId":null}',
      'PATCH /api/v1/departments/d-2 {"name":"华东二组"}',
      'PATCH /api/v1/departments/d-2 {"parentId":"d-3"}',
      'PATCH /api/v1/departments/d-2 {"parentId":null}',
      'DELETE /api/v1/departments/d-3 null',
    ]);
    expect(JSON.parse(runs[0]!.lines[0]!).id).toBe('d-9');
    expect(JSON.parse(runs[5]!.lines[0]!)).toEqual({ id: 'd-3', deleted: true });
  });

  it('names the new parent on a terminal', async () => {
    const run = await crm(['departments', 'move', 'd-2', '--parent', 'd-1'], { handler, tty: true });
    expect(run.stdout).toContain('Moved "华东一组" under "销售部".');
  });

  it('needs exactly one of --parent and --root, and a name', async () => {
    for (const argv of [
      ['departments', 'move', 'd-2'],
      ['departments', 'move', 'd-2', '--parent', 'd-1', '--root'],
    ]) {
      const run = await crm(argv, { handler });
      expect(run.code).toBe(ExitCode.USAGE);
      expect(run.stderr).toBe('error: Give one of --parent ID or --root.\n');
      expect(run.seen).toHaveLength(0);
    }
    const noName = await crm(['departments', 'add'], { handler });
    expect(noName.code).toBe(ExitCode.USAGE);
    expect(noName.stderr).toContain('name');
  });

  it('exits with the conflict code when the department is not empty or would be below itself', async () => {
    const notEmpty = await crm(['departments', 'rm', 'd-1'], { handler: () => problem(409, 'DEPARTMENT.NOT_EMPTY', 'Still has users') });
    expect(notEmpty.code).toBe(ExitCode.CONFLICT);
    const cycle = await crm(['departments', 'move', 'd-1', '--parent', 'd-2'], { handler: () => problem(409, 'DEPARTMENT.CYCLE', 'Below itself') });
    expect(cycle.code).toBe(ExitCode.CONFLICT);
    expect(cycle.stderr).toBe('error: Below itself\n');
  });
});

describe('crm roles', () => {
  const handler: Handler = ({ method, url, body }) => {
    if (url.pathname === '/api/v1/roles' && method === 'GET') return json({ items: roles });
    if (method === 'POST') return json(aRole({ id: 'r-new', key: null, system: false, ...(body as Partial<Role>) }), 201);
    if (method === 'DELETE') return noContent();
    if (method === 'PATCH') return json({ ...roles[0]!, ...(body as Partial<Role>) });
    return json(roles.find((r) => url.pathname.endsWith(`/${r.id}`)) ?? roles[0]);
  };

  it('lists the roles as a tree on a terminal, NDJSON otherwise', async () => {
    const machine = await crm(['roles', 'list'], { handler });
    expect(machine.lines.map((l) => JSON.parse(l).id)).toEqual(['r-manager', 'r-agent']);
    const person = await crm(['roles', 'list', '--lang', 'zh-CN'], { handler, tty: true });
    expect(person.lines[0]).toMatch(/角色\s+数据范围\s+权限\s+系统内置\s+ID/);
    expect(person.lines[1]).toMatch(/^销售经理\s+本部门及下级部门\s+3\s+是\s+r-manager$/);
    expect(person.lines[2]).toMatch(/^ {2}销售员\s+本人\s+3/);
  });

  it('shows a role with its permissions and field access', async () => {
    const machine = await crm(['roles', 'show', 'r-agent'], { handler });
    expect(JSON.parse(machine.lines[0]!)).toEqual(roles[0]);
    const person = await crm(['roles', 'show', 'r-agent'], { handler, tty: true });
    expect(person.stdout).toMatch(/Permissions\s+customers\.view, customers\.create, customers\.edit/);
    expect(person.stdout).toMatch(/Field access\s+customer\.phones=read/);
    expect(person.stdout).toMatch(/Parent\s+销售经理/);
    expect(person.stdout).toMatch(/Data scope\s+own \(own\)/);
  });

  it('adds a role from the options', async () => {
    const run = await crm(
      ['roles', 'add', '--name', '组长', '--parent', 'r-manager', '--scope', 'department', '--grant', 'customers.view, customers.edit', '--grant', 'customers.view,tasks.view', '--field', 'customer.phones=read'],
      { handler },
    );
    expect(run.stderr).toBe('');
    expect(run.seen.map(call)).toEqual([
      'POST /api/v1/roles {"name":"组长","parentId":"r-manager","dataScope":"department","permissions":["customers.view","customers.edit","tasks.view"],"fieldPermissions":{"customer":{"phones":"read"}}}',
    ]);
    expect(JSON.parse(run.lines[0]!).id).toBe('r-new');
  });

  it('checks scope, permissions and field access before any request', async () => {
    const scope = await crm(['roles', 'add', '--name', 'X', '--scope', 'everyone'], { handler });
    expect(scope.code).toBe(ExitCode.USAGE);
    expect(scope.stderr).toContain('dataScope');
    const grant = await crm(['roles', 'add', '--name', 'X', '--scope', 'own', '--grant', 'customers.fly'], { handler });
    expect(grant.code).toBe(ExitCode.USAGE);
    expect(grant.stderr).toBe('error: --grant: no such permission: customers.fly (module.action, e.g. customers.view)\n');
    const field = await crm(['roles', 'edit', 'r-agent', '--field', 'customer.phones=maybe'], { handler });
    expect(field.code).toBe(ExitCode.USAGE);
    expect(field.stderr).toContain('--field');
    const both = await crm(['roles', 'edit', 'r-agent', '--grant', 'tasks.view', '--revoke', 'tasks.view'], { handler });
    expect(both.code).toBe(ExitCode.USAGE);
    const nothing = await crm(['roles', 'edit', 'r-agent'], { handler });
    expect(nothing.stderr).toBe('error: Nothing to change: give at least one option.\n');
    for (const run of [scope, grant, field, both, nothing]) expect(run.seen).toHaveLength(0);
  });

  it('edits grants and field access on top of what the role has', async () => {
    const run = await crm(
      ['roles', 'edit', 'r-agent', '--name', '高级销售', '--grant', 'customers.export', '--revoke', 'customers.edit', '--field', 'customer.email=hidden'],
      { handler },
    );
    expect(run.stderr).toBe('');
    expect(run.seen.map(call)).toEqual([
      'GET /api/v1/roles/r-agent null',
      'PATCH /api/v1/roles/r-agent {"name":"高级销售","permissions":["customers.view","customers.create","customers.export"],"fieldPermissions":{"customer":{"phones":"read","email":"hidden"}}}',
    ]);
    // Name, parent and scope alone need no look-up.
    const plain = await crm(['roles', 'edit', 'r-agent', '--scope', 'all', '--parent', 'r-manager'], { handler, tty: true });
    expect(plain.seen.filter((r) => r.method !== 'GET').map(call)).toEqual(['PATCH /api/v1/roles/r-agent {"parentId":"r-manager","dataScope":"all"}']);
    expect(plain.stdout).toContain('Changed the role "销售员".');
  });

  it('deletes a role, and reports one still in use as a conflict', async () => {
    const run = await crm(['roles', 'rm', 'r-new'], { handler });
    expect(run.seen.map(call)).toEqual(['DELETE /api/v1/roles/r-new null']);
    expect(JSON.parse(run.lines[0]!)).toEqual({ id: 'r-new', deleted: true });
    const inUse = await crm(['roles', 'rm', 'r-agent'], { handler: () => problem(409, 'ROLE.IN_USE', 'Still has users') });
    expect(inUse.code).toBe(ExitCode.CONFLICT);
    const missing = await crm(['roles', 'show', 'r-x'], { handler: () => problem(404, 'ROLE.NOT_FOUND', 'No such role') });
    expect(missing.code).toBe(ExitCode.NOT_FOUND);
  });
});

describe('crm keys', () => {
  const key: ApiKey = {
    id: 'k-1',
    userId: 'u-1',
    name: 'nightly export',
    prefix: 'crm_abcd',
    permissions: ['customers.view', 'customers.export'],
    expiresAt: '2030-01-01T00:00:00.000Z',
    revokedAt: null,
    lastUsedAt: null,
    createdAt: '2025-01-01T00:00:00.000Z',
  };
  const revoked: ApiKey = { ...key, id: 'k-2', name: 'old', revokedAt: '2025-02-01T00:00:00.000Z' };
  const handler: Handler = ({ method }) => {
    if (method === 'GET') return json({ items: [key, revoked] });
    if (method === 'POST') return json({ ...key, secret: 'crm_abcd-the-whole-secret' }, 201);
    return noContent();
  };

  it('lists the keys', async () => {
    const machine = await crm(['keys', 'list'], { handler });
    expect(machine.lines.map((l) => JSON.parse(l).id)).toEqual(['k-1', 'k-2']);
    const person = await crm(['keys', 'list'], { handler, tty: true });
    expect(person.lines[1]).toMatch(/^nightly export\s+crm_abcd…\s+active\s/);
    expect(person.lines[2]).toMatch(/^old\s+crm_abcd…\s+revoked\s/);
  });

  it('creates a key: the secret once, in the JSON record', async () => {
    const run = await crm(['keys', 'add', '--name', 'nightly export', '--expires', '2030-01-01T00:00:00Z', '--grant', 'customers.view,customers.export'], {
      handler,
    });
    expect(run.seen.map(call)).toEqual([
      'POST /api/v1/keys {"name":"nightly export","expiresAt":"2030-01-01T00:00:00Z","permissions":["customers.view","customers.export"]}',
    ]);
    expect(run.lines).toHaveLength(1);
    expect(JSON.parse(run.lines[0]!)).toMatchObject({ id: 'k-1', secret: 'crm_abcd-the-whole-secret' });
  });

  it('shows the secret on a terminal with a warning that it will not be shown again', async () => {
    const run = await crm(['keys', 'add', '--name', 'nightly export'], { handler, tty: true });
    expect(run.seen[0]!.body).toEqual({ name: 'nightly export' });
    expect(run.stdout).toMatch(/Secret\s+crm_abcd-the-whole-secret/);
    expect(run.stdout).toContain('it will not be shown again');
    const zh = await crm(['keys', 'add', '--name', 'x', '--lang', 'zh-CN'], { handler, tty: true });
    expect(zh.stdout).toContain('密钥不会再次显示');
  });

  it('checks the name and expiry before any request', async () => {
    const noName = await crm(['keys', 'add'], { handler });
    expect(noName.code).toBe(ExitCode.USAGE);
    const badDate = await crm(['keys', 'add', '--name', 'x', '--expires', 'tomorrow'], { handler });
    expect(badDate.code).toBe(ExitCode.USAGE);
    expect(badDate.stderr).toContain('expiresAt');
    expect([...noName.seen, ...badDate.seen]).toHaveLength(0);
  });

  it('revokes a key', async () => {
    const run = await crm(['keys', 'revoke', 'k-1'], { handler, tty: true });
    expect(run.seen.map(call)).toEqual(['DELETE /api/v1/keys/k-1 null']);
    expect(run.stdout).toContain('Revoked the API key k-1.');
    const missing = await crm(['keys', 'revoke', 'k-9'], { handler: () => problem(404, 'KEY.NOT_FOUND', 'No such API key') });
    expect(missing.code).toBe(ExitCode.NOT_FOUND);
  });
});

describe('crm audit and crm logins', () => {
  const entry = (id: string, over: Partial<AuditEntry> = {}): AuditEntry => ({
    id,
    at: '2025-03-01T08:05:00.000Z',
    actorId: 'u-2',
    via: 'token',
    keyId: null,
    action: 'customer.update',
    entity: 'customer',
    entityId: 'c-1',
    changes: { company: { before: 'A', after: 'B' }, email: { before: null, after: 'x@y.z' } },
    ...over,
  });
  const login = (id: string, success: boolean): LoginEntry => ({
    id,
    at: '2025-03-01T08:05:00.000Z',
    username: 'li',
    userId: 'u-2',
    success,
    address: '10.0.0.8',
    agent: 'crm-cli',
    reason: success ? null : 'AUTH.INVALID_CREDENTIALS',
  });
  const handler: Handler = ({ url }) => {
    if (url.pathname === '/api/v1/users') return json({ items: [agent] });
    const second = url.searchParams.get('cursor') === 'p2';
    if (url.pathname === '/api/v1/logins') return json(second ? { items: [login('l-3', true)], nextCursor: null } : { items: [login('l-1', false), login('l-2', true)], nextCursor: 'p2' });
    return json(second ? { items: [entry('a-3')], nextCursor: null } : { items: [entry('a-1'), entry('a-2', { actorId: null, via: 'system' })], nextCursor: 'p2' });
  };

  it('passes the audit filters as query parameters and prints one page as NDJSON', async () => {
    const run = await crm(['audit', '--entity', 'customer', '--id', 'c-1', '--actor', 'u-2', '--limit', '2'], { handler });
    expect(run.code).toBe(0);
    expect(run.seen.map(call)).toEqual(['GET /api/v1/audit?entity=customer&entityId=c-1&actorId=u-2&limit=2 null']);
    expect(run.lines.map((l) => JSON.parse(l).id)).toEqual(['a-1', 'a-2']);
  });

  it('follows the audit pages with --all', async () => {
    const run = await crm(['audit', '--all'], { handler });
    expect(run.lines.map((l) => JSON.parse(l).id)).toEqual(['a-1', 'a-2', 'a-3']);
    expect(run.seen.map((r) => r.url.searchParams.get('cursor'))).toEqual([null, 'p2']);
  });

  it('draws the audit log on a terminal with actor names, changed fields and a hint about more', async () => {
    const run = await crm(['audit'], { handler, tty: true });
    expect(run.lines[0]).toMatch(/Time\s+Who\s+Action\s+Record\s+Changed fields/);
    expect(run.stdout).toMatch(/李四\s+customer\.update\s+c-1\s+company, email/);
    expect(run.stdout).toMatch(/system\s+customer\.update/);
    expect(run.stdout).toContain('--cursor p2');
  });

  it('asks for failed logins of one user', async () => {
    const run = await crm(['logins', '--username', 'li', '--failed', '--limit', '5'], { handler });
    expect(run.seen.map(call)).toEqual(['GET /api/v1/logins?username=li&success=false&limit=5 null']);
    expect(run.lines.map((l) => JSON.parse(l).id)).toEqual(['l-1', 'l-2']);
    const all = await crm(['logins', '--all'], { handler });
    expect(all.lines).toHaveLength(3);
    expect(all.seen[0]!.url.search).toBe('');
  });

  it('draws the login log on a terminal', async () => {
    const run = await crm(['logins', '--lang', 'zh-CN'], { handler, tty: true });
    expect(run.stdout).toMatch(/li\s+失败\s+10\.0\.0\.8\s+AUTH\.INVALID_CREDENTIALS\s+crm-cli/);
    expect(run.stdout).toMatch(/li\s+成功\s+10\.0\.0\.8/);
  });

  it('refuses a bad --limit and reports a missing route as a failure', async () => {
    expect((await crm(['audit', '--limit', '0'], { handler })).code).toBe(ExitCode.USAGE);
    const old = await crm(['logins'], { handler: () => problem(404, 'REQUEST.ROUTE_NOT_FOUND', 'No such route') });
    expect(old.code).toBe(ExitCode.FAILURE);
    const forbidden = await crm(['audit'], { handler: () => problem(403, 'AUTH.FORBIDDEN', 'Not allowed') });
    expect(forbidden.code).toBe(ExitCode.AUTH);
  });
});

describe('help for the new commands', () => {
  it('lists them, in both languages', async () => {
    const help = await crm(['--help']);
    for (const name of ['users', 'departments', 'roles', 'keys', 'audit', 'logins', 'logout']) expect(help.stdout).toContain(name);
    const zh = await crm(['roles', '--help', '--lang', 'zh-CN']);
    expect(zh.stdout).toContain('列出角色');
    expect((await crm(['users', 'passwd', '--help'])).stdout).toContain('--current');
  });
});
