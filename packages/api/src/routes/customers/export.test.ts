import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { sql } from 'kysely';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DANGEROUS_CELL_START, cleanText } from '@telecrm/core';
import { createHarness, dialects, type Harness } from '../../test-support/harness.js';
import { readXlsx } from '../../test-support/import-files.js';
import { listen } from '../../http/listen.js';

describe.each(dialects)('exportCustomers on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  const add = async (body: object, token = h.adminToken) => {
    const res = await h.request('POST', '/api/v1/customers', { token, body });
    expect(res.status).toBe(201);
    return res.body;
  };
  const exportFile = (query: string, token = h.adminToken, lang = 'zh-CN') =>
    h.download(`/api/v1/customers/export?${query}`, { token, headers: { 'accept-language': lang } });
  const csvRows = (text: string) => Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { skipEmptyLines: true }).data;
  const role = async (key: string) => (await h.request('GET', '/api/v1/roles', { token: h.adminToken })).body.items.find((r: { key: string }) => r.key === key);
  const user = async (username: string, roleKey: string, departmentId: string | null = null) => {
    const roleId = (await role(roleKey)).id;
    const res = await h.request('POST', '/api/v1/users', { token: h.adminToken, body: { username, displayName: `名-${username}`, password: 'agent-pass-123', roleId, departmentId } });
    return { id: res.body.id as string, token: await h.login(username, 'agent-pass-123') };
  };

  it('writes an xlsx with headers, labels, names and times people read, formulas neutralised', async () => {
    await h.request('POST', '/api/v1/fields', { token: h.adminToken, body: { key: 'budget', label: '预算', type: 'number' } });
    await add({
      name: '张三',
      company: '=HYPERLINK("http://evil")',
      phones: [{ number: '13800138000' }, { number: '010-62345678' }],
      tags: ['老客户', '高意向'],
      remark: '+1 回访',
      custom: { budget: 1200.5 },
      nextFollowUpAt: '2026-11-22T06:30:00.000Z',
    });
    const res = await exportFile('format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; .*filename\*=UTF-8''/);
    const [header, row] = await readXlsx(res.bytes);
    const cell = (label: string) => row![header!.indexOf(label)];
    expect(header!.slice(0, 3)).toEqual(['客户名称', '电话', '公司']);
    expect(header).toContain('预算');
    expect(cell('客户名称')).toBe('张三');
    expect(cell('公司')).toBe(`'=HYPERLINK("http://evil")`);
    expect(cell('备注')).toBe("'+1 回访");
    expect(cell('电话')).toBe('13800138000, 01062345678');
    expect(cell('标签')).toBe('老客户, 高意向');
    expect(cell('客户池')).toBe('跟进中');
    expect(cell('负责人')).toBe('管理员');
    expect(cell('下次跟进时间')).toBe('2026-11-22 14:30:00');
    expect(cell('预算')).toBe(1200.5);
  });

  it('writes csv as UTF-8 with a BOM or as GB18030, in the chosen columns', async () => {
    await add({ name: '李四', company: '北京,朝阳 "分公司"', phones: [{ number: '13900139000' }] });
    const utf8 = await exportFile('format=csv&fields=name,company,phones', h.adminToken, 'en');
    expect(utf8.headers.get('content-type')).toContain('text/csv');
    expect([...utf8.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csvRows(utf8.bytes.toString('utf8'))).toEqual([['Name', 'Company', 'Phones'], ['李四', '北京,朝阳 "分公司"', '13900139000']]);
    const gb = await exportFile('format=csv&encoding=gb18030&fields=name,company', h.adminToken, 'zh-CN');
    expect(gb.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(csvRows(new TextDecoder('gb18030').decode(gb.bytes))).toEqual([['客户名称', '公司'], ['李四', '北京,朝阳 "分公司"']]);
  });

  it('exports every customer of a large selection once, following the view or filter', async () => {
    for (let i = 0; i < 25; i++) await add({ name: `客户${i}`, source: i % 2 ? '展会' : '广告', phones: [{ number: `1380013${String(8000 + i)}` }] });
    const filter = encodeURIComponent(JSON.stringify({ field: 'source', op: 'eq', value: '展会' }));
    const rows = csvRows((await exportFile(`format=csv&fields=name&filter=${filter}`)).bytes.toString('utf8'));
    expect(rows.slice(1).map((r) => r[0]).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `客户${i * 2 + 1}`).sort());
    const view = await h.request('POST', '/api/v1/views', {
      token: h.adminToken,
      body: { name: '广告', filter: { field: 'source', op: 'eq', value: '广告' }, columns: ['phones', 'name'] },
    });
    const byView = csvRows((await exportFile(`format=csv&view=${view.body.id}`)).bytes.toString('utf8'));
    expect(byView[0]).toEqual(['电话', '客户名称']);
    expect(byView).toHaveLength(14);
  });

  it('answers other requests while a long export streams, over real HTTP', async () => {
    const now = h.clock.now().toISOString();
    await sql`insert into customers (id, name, pool, custom, created_at, updated_at)
      with recursive n (i) as (select 1 union all select i + 1 from n where i < 30000)
      select 'e' || i, 'e' || i, 'public', '{}', ${now}, ${now} from n`.execute(h.application.store.db);
    const server = await listen(h.application.app.fetch, 0, '127.0.0.1');
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const headers = { authorization: `Bearer ${h.adminToken}` };
      const exported = await fetch(`${base}/api/v1/customers/export?format=csv&fields=name`, { headers });
      const reader = exported.body!.getReader();
      let received = 0;
      let ended = false;
      const reading = (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return void (ended = true);
          received += value.length;
        }
      })();
      // Sent once the export has begun; answered between its pages, long before its end.
      const me = await fetch(`${base}/api/v1/me`, { headers });
      expect(me.status).toBe(200);
      const whenAnswered = { ended, received };
      await reading;
      expect(whenAnswered.ended).toBe(false);
      expect(whenAnswered.received).toBeLessThan(received / 2);
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });

  it('exports only what the caller may see, without the fields their role hides, and only with the permission', async () => {
    const dept = await h.request('POST', '/api/v1/departments', { token: h.adminToken, body: { name: '华东' } });
    const manager = await user('boss', 'salesManager', dept.body.id);
    const agent = await user('agent', 'agent', dept.body.id);
    await add({ name: '部门的', company: '可见公司', phones: [{ number: '13800138001' }] }, agent.token);
    await add({ name: '别处的', phones: [{ number: '13800138002' }] });
    const denied = await exportFile('format=csv', agent.token);
    expect(denied.status).toBe(403);
    const salesManager = await role('salesManager');
    await h.request('PATCH', `/api/v1/roles/${salesManager.id}`, { token: h.adminToken, body: { fieldPermissions: { customer: { company: 'hidden' } } } });
    const rows = csvRows((await exportFile('format=csv', manager.token)).bytes.toString('utf8'));
    expect(rows[0]).not.toContain('公司');
    expect(rows.slice(1).map((r) => r[0])).toEqual(['部门的']);
    expect(rows.flat().join()).not.toContain('可见公司');
    const asked = await h.request('GET', '/api/v1/customers/export?format=csv&fields=name,company', { token: manager.token });
    expect(asked.status).toBe(400);
    expect(asked.body.errors[0].field).toBe('fields');
  });

  it('records every export in the audit log with its count', async () => {
    await add({ name: 'A', phones: [{ number: '13800138001' }] });
    await exportFile('format=csv');
    const audit = await h.request('GET', '/api/v1/audit?entity=customer', { token: h.adminToken });
    const entry = audit.body.items.find((e: { action: string }) => e.action === 'export');
    expect(entry.changes.exported.after).toMatchObject({ count: 1, format: 'csv' });
  });

  it('neutralises every formula-like text through a real export and keeps its value (property)', async () => {
    const dangerous = fc.tuple(fc.constantFrom(...DANGEROUS_CELL_START), fc.string({ maxLength: 12 })).map(([c, s]) => c + s);
    const texts = fc.sample(fc.oneof(fc.string({ maxLength: 12 }), dangerous), { numRuns: 30, seed: 42 });
    for (const [i, text] of texts.entries()) {
      await add({ name: `c${i}`, remark: text, phones: [{ number: `1380013${String(8000 + i)}` }] });
    }
    const rows = csvRows((await exportFile('format=csv&fields=name,remark')).bytes.toString('utf8')).slice(1);
    for (const [name, remark] of rows) {
      const stored = cleanText(texts[Number(name!.slice(1))]) ?? '';
      expect((DANGEROUS_CELL_START as readonly string[]).includes(remark![0] ?? '')).toBe(false);
      expect(remark === stored || remark === `'${stored}`).toBe(true);
    }
  });
});
