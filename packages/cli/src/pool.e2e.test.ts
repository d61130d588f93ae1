// `crm pool ...`: the real binary against a real server on a temporary SQLite file, an admin and an
// agent each logged in from a config home of their own. Needs `npx tsc -b packages/cli`.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '@telecrm/api';
import type { ImportJob, PoolEvent, PoolRules, User } from '@telecrm/core';
import type { AssignReport, Holding, MoveReport, ReturnRun } from './client/api-client.js';
import { ExitCode } from './output/exit-codes.js';
import { CRM_BIN as BIN, spawnCrm, type Run } from './test-support/spawn-crm.js';

const ADMIN_PASSWORD = 'secret-pass-1';
const AGENT_PASSWORD = 'agent-pass-1';

let dir: string;
let adminHome: string;
let agentHome: string;
let server: { url: string; close(): Promise<void> };
let agent: User;

const run = (home: string, args: string[], input = ''): Promise<Run> =>
  spawnCrm(args, { CRM_URL: server.url, XDG_CONFIG_HOME: home, LANG: 'en_US.UTF-8' }, input);
/** `crm ...args` as the admin. */
const admin = (...args: string[]) => run(adminHome, args);
/** `crm ...args` as the agent. */
const asAgent = (...args: string[]) => run(agentHome, args);

/** The one JSON line of a command that went well. */
function only<T>(result: Run): T {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = result.json<T>();
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

/** The customer the agent released. */
let released: string;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first with npx tsc -b packages/cli`);
  dir = await mkdtemp(join(tmpdir(), 'crm-pool-e2e-'));
  server = await startServer({ port: 0, host: '127.0.0.1', db: join(dir, 'crm.sqlite'), adminPassword: ADMIN_PASSWORD });
  adminHome = await mkdtemp(join(dir, 'admin-'));
  agentHome = await mkdtemp(join(dir, 'agent-'));
  expect((await run(adminHome, ['login', '-u', 'admin'], `${ADMIN_PASSWORD}\n`)).code).toBe(0);
  agent = only<User>(await admin('users', 'add', '--username', 'agent1', '--name', 'E2E Agent', '--password', AGENT_PASSWORD, '--json'));
  expect((await asAgent('login', '-u', 'agent1', '-p', AGENT_PASSWORD)).code).toBe(0);

  const file = join(dir, 'list.csv');
  await writeFile(file, '客户名称,手机\r\n公海一,13700137001\r\n公海二,13700137002\r\n公海三,13700137003\r\n公海四,13700137004\r\n', 'utf8');
  const job = only<ImportJob & { failureReport: string | null }>(await admin('import', file, '--pool', 'public'));
  expect(job.counts.created).toBe(4);
}, 20_000);

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('crm pool', () => {
  it('an agent claims the next two, releases one with a reason, and its journey tells so', async () => {
    const claim = only<MoveReport>(await asAgent('pool', 'claim', '--next', '2'));
    expect(claim.moved).toBe(2);
    expect(claim.results.map((r) => ({ ok: r.ok, ownerId: r.ownerId, pool: r.pool }))).toEqual([
      { ok: true, ownerId: agent.id, pool: 'private' },
      { ok: true, ownerId: agent.id, pool: 'private' },
    ]);
    const [first, second] = claim.results.map((r) => r.customerId);

    const release = only<MoveReport>(await asAgent('pool', 'release', first!, '--reason', '无意向'));
    expect(release).toMatchObject({ moved: 1, results: [{ customerId: first, ok: true, ownerId: null, pool: 'public' }] });
    const badReason = await asAgent('pool', 'release', second!, '--reason', '不想要');
    expect(badReason.code).toBe(ExitCode.USAGE);
    expect(badReason.stderr).toContain('--reason must be one of 无法联系, 无意向');

    const journey = await asAgent('pool', 'journey', first!, '--json');
    expect(journey.stderr).toBe('');
    // Oldest first: how it came in (the import), then what the agent did.
    const events = journey.json<PoolEvent>().slice(-2);
    expect(events.map((e) => e.action)).toEqual(['claim', 'release']);
    expect(events[0]).toMatchObject({ actorId: agent.id, fromPool: 'public', toPool: 'private', toOwnerId: agent.id });
    expect(events[1]).toMatchObject({ fromPool: 'private', toPool: 'public', fromOwnerId: agent.id, reason: '无意向' });
    released = first!;
  });

  it('the admin assigns a public customer to the agent by username', async () => {
    const customers = (await admin('customers', 'list', '--filter', '{"field":"pool","op":"eq","value":"public"}', '--json')).json<{ id: string }>();
    const target = customers.map((c) => c.id).find((id) => id !== released)!;
    const report = only<AssignReport>(await admin('pool', 'assign', '--to', 'agent1', '--strategy', 'round-robin', target));
    expect(report).toEqual({ assigned: [{ customerId: target, agentId: agent.id }], unplaced: [], skippedAgents: [], cursor: agent.id });
    const unknown = await admin('pool', 'assign', '--to', 'agent1,nobody', target);
    expect(unknown.code).toBe(ExitCode.USAGE);
    expect(unknown.stderr).toBe('error: --to: no such user: nobody\n');
  });

  it('a claim over the holding limit fails with exit code 5', async () => {
    const rules = only<PoolRules>(await admin('pool', 'rules', 'set', '--holding-limit', '1', '--no-follow-up-days', '1'));
    expect(rules).toMatchObject({ holdingLimit: 1, returnNoFollowUpDays: 1 });
    const holdings = (await admin('pool', 'holdings', '--json')).json<Holding>();
    expect(holdings.find((h) => h.userId === agent.id)).toEqual({ userId: agent.id, name: 'E2E Agent', holding: 2, limit: 1 });

    const over = await asAgent('pool', 'claim', '--next', '1');
    expect(over.code).toBe(ExitCode.CONFLICT);
    expect(over.stderr).toMatch(/^error: None of the 1 customers moved: At the holding limit \(2\/1 customers\)\n$/);
    expect(over.json<MoveReport>()[0]).toMatchObject({ moved: 0, results: [{ ok: false, error: { code: 'POOL.HOLDING_LIMIT' } }] });
  });

  it('a dry run of the return rules lists what would go back, and moves nothing', async () => {
    const later = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const preview = only<ReturnRun>(await admin('pool', 'return', '--dry-run', '--as-of', later, '--json'));
    expect(preview).toMatchObject({ dryRun: true, asOf: later, byRule: { noFollowUp: 2, noDeal: 0 }, reminded: 0 });
    expect(preview.returned.map((r) => ({ ownerId: r.ownerId, rule: r.rule }))).toEqual([
      { ownerId: agent.id, rule: 'noFollowUp' },
      { ownerId: agent.id, rule: 'noFollowUp' },
    ]);
    const holdings = (await admin('pool', 'holdings', '--json')).json<Holding>();
    expect(holdings.find((h) => h.userId === agent.id)!.holding).toBe(2);
  });
});
