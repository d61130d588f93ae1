// crm pool claim, release, validate, assign, transfer, journey, holdings, soon and return, in-process
// against a fake server.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AssignReport, DueCustomer, MoveReport, ReturnRun } from './client/api-client.js';
import { ExitCode } from './output/exit-codes.js';
import { aPoolEvent, aPublicPool, aUser } from './test-support/fixtures.js';
import { call, cliHarness, json, problem, type Handler } from './test-support/run-cli.js';

const { crm, loggedIn } = cliHarness();

beforeEach(() => loggedIn());

const users = [
  aUser(),
  aUser({ id: 'u-2', username: 'li', displayName: '李四', isAdmin: false }),
  aUser({ id: 'u-3', username: 'Wang', displayName: '王五', isAdmin: false }),
];
const pools = [aPublicPool(), aPublicPool({ id: 'pp-2', name: '华东公海', isDefault: false, departmentIds: ['d-1'] })];
const reasons = ['无法联系', '无意向', '号码错误', '已有供应商', '预算不足', '其他'].map((value, position) => ({
  id: `rr-${position}`,
  list: 'releaseReason',
  value,
  position,
  active: value !== '其他',
  color: null,
  aliases: [],
}));

const claimed = (id: string) => ({ customerId: id, ok: true, ownerId: 'u-2', pool: 'private' as const });
const refused = (id: string, code: string, message: string) => ({ customerId: id, ok: false, error: { code, message } });
const report = (...results: MoveReport['results']): MoveReport => ({ moved: results.filter((r) => r.ok).length, results });

/** The lists every pool command may read, then `routes` for what a test is about. */
const server =
  (routes: Record<string, unknown> = {}): Handler =>
  (request) => {
    const key = `${request.method} ${request.url.pathname}`;
    if (Object.hasOwn(routes, key)) {
      const answer = routes[key];
      return answer instanceof Response ? answer : json(answer);
    }
    if (key === 'GET /api/v1/users') return json({ items: users });
    if (key === 'GET /api/v1/public-pools') return json({ items: pools });
    if (key === 'GET /api/v1/picklists/releaseReason') return json({ items: reasons });
    return problem(404, 'REQUEST.ROUTE_NOT_FOUND', `No route ${key}`);
  };

