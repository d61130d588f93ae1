// crm pool rules ... and crm pool pools ..., in-process against a fake server.
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POOL_RULES, type Department, type PoolRules } from '@telecrm/core';
import type { PoolRulesSet } from './client/api-client.js';
import { ExitCode } from './output/exit-codes.js';
import { aPublicPool, aUser } from './test-support/fixtures.js';
import { call, cliHarness, json, noContent, problem, type Handler } from './test-support/run-cli.js';

const { crm, loggedIn } = cliHarness();

beforeEach(() => loggedIn());

const users = [aUser(), aUser({ id: 'u-2', username: 'li', displayName: '李四', isAdmin: false })];
const departments: Department[] = [
  { id: 'd-1', name: '销售部', parentId: null, createdAt: '2025-01-01T00:00:00.000Z' },
  { id: 'd-2', name: '华东一组', parentId: 'd-1', createdAt: '2025-01-01T00:00:00.000Z' },
];
const roles = [{ id: 'r-agent', key: 'agent', name: '销售员', parentId: null, dataScope: 'own', permissions: [], fieldPermissions: {}, system: true, createdAt: '2025-01-01T00:00:00.000Z' }];
const levels = ['A', 'B', 'C'].map((value, position) => ({ id: `l-${position}`, list: 'level', value, position, active: true, color: null, aliases: [] }));

const company: PoolRules = {
  ...DEFAULT_POOL_RULES,
  holdingLimit: 50,
  protectionDays: 3,
  returnNoFollowUpDays: 15,
  byLevel: { A: { returnNoFollowUpDays: 30, returnNoDealDays: null }, B: { returnNoDealDays: 90 } },
  claimRoleIds: ['r-agent'],
};
const rulesSet: PoolRulesSet = {
  company,
  departments: [
    { departmentId: 'd-1', rules: { holdingLimit: 100, byLevel: { C: { returnNoFollowUpDays: 7 } } } },
    { departmentId: 'd-2', rules: { protectionDays: null } },
  ],
};

/** A fake of the settings routes: PUT and POST answer with what they were sent. */
const settings: Handler = ({ method, url, body }) => {
  const path = url.pathname;
  if (path === '/api/v1/pool-rules' && method === 'GET') return json(rulesSet);
  if (path.startsWith('/api/v1/pool-rules') && method === 'PUT') return json(body);
  if (path === '/api/v1/picklists/level') return json({ items: levels });
  if (path === '/api/v1/users') return json({ items: users });
  if (path === '/api/v1/departments') return json({ items: departments });
  if (path === '/api/v1/roles') return json({ items: roles });
  if (path === '/api/v1/public-pools' && method === 'GET') return json({ items: [aPublicPool(), aPublicPool({ id: 'pp-2', name: '华东公海', isDefault: false, departmentIds: ['d-2'], userIds: ['u-2'], rules: { dailyClaimLimit: 5 } })] });
  if (path === '/api/v1/public-pools' && method === 'POST') return json(aPublicPool({ id: 'pp-3', isDefault: false, ...(body as object) }), 201);
  if (path === '/api/v1/public-pools/pp-2' && method === 'PATCH') return json(aPublicPool({ id: 'pp-2', isDefault: false, ...(body as object) }));
  if (path === '/api/v1/public-pools/pp-2' && method === 'DELETE') return noContent();
  return problem(404, 'REQUEST.ROUTE_NOT_FOUND', `No route ${method} ${path}`);
};

