import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POOL_RULES, type PoolRules } from '@telecrm/core';
import { runPoolReturns } from '../../services/pool-returns.service.js';
import { takeTurns } from '../../store/dialect.js';
import { createHarness, dialects, type Harness } from '../../test-support/harness.js';
import { csvFile, importAndWait } from '../../test-support/import-files.js';

const DAY = 24 * 3600_000;

describe.each(dialects)('return rules on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    // The tests move the clock weeks ahead: tokens must outlive that.
    h = await createHarness(dialect, { env: { CRM_TOKEN_TTL_HOURS: '10000' } });
  });
  afterEach(async () => {
    await h.close();
  });

  let phoneSeq = 0;
  const phone = () => `1370013${String(phoneSeq++).padStart(4, '0')}`;
  const setRules = async (rules: Partial<PoolRules>) => {
    const res = await h.request('PUT', '/api/v1/pool-rules', { token: h.adminToken, body: { ...DEFAULT_POOL_RULES, ...rules } });
    expect(res.status).toBe(200);
  };
  /** Customers of a fresh agent, imported to it now. */
  const agentWith = async (username: string, n: number) => {
    const agent = await h.agent(username);
    const file = csvFile([['姓名', '手机'], ...Array.from({ length: n }, (_, i) => [`${username}-${i}`, phone()])]);
    const job = await importAndWait(h, h.adminToken, file, { fileName: 'a.csv', pool: 'public' });
    const ids = (await h.application.store.db.selectFrom('import_changes').select('customer_id').where('job_id', '=', job.id).orderBy('row_number').execute()).map((r) => r.customer_id);
    const claimed = await h.request('POST', '/api/v1/customers/claim', { token: agent.token, body: { customerIds: ids } });
    expect(claimed.body.moved).toBe(n);
    return { ...agent, ids };
  };
  const run = (body: object = {}) => h.request('POST', '/api/v1/pool/returns', { token: h.adminToken, body });
  const poolOf = async (id: string) => (await h.request('GET', `/api/v1/customers/${id}`, { token: h.adminToken })).body.pool;

  it('returns customers without a follow-up after N days, warns K days before, and writes the journey', async () => {
    await setRules({ returnNoFollowUpDays: 7, reminderDays: 3 });
    const agent = await agentWith('a1', 2);
    const [quiet, followed] = agent.ids;
    h.clock.advance(5 * DAY);
    await h.application.store.db.updateTable('customers').set({ last_follow_up_at: h.clock.now().toISOString() }).where('id', '=', followed!).execute();

    const soon = await h.request('GET', '/api/v1/pool/about-to-return', { token: agent.token });
    expect(soon.body.items.map((d: { customerId: string; rule: string }) => [d.customerId, d.rule])).toEqual([[quiet, 'noFollowUp']]);
    const warned = await run();
    expect(warned.body).toMatchObject({ dryRun: false, returned: [], reminded: 1 });
    expect((await run()).body.reminded).toBe(0);

    h.clock.advance(2 * DAY);
    const dry = await run({ dryRun: true });
    expect(dry.body).toMatchObject({ dryRun: true, byRule: { noFollowUp: 1, noDeal: 0 }, returned: [{ customerId: quiet, ownerId: agent.id, rule: 'noFollowUp' }] });
    expect(await poolOf(quiet!)).toBe('private');
    const real = await run();
    expect(real.body.returned.map((d: { customerId: string }) => d.customerId)).toEqual([quiet]);
    expect(await poolOf(quiet!)).toBe('public');
    expect(await poolOf(followed!)).toBe('private');
    const journey = await h.request('GET', `/api/v1/customers/${quiet}/journey`, { token: h.adminToken });
    expect(journey.body.items.at(-1)).toMatchObject({ action: 'return', actorId: null, fromOwnerId: agent.id, toPool: 'public', rule: 'noFollowUp' });
    const events = await h.application.store.db.selectFrom('outbox').select(['type', 'recipient_id']).where('type', 'in', ['pool.returned', 'reminder.due']).execute();
    expect(events.map((e) => [e.type, e.recipient_id]).sort()).toEqual([['pool.returned', null], ['reminder.due', agent.id]]);
  });

  it('sends each of thousands of reminders to its own owner, in one run', async () => {
    await setRules({ returnNoFollowUpDays: 7, reminderDays: 3 });
    const first = await agentWith('a1', 1_500);
    const second = await agentWith('a2', 1_000);
    h.clock.advance(5 * DAY);
    expect((await run()).body.reminded).toBe(2_500);
    const sent = await h.application.store.db.selectFrom('outbox').select(['customer_id', 'recipient_id']).where('type', '=', 'reminder.due').execute();
    const ownerOf = new Map([...first.ids.map((id) => [id, first.id] as const), ...second.ids.map((id) => [id, second.id] as const)]);
    expect(sent).toHaveLength(2_500);
    expect(sent.filter((e) => e.recipient_id !== ownerOf.get(e.customer_id!))).toEqual([]);
  });

  it('never returns during protection, nor won or locked customers, and evaluates as of another time', async () => {
    await setRules({ returnNoDealDays: 10, protectionDays: 30 });
    const agent = await agentWith('a1', 3);
    const [plain, won, locked] = agent.ids;
    await h.application.store.db.updateTable('customers').set({ deal_status: 'won' }).where('id', '=', won!).execute();
    await h.application.store.db.updateTable('customers').set({ locked: 1 }).where('id', '=', locked!).execute();
    h.clock.advance(20 * DAY);
    expect((await run({ dryRun: true })).body.returned).toEqual([]);
    const later = await run({ dryRun: true, asOf: new Date(h.clock.now().getTime() + 11 * DAY).toISOString() });
    expect(later.body.returned.map((d: { customerId: string; rule: string }) => [d.customerId, d.rule])).toEqual([[plain, 'noDeal']]);
  });

  it('takes each level’s own days and each department’s rules and pool', async () => {
    await setRules({ returnNoFollowUpDays: 5, byLevel: { 'A 重点客户': { returnNoFollowUpDays: 30 } } });
    const east = (await h.request('POST', '/api/v1/departments', { token: h.adminToken, body: { name: '华东' } })).body.id;
    const eastPool = (await h.request('POST', '/api/v1/public-pools', { token: h.adminToken, body: { name: '华东公海', departmentIds: [east] } })).body.id;
    await h.request('PUT', `/api/v1/pool-rules/departments/${east}`, { token: h.adminToken, body: { returnNoFollowUpDays: 2 } });
    const plainAgent = await agentWith('a1', 2);
    await h.application.store.db.updateTable('customers').set({ level: 'A 重点客户' }).where('id', '=', plainAgent.ids[1]!).execute();
    const eastAgent = await agentWith('e1', 1);
    await h.request('PATCH', `/api/v1/users/${eastAgent.id}`, { token: h.adminToken, body: { departmentId: east } });

    h.clock.advance(3 * DAY);
    const third = await run();
    expect(third.body.returned.map((d: { customerId: string; publicPoolId: string }) => [d.customerId, d.publicPoolId])).toEqual([[eastAgent.ids[0], eastPool]]);
    h.clock.advance(3 * DAY);
    const sixth = await run();
    expect(sixth.body.returned.map((d: { customerId: string }) => d.customerId)).toEqual([plainAgent.ids[0]]);
    expect(await poolOf(plainAgent.ids[1]!)).toBe('private');
  });

  it('saves rules several managers send at once: each is answered, one of them is kept, each is in the audit log', async () => {
    const east = (await h.request('POST', '/api/v1/departments', { token: h.adminToken, body: { name: '华东' } })).body.id;
    const limits = [10, 20, 30, 40, 50, 60];
    const company = await Promise.all(
      limits.map((holdingLimit) => h.request('PUT', '/api/v1/pool-rules', { token: h.adminToken, body: { ...DEFAULT_POOL_RULES, holdingLimit } })),
    );
    const department = await Promise.all(
      limits.map((dailyClaimLimit) => h.request('PUT', `/api/v1/pool-rules/departments/${east}`, { token: h.adminToken, body: { dailyClaimLimit } })),
    );
    expect([...company, ...department].map((r) => r.status)).toEqual(limits.flatMap(() => [200, 200]));
    const saved = (await h.request('GET', '/api/v1/pool-rules', { token: h.adminToken })).body;
    expect(limits).toContain(saved.company.holdingLimit);
    expect(saved.departments).toEqual([{ departmentId: east, rules: { dailyClaimLimit: expect.any(Number) } }]);
    const audit = await h.request('GET', `/api/v1/audit?entity=poolRules&entityId=${east}`, { token: h.adminToken });
    expect(audit.body.items).toHaveLength(limits.length);
  });

  // Between servers on PostgreSQL; SQLite has one writer, a process's own connection.
  it.skipIf(dialect.name !== 'postgres')('runs one return run at a time: the schedule skips a round while one runs, a run asked for waits its turn', async () => {
    await setRules({ returnNoFollowUpDays: 5 });
    const agent = await agentWith('a1', 1);
    h.clock.advance(6 * DAY);
    let release!: () => void;
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    // Another server's run, holding the turn until released.
    const other = h.application.store.db.transaction().execute(async (trx) => {
      await takeTurns(trx, h.application.store.dialect, 'pool-returns');
      held();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await holding;
    const skipped = await runPoolReturns(h.application.ctx, { dryRun: false, skipIfRunning: true });
    expect(skipped.ok && skipped.value.returned).toEqual([]);
    let settled = false;
    const waiting = runPoolReturns(h.application.ctx, { dryRun: false }).then((r) => ((settled = true), r));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(settled).toBe(false);
    release();
    await other;
    const ran = await waiting;
    expect(ran.ok && ran.value.returned.map((d) => d.customerId)).toEqual(agent.ids);
  });

  it('shows a manager the holdings of the agents against the limit', async () => {
    await setRules({ holdingLimit: 50 });
    const agent = await agentWith('a1', 2);
    const res = await h.request('GET', '/api/v1/pool/holdings', { token: h.adminToken });
    expect(res.body.items.find((i: { userId: string }) => i.userId === agent.id)).toEqual({ userId: agent.id, name: 'a1', holding: 2, limit: 50 });
    const denied = await h.request('GET', '/api/v1/pool/holdings', { token: agent.token });
    expect(denied.status).toBe(403);
  });
});