describe('crm pool claim', () => {
  const two = report(claimed('c-1'), refused('c-2', 'POOL.WRONG_POOL', 'The customer is in the Private pool: this does not apply'));

  it('sends the listed ids and prints the report as one JSON line', async () => {
    const run = await crm(['pool', 'claim', 'c-1', 'c-2'], { handler: server({ 'POST /api/v1/customers/claim': two }) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.seen.map(call)).toEqual(['POST /api/v1/customers/claim {"customerIds":["c-1","c-2"]}']);
    expect(run.lines.map((l) => JSON.parse(l))).toEqual([two]);
  });

  it('claims the next N of a pool, narrowed by a view and a filter', async () => {
    const filter = '{"field":"source","op":"eq","value":"展会"}';
    const run = await crm(['pool', 'claim', '--next', '2', '--pool', 'pp-2', '--view', 'v-1', '--filter', filter], {
      handler: server({ 'POST /api/v1/customers/claim': report(claimed('c-1'), claimed('c-2')) }),
    });
    expect(run.code).toBe(0);
    expect(run.seen.map((r) => r.body)).toEqual([{ next: 2, poolId: 'pp-2', view: 'v-1', filter: JSON.parse(filter) }]);
  });

  it.each([
    [['c-1', '--next', '2'], 'error: Give customer IDs or --next N, not both.'],
    [[], 'error: Give customer IDs or --next N, not both.'],
    [['c-1', '--view', 'v-1'], 'error: --view goes with --next only.'],
    [['c-1', '--filter', '{}'], 'error: --filter goes with --next only.'],
    [['--next', '0'], 'error: --next must be a whole number from 1 to 1000: 0'],
    [['--next', 'two'], 'error: --next must be a whole number from 1 to 1000: two'],
    [['--next', '1001'], 'error: --next must be a whole number from 1 to 1000: 1001'],
    [['--next', '1', '--filter', '{'], 'error: --filter is not valid JSON'],
  ])('refuses %j before asking the server', async (args, message) => {
    const run = await crm(['pool', 'claim', ...args], { handler: server() });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain(message);
    expect(run.seen).toHaveLength(0);
  });

  it('draws each customer and a summary on a terminal', async () => {
    const run = await crm(['pool', 'claim', 'c-1', 'c-2'], { handler: server({ 'POST /api/v1/customers/claim': two }), tty: true });
    expect(run.code).toBe(0);
    expect(run.lines[0]).toMatch(/Customer ID\s+Result/);
    expect(run.stdout).toMatch(/c-1\s+claimed/);
    expect(run.stdout).toMatch(/c-2\s+The customer is in the Private pool: this does not apply/);
    // Not every customer moved: a warning, not a tick.
    expect(run.stdout).toContain('! Claimed 1 of 2 customers.');
    expect(run.stdout).not.toContain('{"');
    const all = await crm(['pool', 'claim', 'c-1'], { handler: server({ 'POST /api/v1/customers/claim': report(claimed('c-1')) }), tty: true });
    expect(all.stdout).toContain('✔ Claimed 1 of 1 customers.');
  });

  it('speaks Chinese on a terminal, the server’s messages included', async () => {
    const zh = report(claimed('c-1'), refused('c-2', 'POOL.DAILY_LIMIT', '今天领取的客户已达上限（5）'));
    const run = await crm(['pool', 'claim', 'c-1', 'c-2', '--lang', 'zh-CN'], { handler: server({ 'POST /api/v1/customers/claim': zh }), tty: true });
    expect(run.seen[0]!.headers.get('accept-language')).toBe('zh-CN');
    expect(run.lines[0]).toMatch(/客户 ID\s+结果/);
    expect(run.stdout).toMatch(/c-1\s+领取成功/);
    expect(run.stdout).toMatch(/c-2\s+今天领取的客户已达上限（5）/);
    expect(run.stdout).toContain('已领取 1 / 2 个客户。');
  });

  it('exits by the first failure when nothing moved, the report still on stdout', async () => {
    const none = report(refused('c-1', 'POOL.HOLDING_LIMIT', 'At the holding limit (1/1 customers)'), refused('c-2', 'POOL.DAILY_LIMIT', 'The daily claim limit (5) is reached'));
    const run = await crm(['pool', 'claim', 'c-1', 'c-2'], { handler: server({ 'POST /api/v1/customers/claim': none }) });
    expect(run.code).toBe(ExitCode.CONFLICT);
    expect(run.stderr).toBe('error: None of the 2 customers moved: At the holding limit (1/1 customers)\n');
    expect(JSON.parse(run.lines[0]!)).toEqual(none);
    const zh = await crm(['pool', 'claim', 'c-1', '--lang', 'zh-CN'], {
      handler: server({ 'POST /api/v1/customers/claim': report(refused('c-1', 'POOL.HOLDING_LIMIT', '已达客户数上限（1/1）')) }),
      tty: true,
    });
    expect(zh.code).toBe(ExitCode.CONFLICT);
    expect(zh.stderr).toBe('错误：1 个客户全部未成功：已达客户数上限（1/1）\n');
    const role = await crm(['pool', 'claim', 'c-1'], {
      handler: server({ 'POST /api/v1/customers/claim': report(refused('c-1', 'POOL.CLAIM_NOT_ALLOWED', 'Your role may not claim')) }),
    });
    expect(role.code).toBe(ExitCode.AUTH);
    const newer = await crm(['pool', 'claim', 'c-1'], {
      handler: server({ 'POST /api/v1/customers/claim': report(refused('c-1', 'POOL.SOMETHING_NEW', 'Not now')) }),
    });
    expect(newer.code).toBe(ExitCode.FAILURE);
  });

  it('is no failure when the public pool has nothing to claim', async () => {
    const run = await crm(['pool', 'claim', '--next', '5'], { handler: server({ 'POST /api/v1/customers/claim': report() }), tty: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('The public pool has no customer to claim.');
    const machine = await crm(['pool', 'claim', '--next', '5'], { handler: server({ 'POST /api/v1/customers/claim': report() }) });
    expect(machine.code).toBe(0);
    expect(JSON.parse(machine.lines[0]!)).toEqual({ moved: 0, results: [] });
  });

  it('exits by the code of a refused request', async () => {
    const run = await crm(['pool', 'claim', '--next', '1', '--pool', 'nope'], {
      handler: server({ 'POST /api/v1/customers/claim': problem(404, 'POOL.NOT_FOUND', 'No such public pool') }),
    });
    expect(run.code).toBe(ExitCode.NOT_FOUND);
    expect(run.stderr).toBe('error: No such public pool\n');
    expect(run.stdout).toBe('');
  });
});

describe('crm pool release and validate', () => {
  const released = report({ customerId: 'c-1', ok: true, ownerId: null, pool: 'public' }, { customerId: 'c-2', ok: true, ownerId: null, pool: 'public' });

  it('checks the reason against the release reasons, then sends ids, reason and pool', async () => {
    const run = await crm(['pool', 'release', 'c-1', 'c-2', '--reason', '无意向', '--pool', 'pp-2'], {
      handler: server({ 'POST /api/v1/customers/release': released }),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.seen.map(call)).toEqual([
      'GET /api/v1/picklists/releaseReason null',
      'POST /api/v1/customers/release {"customerIds":["c-1","c-2"],"reason":"无意向","poolId":"pp-2"}',
    ]);
    expect(JSON.parse(run.lines[0]!)).toEqual(released);
  });

  it('refuses a reason that is not an active release reason, listing them', async () => {
    const run = await crm(['pool', 'release', 'c-1', '--reason', '其他'], { handler: server() });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toBe('error: --reason must be one of 无法联系, 无意向, 号码错误, 已有供应商, 预算不足: 其他\n');
    expect(run.seen.map(call)).toEqual(['GET /api/v1/picklists/releaseReason null']);
  });

  it('needs ids and a reason', async () => {
    const noReason = await crm(['pool', 'release', 'c-1'], { handler: server() });
    expect(noReason.code).toBe(ExitCode.USAGE);
    expect(noReason.stderr).toBe('error: Give --reason.\n');
    const zh = await crm(['pool', 'release', 'c-1', '--lang', 'zh-CN'], { handler: server() });
    expect(zh.stderr).toBe('错误：请给出 --reason。\n');
    const noIds = await crm(['pool', 'release', '--reason', '无意向'], { handler: server() });
    expect(noIds.code).toBe(ExitCode.USAGE);
    expect(noIds.seen).toHaveLength(0);
  });

  it('says what was released on a terminal', async () => {
    const run = await crm(['pool', 'release', 'c-1', 'c-2', '--reason', '无意向'], { handler: server({ 'POST /api/v1/customers/release': released }), tty: true });
    expect(run.stdout).toMatch(/c-1\s+released/);
    expect(run.stdout).toContain('✔ Released 2 of 2 customers to the public pool.');
  });

  it('validates leads', async () => {
    const moved = report({ customerId: 'c-1', ok: true, ownerId: null, pool: 'pending' });
    const run = await crm(['pool', 'validate', 'c-1'], { handler: server({ 'POST /api/v1/customers/validate': moved }), tty: true });
    expect(run.seen.map(call)).toEqual(['POST /api/v1/customers/validate {"customerIds":["c-1"]}']);
    expect(run.stdout).toMatch(/c-1\s+validated/);
    expect(run.stdout).toContain('Moved 1 of 1 leads to the pending pool.');
    const zh = await crm(['pool', 'validate', 'c-1', '--lang', 'zh-CN'], { handler: server({ 'POST /api/v1/customers/validate': moved }), tty: true });
    expect(zh.stdout).toMatch(/c-1\s+已认定有效/);
    const wrong = await crm(['pool', 'validate', 'c-1'], {
      handler: server({ 'POST /api/v1/customers/validate': report(refused('c-1', 'POOL.WRONG_POOL', 'The customer is in the Private pool')) }),
    });
    expect(wrong.code).toBe(ExitCode.CONFLICT);
  });
});

describe('crm pool assign', () => {
  const assigned: AssignReport = {
    assigned: [
      { customerId: 'c-1', agentId: 'u-2' },
      { customerId: 'c-2', agentId: 'u-1' },
      { customerId: 'c-3', agentId: 'u-2' },
    ],
    unplaced: [{ customerId: 'c-4', error: { code: 'CUSTOMER.NOT_FOUND', message: 'No such customer' } }],
    skippedAgents: [{ agentId: 'u-3', reason: 'atLimit' }],
    cursor: 'u-2',
  };
  const assigning = server({ 'POST /api/v1/customers/assign': assigned });

  it('finds the agents by username or id with one call, then sends them in the order given', async () => {
    const run = await crm(['pool', 'assign', 'c-1', 'c-2', '--to', 'li,wang', '--to', 'u-1', '--strategy', 'Even'], { handler: assigning });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.seen.map(call)).toEqual([
      'GET /api/v1/users null',
      'POST /api/v1/customers/assign {"customerIds":["c-1","c-2"],"agentIds":["u-2","u-3","u-1"],"strategy":"even"}',
    ]);
    expect(JSON.parse(run.lines[0]!)).toEqual(assigned);
  });

  it('assigns a view, a filter or an import, round-robin unless told, in a scope', async () => {
    const view = await crm(['pool', 'assign', '--view', 'v-1', '--to', 'li'], { handler: assigning });
    expect(view.seen[1]!.body).toEqual({ view: 'v-1', agentIds: ['u-2'], strategy: 'round-robin' });
    const filter = await crm(['pool', 'assign', '--view', 'v-1', '--filter', '{"field":"pool","op":"eq","value":"pending"}', '--to', 'li', '--scope', 'team-a'], {
      handler: assigning,
    });
    expect(filter.seen[1]!.body).toEqual({
      view: 'v-1',
      filter: { field: 'pool', op: 'eq', value: 'pending' },
      agentIds: ['u-2'],
      strategy: 'round-robin',
      scope: 'team-a',
    });
    const imported = await crm(['pool', 'assign', '--import', 'imp-1', '--to', 'li', '--strategy', 'least-loaded'], { handler: assigning });
    expect(imported.seen[1]!.body).toEqual({ importId: 'imp-1', agentIds: ['u-2'], strategy: 'least-loaded' });
  });

  it.each([
    [['c-1', '--to', 'li', '--strategy', 'random'], 'error: --strategy must be one of round-robin, even, by-previous-owner, least-loaded, weighted: random'],
    [['c-1'], 'error: Give --to.'],
    [['c-1', '--to', ' , '], 'error: Give --to.'],
    [['--to', 'li'], 'error: Give one of: customer IDs, --view/--filter, or --import.'],
    [['c-1', '--import', 'imp-1', '--to', 'li'], 'error: Give one of: customer IDs, --view/--filter, or --import.'],
    [['--view', 'v-1', '--import', 'imp-1', '--to', 'li'], 'error: Give one of: customer IDs, --view/--filter, or --import.'],
    [['--filter', '{"field":1}', '--to', 'li'], '--filter'],
  ])('refuses %j before asking the server', async (args, message) => {
    const run = await crm(['pool', 'assign', ...args], { handler: assigning });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain(message);
    expect(run.seen).toHaveLength(0);
  });

  it('names the users it does not know and sends nothing', async () => {
    const run = await crm(['pool', 'assign', 'c-1', '--to', 'li,nobody,ghost'], { handler: assigning });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toBe('error: --to: no such user: nobody, ghost\n');
    expect(run.seen.map(call)).toEqual(['GET /api/v1/users null']);
    const zh = await crm(['pool', 'assign', 'c-1', '--to', 'nobody', '--lang', 'zh-CN'], { handler: assigning });
    expect(zh.stderr).toBe('错误：--to：没有这些用户：nobody\n');
  });

  it('shows the count per agent, what was not placed and who was skipped on a terminal', async () => {
    const run = await crm(['pool', 'assign', 'c-1', 'c-2', 'c-3', 'c-4', '--to', 'li,wang,admin'], { handler: assigning, tty: true });
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(run.lines[0]).toMatch(/Agent\s+Assigned\s+Note/);
    expect(out).toMatch(/李四\s+2/);
    expect(out).toMatch(/王五\s+0\s+at the holding limit/);
    expect(out).toMatch(/王经理\s+1/);
    expect(out.indexOf('李四')).toBeLessThan(out.indexOf('王五'));
    expect(out).toContain('! Assigned 3 customers, 1 not assigned (strategy round-robin).');
    expect(out).toContain('Customers not assigned:');
    expect(out).toMatch(/c-4\s+No such customer/);
    expect(out).toContain('! Agents skipped:');
    expect(out).toContain('王五: at the holding limit');
  });

  it('exits by the first reason when nothing was assigned', async () => {
    const none: AssignReport = {
      assigned: [],
      unplaced: [{ customerId: 'c-1', error: { code: 'POOL.HOLDING_LIMIT', message: 'At the holding limit' } }],
      skippedAgents: [{ agentId: 'u-2', reason: 'atLimit' }],
      cursor: null,
    };
    const run = await crm(['pool', 'assign', 'c-1', '--to', 'li'], { handler: server({ 'POST /api/v1/customers/assign': none }) });
    expect(run.code).toBe(ExitCode.CONFLICT);
    expect(run.stderr).toBe('error: None of the 1 customers was assigned: At the holding limit\n');
    expect(JSON.parse(run.lines[0]!)).toEqual(none);
    const zh = await crm(['pool', 'assign', 'c-1', '--to', 'li', '--lang', 'zh-CN'], { handler: server({ 'POST /api/v1/customers/assign': none }), tty: true });
    expect(zh.stdout).toMatch(/李四\s+0\s+已达客户数上限/);
  });
});

describe('crm pool transfer', () => {
  const moved = report({ customerId: 'c-1', ok: true, ownerId: 'u-2', pool: 'private' });
  const transferring = server({ 'POST /api/v1/customers/transfer': moved });

  it('moves listed customers, or everything one user holds, to a user named by username or id', async () => {
    const listed = await crm(['pool', 'transfer', 'c-1', '--to', 'li'], { handler: transferring });
    expect(listed.code).toBe(0);
    expect(listed.seen.map(call)).toEqual(['GET /api/v1/users null', 'POST /api/v1/customers/transfer {"customerIds":["c-1"],"toUserId":"u-2"}']);
    const handover = await crm(['pool', 'transfer', '--from', 'WANG', '--to', 'u-2'], { handler: transferring, tty: true });
    expect(handover.seen[1]!.body).toEqual({ fromUserId: 'u-3', toUserId: 'u-2' });
    expect(handover.stdout).toMatch(/c-1\s+transferred/);
    expect(handover.stdout).toContain('Transferred 1 of 1 customers.');
  });

  it('lists only the customers that did not move when a handover is large, and says how to see every one', async () => {
    const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `c-${from + i}`);
    const held = (failing: number) =>
      report(...ids(300 - failing).map(claimed), ...ids(failing, 1000).map((id) => refused(id, 'POOL.HOLDING_LIMIT', 'The holding limit is reached (300/300)')));
    const few = await crm(['pool', 'transfer', '--from', 'wang', '--to', 'li'], { handler: server({ 'POST /api/v1/customers/transfer': held(2) }), tty: true });
    expect(few.stdout).not.toMatch(/c-0\s/);
    expect(few.stdout).toMatch(/c-1000\s+The holding limit is reached/);
    expect(few.stdout).toMatch(/c-1001\s+The holding limit is reached/);
    expect(few.stdout).toContain('Of 300 customers only the 2 that did not move are listed; --json gives every one.');
    expect(few.stdout).toContain('Transferred 298 of 300 customers.');
    const many = await crm(['pool', 'transfer', '--from', 'wang', '--to', 'li'], { handler: server({ 'POST /api/v1/customers/transfer': held(250) }), tty: true });
    expect(many.stdout).toMatch(/c-1199\s/);
    expect(many.stdout).not.toMatch(/c-1200\s/);
    expect(many.stdout).toContain('Of 300 customers 250 did not move; the first 200 are listed; --json gives every one.');
    const all = await crm(['pool', 'transfer', '--from', 'wang', '--to', 'li'], { handler: server({ 'POST /api/v1/customers/transfer': held(0) }), tty: true });
    expect(all.stdout.trim()).toBe('✔ Transferred 300 of 300 customers.');
    const json = await crm(['pool', 'transfer', '--from', 'wang', '--to', 'li', '--json'], { handler: server({ 'POST /api/v1/customers/transfer': held(2) }) });
    expect(JSON.parse(json.lines[0]!).results).toHaveLength(300);
  });

  it.each([
    [['c-1'], 'error: Give --to.'],
    [['--to', 'li'], 'error: Give customer IDs or --from USER, not both.'],
    [['c-1', '--from', 'wang', '--to', 'li'], 'error: Give customer IDs or --from USER, not both.'],
  ])('refuses %j before asking the server', async (args, message) => {
    const run = await crm(['pool', 'transfer', ...args], { handler: transferring });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toBe(`${message}\n`);
    expect(run.seen).toHaveLength(0);
  });

  it('names an unknown user and sends nothing', async () => {
    const run = await crm(['pool', 'transfer', '--from', 'zhao', '--to', 'li'], { handler: transferring });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toBe('error: --from: no such user: zhao\n');
    expect(run.seen).toHaveLength(1);
  });

  it('is no failure when the user held nothing', async () => {
    const run = await crm(['pool', 'transfer', '--from', 'wang', '--to', 'li'], { handler: server({ 'POST /api/v1/customers/transfer': report() }), tty: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No customers to move.');
  });
});

describe('crm pool journey', () => {
  const events = [
    aPoolEvent({ id: 'ev-1', action: 'claim', fromPool: 'public', toPool: 'private', publicPoolId: 'pp-2', toOwnerId: 'u-2', actorId: 'u-2' }),
    aPoolEvent({ id: 'ev-2', action: 'return', fromPool: 'private', toPool: 'public', fromOwnerId: 'u-2', toOwnerId: null, actorId: null, rule: 'noFollowUp' }),
    aPoolEvent({ id: 'ev-3', action: 'release', fromPool: 'private', toPool: 'public', fromOwnerId: 'u-3', toOwnerId: null, actorId: 'u-3', reason: '无意向', publicPoolId: 'pp-9' }),
  ];
  const journey = server({ 'GET /api/v1/customers/c-1/journey': { items: events } });

  it('prints the events as NDJSON, asking for nothing else', async () => {
    const run = await crm(['pool', 'journey', 'c-1'], { handler: journey });
    expect(run.code).toBe(0);
    expect(run.lines.map((l) => JSON.parse(l))).toEqual(events);
    expect(run.seen.map(call)).toEqual(['GET /api/v1/customers/c-1/journey null']);
  });

  it('draws the moves in words on a terminal, with owner, actor and pool names', async () => {
    const run = await crm(['pool', 'journey', 'c-1'], { handler: journey, tty: true });
    expect(run.code).toBe(0);
    expect(run.lines[0]).toMatch(/Time\s+Action\s+Pool\s+Owner\s+Rule or reason\s+Who/);
    expect(run.stdout).toMatch(/claimed\s+Public pool \(华东公海\) → Private\s+— → 李四\s+李四/);
    expect(run.stdout).toMatch(/returned by rule\s+Private → Public pool \(默认公海\)\s+李四 → —\s+no follow-up\s+system/);
    // A pool it cannot name shows as the plain label.
    expect(run.stdout).toMatch(/released\s+Private → Public pool\s+王五 → —\s+无意向\s+王五/);
  });

  it('speaks Chinese', async () => {
    const run = await crm(['pool', 'journey', 'c-1', '--lang', 'zh-CN'], { handler: journey, tty: true });
    expect(run.lines[0]).toMatch(/时间\s+操作\s+客户池\s+负责人\s+规则\/原因\s+操作人/);
    expect(run.stdout).toMatch(/领取\s+公海（华东公海） → 跟进中\s+— → 李四/);
    expect(run.stdout).toMatch(/自动回收\s+跟进中 → 公海（默认公海）\s+李四 → —\s+未跟进\s+系统/);
    expect(run.stdout).toMatch(/放弃\s+跟进中 → 公海\s+王五 → —\s+无意向/);
  });

  it('says when there is no move yet, and exits 4 for a customer it cannot see', async () => {
    const empty = await crm(['pool', 'journey', 'c-2'], { handler: server({ 'GET /api/v1/customers/c-2/journey': { items: [] } }), tty: true });
    expect(empty.stdout).toContain('This customer has not moved between pools yet.');
    const missing = await crm(['pool', 'journey', 'c-9'], {
      handler: server({ 'GET /api/v1/customers/c-9/journey': problem(404, 'CUSTOMER.NOT_FOUND', 'No such customer') }),
    });
    expect(missing.code).toBe(ExitCode.NOT_FOUND);
    expect(missing.stderr).toBe('error: No such customer\n');
  });
});

describe('crm pool holdings and soon', () => {
  const holdings = [
    { userId: 'u-2', name: '李四', holding: 8, limit: 10 },
    { userId: 'u-3', name: '王五', holding: 10, limit: 10 },
    { userId: 'u-1', name: '王经理', holding: 3, limit: null },
  ];
  const due: DueCustomer[] = [{ customerId: 'c-1', name: '星辰科技', ownerId: 'u-2', rule: 'noDeal', dueAt: '2099-03-05T16:00:00.000Z', publicPoolId: 'pp-2' }];
  const handler = server({ 'GET /api/v1/pool/holdings': { items: holdings }, 'GET /api/v1/pool/about-to-return': { items: due } });

  it('lists holdings as NDJSON, or with a bar against the limit on a terminal', async () => {
    const machine = await crm(['pool', 'holdings'], { handler });
    expect(machine.lines.map((l) => JSON.parse(l))).toEqual(holdings);
    const person = await crm(['pool', 'holdings'], { handler, tty: true });
    expect(person.lines[0]).toMatch(/Agent\s+Holding\s+Limit\s+Used/);
    expect(person.stdout).toMatch(/李四\s+8\s+10\s+████████░░ 80%/);
    expect(person.stdout).toMatch(/王五\s+10\s+10\s+██████████ 100%/);
    expect(person.stdout).toMatch(/王经理\s+3\s+none\s*\n/);
    const zh = await crm(['pool', 'holdings', '--lang', 'zh-CN'], { handler, tty: true });
    expect(zh.stdout).toMatch(/王经理\s+3\s+不限/);
  });

  it('lists the customers about to return, within the days given', async () => {
    const machine = await crm(['pool', 'soon', '--within', '7'], { handler });
    expect(machine.seen.map(call)).toEqual(['GET /api/v1/pool/about-to-return?withinDays=7 null']);
    expect(JSON.parse(machine.lines[0]!)).toEqual(due[0]);
    const person = await crm(['pool', 'soon'], { handler, tty: true });
    expect(person.seen[0]!.url.search).toBe('');
    expect(person.lines[0]).toMatch(/Customer\s+Owner\s+Rule\s+Due\s+Public pool\s+ID/);
    expect(person.stdout).toMatch(/星辰科技\s+李四\s+no deal\s+2099-03-\d\d \d\d:\d\d\s+华东公海\s+c-1/);
    const bad = await crm(['pool', 'soon', '--within', '-1'], { handler });
    expect(bad.code).toBe(ExitCode.USAGE);
    expect(bad.seen).toHaveLength(0);
    const none = await crm(['pool', 'soon', '--lang', 'zh-CN'], { handler: server({ 'GET /api/v1/pool/about-to-return': { items: [] } }), tty: true });
    expect(none.stdout).toContain('近期没有将被回收的客户。');
  });
});

describe('crm pool return', () => {
  const run: ReturnRun = {
    asOf: '2025-03-10T00:00:00.000Z',
    dryRun: true,
    returned: [
      { customerId: 'c-1', name: '星辰科技', ownerId: 'u-2', rule: 'noFollowUp', dueAt: '2025-03-08T00:00:00.000Z', publicPoolId: 'pp-1' },
      { customerId: 'c-2', name: '远航物流', ownerId: 'u-3', rule: 'noDeal', dueAt: '2025-03-09T00:00:00.000Z', publicPoolId: 'pp-2' },
    ],
    byRule: { noFollowUp: 1, noDeal: 1 },
    reminded: 0,
  };

  it('previews as of a date, and prints the run as one JSON line', async () => {
    const result = await crm(['pool', 'return', '--dry-run', '--as-of', '2025-03-10'], { handler: server({ 'POST /api/v1/pool/returns': run }) });
    expect(result.code).toBe(0);
    expect(result.seen.map((r) => r.body)).toEqual([{ dryRun: true, asOf: new Date(2025, 2, 10).toISOString() }]);
    expect(JSON.parse(result.lines[0]!)).toEqual(run);
    const now = await crm(['pool', 'return', '--as-of', '2025-03-10T09:30:00+08:00'], { handler: server({ 'POST /api/v1/pool/returns': run }) });
    expect(now.seen[0]!.body).toEqual({ dryRun: false, asOf: '2025-03-10T01:30:00.000Z' });
    const plain = await crm(['pool', 'return'], { handler: server({ 'POST /api/v1/pool/returns': run }) });
    expect(plain.seen[0]!.body).toEqual({ dryRun: false });
  });

  it.each(['next week', '2025-02-30', '2025-3-1', '2025-03-10T25:00'])('refuses --as-of %j', async (value) => {
    const result = await crm(['pool', 'return', '--as-of', value], { handler: server() });
    expect(result.code).toBe(ExitCode.USAGE);
    expect(result.stderr).toContain('--as-of must be an ISO 8601 time');
    expect(result.seen).toHaveLength(0);
  });

  it('shows the counts per rule and the customers on a terminal, and the reminders of a real run', async () => {
    const dry = await crm(['pool', 'return', '--dry-run'], { handler: server({ 'POST /api/v1/pool/returns': run }), tty: true });
    expect(dry.stdout).toMatch(/Dry run: the rules as of \S+ \S+ would return 2 customers \(no follow-up 1, no deal 1\); nothing changed\./);
    expect(dry.stdout).toMatch(/星辰科技\s+李四\s+no follow-up\s+2025-03-0\d \d\d:\d\d\s+默认公海\s+c-1/);
    expect(dry.stdout).toMatch(/远航物流\s+王五\s+no deal/);
    expect(dry.stdout).not.toContain('reminders');
    const real = { ...run, dryRun: false, reminded: 3 };
    const zh = await crm(['pool', 'return', '--lang', 'zh-CN'], { handler: server({ 'POST /api/v1/pool/returns': real }), tty: true });
    expect(zh.stdout).toMatch(/已按 \S+ \S+ 的规则回收 2 个客户到公海（未跟进 1，未成交 1）。/);
    expect(zh.stdout).toMatch(/星辰科技\s+李四\s+未跟进/);
    expect(zh.stdout).toContain('已向负责人发送 3 条即将回收的提醒。');
  });

  it('needs the right to assign', async () => {
    const result = await crm(['pool', 'return'], { handler: server({ 'POST /api/v1/pool/returns': problem(403, 'AUTH.FORBIDDEN', 'You may not do this') }) });
    expect(result.code).toBe(ExitCode.AUTH);
  });
});