describe('crm pool rules show', () => {
  it('prints the rules as one JSON line, asking for nothing else', async () => {
    const run = await crm(['pool', 'rules', 'show'], { handler: settings });
    expect(run.code).toBe(0);
    expect(run.lines.map((l) => JSON.parse(l))).toEqual([rulesSet]);
    expect(run.seen.map(call)).toEqual(['GET /api/v1/pool-rules null']);
  });

  it('shows the company’s rules as a record and the departments’ overrides as a table', async () => {
    const run = await crm(['pool', 'rules', 'show'], { handler: settings, tty: true });
    const out = run.stdout;
    expect(out).toMatch(/Applies to\s+the whole company/);
    expect(out).toMatch(/Holding limit\s+50\n/);
    expect(out).toMatch(/Daily claim limit\s+none/);
    expect(out).toMatch(/Protection \(days\)\s+3/);
    expect(out).toMatch(/By level\s+A: no follow-up 30, no deal none; B: no follow-up as general, no deal 90/);
    expect(out).toMatch(/Won never returned\s+yes/);
    expect(out).toMatch(/Reminder \(days ahead\)\s+3/);
    expect(out).toMatch(/Roles that may claim\s+销售员/);
    expect(out).toMatch(/Department\s+Overrides/);
    expect(out).toMatch(/销售部\s+Holding limit 100; By level C: no follow-up 7, no deal as general/);
    expect(out).toMatch(/华东一组\s+Protection \(days\) none/);
  });

  it('speaks Chinese, 不限 for what is not set', async () => {
    const run = await crm(['pool', 'rules', 'show', '--lang', 'zh-CN'], { handler: settings, tty: true });
    const out = run.stdout;
    for (const line of [/客户数上限\s+50/, /每日领取上限\s+不限/, /保护期\(天\)\s+3/, /未跟进回收\(天\)\s+15/, /未成交回收\(天\)\s+不限/, /按级别\s+A：未跟进 30，未成交 不限；B：未跟进 同通用，未成交 90/]) {
      expect(out).toMatch(line);
    }
    for (const line of [/成交不回收\s+是/, /锁定不回收\s+是/, /提醒提前\(天\)\s+3/, /冷却期\(天\)\s+不限/, /可领取角色\s+销售员/]) expect(out).toMatch(line);
    expect(out).toMatch(/华东一组\s+保护期\(天\) 不限/);
  });
});

describe('crm pool rules set', () => {
  it('changes the company’s rules: reads them, changes the given ones and sends them whole', async () => {
    const run = await crm(
      ['pool', 'rules', 'set', '--holding-limit', 'none', '--daily-claim-limit', '20', '--no-follow-up-days', '10', '--no-deal-days', 'NONE', '--exempt-won', 'no', '--level', 'A=noDeal:60', '--level', 'B=default', '--level', 'C=noFollowUp:5,noDeal:none'],
      { handler: settings },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const sent = { ...company, holdingLimit: null, dailyClaimLimit: 20, returnNoFollowUpDays: 10, returnNoDealDays: null, exemptWon: false, byLevel: { A: { returnNoFollowUpDays: 30, returnNoDealDays: 60 }, C: { returnNoFollowUpDays: 5, returnNoDealDays: null } } };
    expect(run.seen.map(call)).toEqual(['GET /api/v1/picklists/level null', 'GET /api/v1/pool-rules null', `PUT /api/v1/pool-rules ${JSON.stringify(sent)}`]);
    expect(JSON.parse(run.lines[0]!)).toEqual(sent);
  });

  it('changes only the given rules over a department’s override', async () => {
    const run = await crm(['pool', 'rules', 'set', '--department', 'd-1', '--reminder-days', '2', '--level', 'C=noDeal:30'], { handler: settings });
    expect(run.code).toBe(0);
    expect(run.seen.map(call).at(-1)).toBe(
      `PUT /api/v1/pool-rules/departments/d-1 ${JSON.stringify({ holdingLimit: 100, byLevel: { C: { returnNoFollowUpDays: 7, returnNoDealDays: 30 } }, reminderDays: 2 })}`,
    );
    // Its own levels were there: the departments were not needed.
    expect(run.seen.some((r) => r.url.pathname === '/api/v1/departments')).toBe(false);
  });

  it('sends only the levels a department sets itself: the others it inherits day by day', async () => {
    const run = await crm(['pool', 'rules', 'set', '--department', 'd-2', '--level', 'A=noFollowUp:3'], { handler: settings });
    expect(run.code).toBe(0);
    // d-2 sits under d-1 (level C) under the company (levels A and B): neither is copied into d-2.
    expect(run.seen.at(-1)!.body).toEqual({ protectionDays: null, byLevel: { A: { returnNoFollowUpDays: 3 } } });
    expect(run.seen.some((r) => r.url.pathname === '/api/v1/departments')).toBe(false);
    const fresh = await crm(['pool', 'rules', 'set', '--department', 'd-9', '--holding-limit', '5'], { handler: settings });
    expect(fresh.seen.at(-1)!.body).toEqual({ holdingLimit: 5 });
  });

  it('says what changed on a terminal, naming the department', async () => {
    const run = await crm(['pool', 'rules', 'set', '--department', 'd-2', '--holding-limit', '30', '--lang', 'zh-CN'], { handler: settings, tty: true });
    expect(run.stdout).toContain('已修改部门「华东一组」的客户池规则。');
    expect(run.stdout).toMatch(/客户数上限\s+30/);
    expect(run.stdout).toMatch(/保护期\(天\)\s+不限/);
    const en = await crm(['pool', 'rules', 'set', '--cooldown-days', '7'], { handler: settings, tty: true });
    expect(en.stdout).toContain("✔ Changed the company's pool rules.");
    expect(en.stdout).toMatch(/Claim cooldown \(days\)\s+7/);
  });

  it.each([
    [[], 'error: Nothing to change: give at least one option.'],
    [['--holding-limit', '-1'], 'error: --holding-limit must be a whole number of at least 0: -1'],
    [['--holding-limit', 'lots'], 'error: --holding-limit must be a whole number of at least 0: lots'],
    [['--no-follow-up-days', '0'], 'error: --no-follow-up-days is malformed: >= 1'],
    [['--protection-days', '4000'], 'error: --protection-days is malformed: <= 3650'],
    [['--exempt-won', 'maybe'], 'error: --exempt-won must be one of yes, no: maybe'],
    [['--level', 'A'], 'error: --level must be LEVEL=noFollowUp:DAYS,noDeal:DAYS (DAYS a whole number or none), or LEVEL=default: A'],
    [['--level', 'A='], 'error: --level must be'],
    [['--level', '=noDeal:3'], 'error: --level must be'],
    [['--level', 'A=noCall:3'], 'error: --level must be'],
    [['--level', 'A=noDeal:x'], 'error: --level must be'],
    [['--level', 'A=noDeal:3,,'], 'error: --level must be'],
    [['--level', 'A=noDeal:0'], 'error: --level is malformed: >= 1'],
  ])('refuses %j before asking the server', async (args, message) => {
    const run = await crm(['pool', 'rules', 'set', ...args], { handler: settings });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain(message);
    expect(run.seen).toHaveLength(0);
  });

  it('refuses a level that is not a customer level, and says so in Chinese', async () => {
    const run = await crm(['pool', 'rules', 'set', '--level', 'VIP=noDeal:30'], { handler: settings });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toBe('error: --level must be one of A, B, C: VIP\n');
    expect(run.seen.map(call)).toEqual(['GET /api/v1/picklists/level null']);
    const zh = await crm(['pool', 'rules', 'set', '--level', 'A', '--lang', 'zh-CN'], { handler: settings });
    expect(zh.stderr).toMatch(/^错误：--level 应为 级别=noFollowUp:天数/);
  });

  it('sets who may claim', async () => {
    const some = await crm(['pool', 'rules', 'set', '--claim-roles', 'r-agent,r-manager'], { handler: settings });
    expect(some.seen.at(-1)!.body).toMatchObject({ claimRoleIds: ['r-agent', 'r-manager'] });
    const all = await crm(['pool', 'rules', 'set', '--claim-roles', 'all'], { handler: settings });
    expect(all.seen.at(-1)!.body).toMatchObject({ claimRoleIds: null });
  });

  it('exits by the server’s refusal', async () => {
    const handler: Handler = (request) => (request.method === 'PUT' ? problem(403, 'AUTH.FORBIDDEN', 'You may not do this') : settings(request));
    const run = await crm(['pool', 'rules', 'set', '--holding-limit', '5'], { handler });
    expect(run.code).toBe(ExitCode.AUTH);
    const gone = await crm(['pool', 'rules', 'set', '--department', 'd-9', '--holding-limit', '5'], {
      handler: (request) => (request.method === 'PUT' ? problem(404, 'DEPARTMENT.NOT_FOUND', 'No such department') : settings(request)),
    });
    expect(gone.code).toBe(ExitCode.NOT_FOUND);
  });

  it('resets a department to the rules above it', async () => {
    const run = await crm(['pool', 'rules', 'reset', 'd-2'], { handler: settings });
    expect(run.seen.map(call)).toEqual(['PUT /api/v1/pool-rules/departments/d-2 {}']);
    expect(JSON.parse(run.lines[0]!)).toEqual({ departmentId: 'd-2', rules: {} });
    const person = await crm(['pool', 'rules', 'reset', 'd-2'], { handler: settings, tty: true });
    expect(person.stdout).toContain('Removed the override of the department "华东一组": it follows the rules above it.');
  });
});

describe('crm pool pools', () => {
  it('lists the pools as NDJSON, or with their members on a terminal', async () => {
    const machine = await crm(['pool', 'pools', 'list'], { handler: settings });
    expect(machine.lines.map((l) => JSON.parse(l).id)).toEqual(['pp-1', 'pp-2']);
    expect(machine.seen).toHaveLength(1);
    const person = await crm(['pool', 'pools', 'list'], { handler: settings, tty: true });
    expect(person.lines[0]).toMatch(/Name\s+Default\s+Members\s+Claim rules\s+ID/);
    expect(person.stdout).toMatch(/默认公海\s+yes\s+everyone\s+pp-1/);
    expect(person.stdout).toMatch(/华东公海\s+华东一组, 李四\s+Daily claim limit 5\s+pp-2/);
    const zh = await crm(['pool', 'pools', 'list', '--lang', 'zh-CN'], { handler: settings, tty: true });
    expect(zh.stdout).toMatch(/默认公海\s+是\s+所有人/);
  });

  it('adds a pool with departments and users given by username or id', async () => {
    const run = await crm(['pool', 'pools', 'add', '--name', '华南公海', '--departments', 'd-1,d-2', '--users', 'li', '--users', 'u-1', '--default'], { handler: settings });
    expect(run.stderr).toBe('');
    expect(run.seen.map(call)).toEqual([
      'GET /api/v1/users null',
      'POST /api/v1/public-pools {"name":"华南公海","isDefault":true,"departmentIds":["d-1","d-2"],"userIds":["u-2","u-1"]}',
    ]);
    expect(JSON.parse(run.lines[0]!)).toMatchObject({ id: 'pp-3', name: '华南公海' });
    const person = await crm(['pool', 'pools', 'add', '--name', '华南公海'], { handler: settings, tty: true });
    expect(person.seen.map(call)[0]).toBe('POST /api/v1/public-pools {"name":"华南公海"}');
    expect(person.stdout).toContain('Added the public pool "华南公海" (pp-3).');
    expect(person.stdout).toMatch(/Members\s+everyone/);
  });

  it('refuses a pool without a name, or with a user nobody has', async () => {
    const unnamed = await crm(['pool', 'pools', 'add'], { handler: settings });
    expect(unnamed.code).toBe(ExitCode.USAGE);
    expect(unnamed.stderr).toContain('--name');
    expect(unnamed.seen).toHaveLength(0);
    const stranger = await crm(['pool', 'pools', 'add', '--name', 'X', '--users', 'zhao'], { handler: settings });
    expect(stranger.code).toBe(ExitCode.USAGE);
    expect(stranger.stderr).toBe('error: --users: no such user: zhao\n');
    expect(stranger.seen).toHaveLength(1);
  });

  it('edits only the given fields; none empties a member list', async () => {
    const run = await crm(['pool', 'pools', 'edit', 'pp-2', '--users', 'none', '--name', '华东二组公海'], { handler: settings, tty: true });
    expect(run.seen.map(call)[0]).toBe('PATCH /api/v1/public-pools/pp-2 {"name":"华东二组公海","userIds":[]}');
    expect(run.stdout).toContain('Changed the public pool "华东二组公海".');
    const nothing = await crm(['pool', 'pools', 'edit', 'pp-2'], { handler: settings });
    expect(nothing.code).toBe(ExitCode.USAGE);
    expect(nothing.seen).toHaveLength(0);
  });

  it('removes a pool, and exits 5 when it still holds customers', async () => {
    const run = await crm(['pool', 'pools', 'rm', 'pp-2'], { handler: settings });
    expect(run.seen.map(call)).toEqual(['DELETE /api/v1/public-pools/pp-2 null']);
    expect(JSON.parse(run.lines[0]!)).toEqual({ id: 'pp-2', deleted: true });
    const full = await crm(['pool', 'pools', 'rm', 'pp-2', '--lang', 'zh-CN'], { handler: () => problem(409, 'POOL.NOT_EMPTY', '公海池中还有客户，不能删除') });
    expect(full.code).toBe(ExitCode.CONFLICT);
    expect(full.stderr).toBe('错误：公海池中还有客户，不能删除\n');
  });
});
