import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, dialects, type Harness } from '../../test-support/harness.js';
import { csvFile, importAndWait, readXlsx, startImport, xlsxFile } from '../../test-support/import-files.js';

const HEADER = ['客户名称', '手机', '公司', '来源', '标签', '备注'];

describe.each(dialects)('imports on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect, { env: { CRM_IMPORT_BATCH_ROWS: '3' } });
  });
  afterEach(async () => {
    await h.close();
  });

  const customers = async (token = h.adminToken, query = '') =>
    (await h.request('GET', `/api/v1/customers?limit=200${query}`, { token })).body.items as any[];
  const byPhone = async (phone: string) => (await h.request('GET', `/api/v1/customers/by-phone/${encodeURIComponent(phone)}`, { token: h.adminToken })).body;
  const addCustomer = async (body: object) => {
    const res = await h.request('POST', '/api/v1/customers', { token: h.adminToken, body });
    expect(res.status).toBe(201);
    return res.body;
  };
  const manager = async (username: string) => {
    const roles = await h.request('GET', '/api/v1/roles', { token: h.adminToken });
    const roleId = roles.body.items.find((r: { key: string }) => r.key === 'salesManager').id;
    const res = await h.request('POST', '/api/v1/users', {
      token: h.adminToken,
      body: { username, displayName: username, password: 'agent-pass-123', roleId },
    });
    return { id: res.body.id as string, token: await h.login(username, 'agent-pass-123') };
  };

  it('imports a csv: normalised numbers, names from numbers, tags, the importer as owner, counts and progress', async () => {
    const file = csvFile([
      HEADER,
      ['张三', '138 0013 8000', '华信科技', '展会', '老客户，高意向', '周末勿扰'],
      [null, '+86 139-0013-9000', null, null, null, null],
      ['李四', '１３７００１３７０００', '=cmd', '网络推广', null, null],
    ]);
    const job = await importAndWait(h, h.adminToken, file, { fileName: '名单.csv' });
    expect(job).toMatchObject({
      state: 'done',
      format: 'csv',
      encoding: 'utf-8',
      headerRow: 1,
      counts: { rows: 3, created: 3, updated: 0, skipped: 0, duplicateInFile: 0, rejected: 0, blocked: 0, blank: 0 },
      failures: 0,
      progress: { rowsRead: 4, fraction: 1 },
    });
    expect(job.columns.map((c: { target: string }) => c.target)).toEqual(['name', 'phones', 'company', 'source', 'tags', 'remark']);
    const me = await h.request('GET', '/api/v1/me', { token: h.adminToken });
    const zhang = await byPhone('13800138000');
    expect(zhang).toMatchObject({ name: '张三', company: '华信科技', source: '展会', tags: ['老客户', '高意向'].sort(), remark: '周末勿扰', pool: 'private', ownerId: me.body.id });
    expect((await byPhone('13900139000')).name).toBe('13900139000');
    expect((await byPhone('13700137000')).company).toBe('=cmd');
    // Quick search finds imported names through the gram index.
    expect((await customers(h.adminToken, `&q=${encodeURIComponent('张三')}`)).map((c) => c.name)).toEqual(['张三']);
  });

  it('puts new customers in the chosen pool without an owner', async () => {
    const job = await importAndWait(h, h.adminToken, csvFile([HEADER, ['王五', '13600136000', null, null, null, null]]), { fileName: 'a.csv', pool: 'public' });
    expect(job.state).toBe('done');
    expect(await byPhone('13600136000')).toMatchObject({ pool: 'public', ownerId: null });
  });

  it('reports duplicates within the file against the first row that carried the number', async () => {
    const file = csvFile([
      HEADER,
      ['A', '13800138000', null, null, null, null],
      ['B', '+8613800138000', null, null, null, null],
      ['C', '13900139000；13800138000', null, null, null, null],
      ['D', '13700137000', null, null, null, null],
      ['E', '0086 137 0013 7000', null, null, null, null],
    ]);
    const job = await importAndWait(h, h.adminToken, file, { fileName: 'dups.csv' });
    expect(job.counts).toMatchObject({ rows: 5, created: 2, duplicateInFile: 3 });
    const report = await h.download(`/api/v1/imports/${job.id}/failures`, { token: h.adminToken, headers: { 'accept-language': 'en' } });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toContain('spreadsheetml');
    const rows = await readXlsx(report.bytes);
    expect(rows[0]).toEqual([...HEADER, 'row', 'reason', 'field']);
    expect(rows.slice(1).map((r) => [r[0], r[6]])).toEqual([['B', 3], ['C', 4], ['E', 6]]);
    expect(rows[1]![7]).toBe('The number +8613800138000 repeats row 2 of the file');
    expect(rows[1]![8]).toBe('手机');
  });

  it.each([
    ['skip', { created: 1, skipped: 1, updated: 0 }, { company: '旧公司', remark: '旧备注' }, ['+8613800138000']],
    ['update', { created: 1, updated: 1 }, { company: '新公司', remark: '旧备注', source: '展会' }, ['+8613800138000', '+8613900139000']],
    ['fill', { created: 1, updated: 1 }, { company: '旧公司', remark: '旧备注', source: '展会' }, ['+8613800138000', '+8613900139000']],
  ])('duplicates of stored customers under %s', async (policy, counts, expected, phones) => {
    await addCustomer({ name: '老客户', company: '旧公司', remark: '旧备注', phones: [{ number: '13800138000' }] });
    const file = csvFile([
      HEADER,
      ['新名字', '13800138000, 13900139000', '新公司', '展会', null, null],
      ['新客户', '13700137000', null, null, null, null],
    ]);
    const job = await importAndWait(h, h.adminToken, file, { fileName: 'd.csv', duplicates: policy });
    expect(job.counts).toMatchObject(counts);
    const stored = await byPhone('13800138000');
    expect(stored).toMatchObject(expected);
    expect(stored.phones.map((p: { number: string }) => p.number)).toEqual(phones);
    expect(stored.name).toBe(policy === 'update' ? '新名字' : '老客户');
  });

  it('counts a duplicate that changes nothing as unchanged', async () => {
    await addCustomer({ name: '老客户', company: '同一家', phones: [{ number: '13800138000' }] });
    const job = await importAndWait(h, h.adminToken, csvFile([HEADER, ['老客户', '13800138000', '同一家', null, null, null]]), { fileName: 'u.csv', duplicates: 'update' });
    expect(job.counts).toMatchObject({ unchanged: 1, updated: 0, created: 0 });
  });

  it('never re-creates wrong or do-not-call numbers and reports recycle-bin duplicates as such', async () => {
    await addCustomer({ name: '错号', wrongNumber: true, phones: [{ number: '13800138000' }] });
    await addCustomer({ name: '勿扰', doNotCall: true, phones: [{ number: '13900139000' }] });
    const binned = await addCustomer({ name: '回收', phones: [{ number: '13700137000' }] });
    await h.request('DELETE', `/api/v1/customers/${binned.id}`, { token: h.adminToken });
    const file = csvFile([HEADER, ['a', '13800138000', null, null, null, null], ['b', '13900139000', null, null, null, null], ['c', '13700137000', null, null, null, null]]);
    const job = await importAndWait(h, h.adminToken, file, { fileName: 'x.csv', duplicates: 'update' });
    expect(job.counts).toMatchObject({ blocked: 2, skipped: 1, created: 0, updated: 0 });
    const report = await readXlsx((await h.download(`/api/v1/imports/${job.id}/failures`, { token: h.adminToken, headers: { 'accept-language': 'zh-CN' } })).bytes);
    expect(report[0]!.slice(-3)).toEqual(['行号', '原因', '字段']);
    expect(report.slice(1).map((r) => r[7])).toEqual([
      '号码 +8613800138000 已标记为空号/错号，不再导入',
      '号码 +8613900139000 已列入禁止拨打，不再导入',
      '号码 +8613700137000 属于回收站中的客户',
    ]);
  });

  it('rejects rows that break a rule, naming the column and the value, and imports the rest', async () => {
    const file = csvFile([
      HEADER,
      ['A', '12345', null, null, null, null],
      ['B', '13800138000', null, '百度', null, null],
      ['C', '13900139000', null, null, '不存在', null],
      ['D', null, '只有公司', null, null, null],
      ['E', '13700137000', null, '展会', '老客户', null],
    ]);
    const job = await importAndWait(h, h.adminToken, file, { fileName: 'bad.csv' });
    expect(job.counts).toMatchObject({ rows: 5, created: 1, rejected: 4 });
    const report = await readXlsx((await h.download(`/api/v1/imports/${job.id}/failures`, { token: h.adminToken, headers: { 'accept-language': 'en' } })).bytes);
    expect(report.slice(1).map((r) => [r[6], r[8]])).toEqual([[2, '手机'], [3, '来源'], [4, '标签'], [5, '手机']]);
    expect(report[2]![7]).toContain('"百度"');
  });

  it('accepts a picklist alias configured for a value', async () => {
    const values = await h.request('GET', '/api/v1/picklists/source', { token: h.adminToken });
    const online = values.body.items.find((v: { value: string }) => v.value === '网络推广');
    const set = await h.request('PATCH', `/api/v1/picklists/source/values/${online.id}`, { token: h.adminToken, body: { aliases: ['百度', '网推'] } });
    expect(set.status).toBe(200);
    expect(set.body.aliases).toEqual(['百度', '网推']);
    const clash = await h.request('PATCH', `/api/v1/picklists/source/values/${online.id}`, { token: h.adminToken, body: { aliases: ['展会'] } });
    expect(clash.status).toBe(409);
    const job = await importAndWait(h, h.adminToken, csvFile([HEADER, ['A', '13800138000', null, '百度', null, null]]), { fileName: 'a.csv' });
    expect(job.counts.created).toBe(1);
    expect((await byPhone('13800138000')).source).toBe('网络推广');
  });

  it('maps columns with overrides and reports the unmapped ones', async () => {
    const file = csvFile([['客户号', '称呼', '爱好'], ['13800138000', '张三', '钓鱼']]);
    const noPhone = await startImport(h, h.adminToken, file, { fileName: 'm.csv' });
    expect(noPhone.status).toBe(400);
    expect(noPhone.body.code).toBe('IMPORT.NO_PHONE_COLUMN');
    const job = await importAndWait(h, h.adminToken, file, { fileName: 'm.csv', map: ['客户号=phones', '2=name'] });
    expect(job.unmapped).toEqual(['爱好']);
    expect((await byPhone('13800138000')).name).toBe('张三');
    const bad = await startImport(h, h.adminToken, file, { fileName: 'm.csv', map: ['不存在=phones'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('map');
  });

  it('reads a file without a header row and an xlsx with a title above the header', async () => {
    const noHeader = await importAndWait(h, h.adminToken, csvFile([['13800138000', '张三']]), { fileName: 'n.csv', header: false, map: ['1=phones', '2=name'] });
    expect(noHeader).toMatchObject({ headerRow: null, counts: { created: 1 } });
    const xlsx = await xlsxFile([['2026 展会名单'], [], ['姓名', '电话', '下次跟进时间'], ['李四', 13900139000, new Date(Date.UTC(2026, 11, 3, 9, 30))]]);
    const job = await importAndWait(h, h.adminToken, xlsx, { fileName: 't.xlsx' });
    expect(job).toMatchObject({ format: 'xlsx', headerRow: 3, counts: { created: 1 } });
    expect(await byPhone('13900139000')).toMatchObject({ name: '李四', nextFollowUpAt: '2026-12-03T01:30:00.000Z' });
  });

  it('a dry run reports what would happen and writes no customer', async () => {
    await addCustomer({ name: '老客户', phones: [{ number: '13800138000' }] });
    const before = await customers();
    const file = csvFile([HEADER, ['A', '13800138000', 'x', null, null, null], ['B', '13900139000', null, null, null, null], ['C', '13900139000', null, null, null, null], ['D', '1', null, null, null, null]]);
    const job = await importAndWait(h, h.adminToken, file, { fileName: 'dry.csv', dryRun: true, duplicates: 'update' });
    expect(job).toMatchObject({ state: 'done', options: { dryRun: true }, counts: { created: 1, updated: 1, duplicateInFile: 1, rejected: 1 } });
    expect(await customers()).toEqual(before);
    const report = await readXlsx((await h.download(`/api/v1/imports/${job.id}/failures`, { token: h.adminToken })).bytes);
    expect(report).toHaveLength(3);
    const revert = await h.request('POST', `/api/v1/imports/${job.id}/revert`, { token: h.adminToken });
    expect(revert.status).toBe(409);
  });

  it('importing the same file twice with skip creates nothing the second time', async () => {
    const file = csvFile([HEADER, ...Array.from({ length: 10 }, (_, i) => [`客户${i}`, `1380013800${i}`, null, null, null, null])]);
    const first = await importAndWait(h, h.adminToken, file, { fileName: 'same.csv' });
    const second = await importAndWait(h, h.adminToken, file, { fileName: 'same.csv' });
    expect(first.counts.created).toBe(10);
    expect(second.counts).toMatchObject({ created: 0, skipped: 10 });
    expect(await customers()).toHaveLength(10);
  });

  it('reverts an import: deletes what it created and restores what it updated', async () => {
    const old = await addCustomer({ name: '老客户', company: '旧公司', tags: ['决策人'], phones: [{ number: '13800138000' }] });
    h.clock.advance(60_000);
    const file = csvFile([HEADER, ['新名字', '13800138000;13600136000', '新公司', '展会', '高意向', null], ['新客户', '13900139000', null, null, null, null]]);
    const job = await importAndWait(h, h.adminToken, file, { fileName: 'r.csv', duplicates: 'update' });
    expect(job.counts).toMatchObject({ created: 1, updated: 1 });
    h.clock.advance(60_000);
    const reverted = await h.request('POST', `/api/v1/imports/${job.id}/revert`, { token: h.adminToken });
    expect(reverted.status).toBe(200);
    expect(reverted.body).toMatchObject({ state: 'reverted' });
    expect(await customers()).toHaveLength(1);
    const restored = await byPhone('13800138000');
    expect(restored).toMatchObject({ id: old.id, name: '老客户', company: '旧公司', source: null, tags: ['决策人'] });
    expect(restored.phones.map((p: { number: string }) => p.number)).toEqual(['+8613800138000']);
    // The numbers are free again: the same file imports as new.
    const again = await importAndWait(h, h.adminToken, file, { fileName: 'r.csv' });
    expect(again.counts).toMatchObject({ created: 1, skipped: 1 });
    const twice = await h.request('POST', `/api/v1/imports/${job.id}/revert`, { token: h.adminToken });
    expect(twice.body.code).toBe('IMPORT.NOT_REVERTIBLE');
  });

  it('reverts an import once when asked twice at once, and lets an edit sent meanwhile win or wait', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => [`客户${i}`, `139001390${String(i).padStart(2, '0')}`, null, null, null, null]);
    const job = await importAndWait(h, h.adminToken, csvFile([HEADER, ...rows]), { fileName: 't.csv' });
    h.clock.advance(60_000);
    const one = await byPhone('13900139007');
    const [first, second, edit] = await Promise.all([
      h.request('POST', `/api/v1/imports/${job.id}/revert`, { token: h.adminToken }),
      h.request('POST', `/api/v1/imports/${job.id}/revert`, { token: h.adminToken }),
      h.request('PATCH', `/api/v1/customers/${one.id}`, { token: h.adminToken, body: { remark: '已联系' } }),
    ]);
    const left = await customers();
    if (edit.status === 200) {
      // The edit went first: the import's customers changed, so neither revert may delete them.
      expect([first.body.code, second.body.code]).toEqual(['IMPORT.REVERT_CONFLICT', 'IMPORT.REVERT_CONFLICT']);
      expect(left).toHaveLength(20);
    } else {
      // A revert went first: the edit found the customer gone, and the other revert found it reverted.
      expect(edit.status).toBe(404);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      expect([first.body.code, second.body.code]).toContain('IMPORT.NOT_REVERTIBLE');
      expect(left).toHaveLength(0);
    }
  });

  it('refuses to revert when a customer changed after the import, naming it and writing nothing', async () => {
    const job = await importAndWait(h, h.adminToken, csvFile([HEADER, ['A', '13800138000', null, null, null, null], ['B', '13900139000', null, null, null, null]]), { fileName: 'c.csv' });
    h.clock.advance(60_000);
    const edited = await byPhone('13900139000');
    await h.request('PATCH', `/api/v1/customers/${edited.id}`, { token: h.adminToken, body: { remark: '已联系' } });
    const before = await h.snapshot();
    const revert = await h.request('POST', `/api/v1/imports/${job.id}/revert`, { token: h.adminToken });
    expect(revert.status).toBe(409);
    expect(revert.body).toMatchObject({ code: 'IMPORT.REVERT_CONFLICT', params: { count: 1, customers: [edited.id] } });
    expect(await h.snapshot()).toBe(before);
  });

  it.each([
    ['an empty file', Buffer.alloc(0), 'e.csv', 400, 'IMPORT.FILE_EMPTY'],
    ['a header and no rows', csvFile([HEADER]), 'h.csv', 400, 'IMPORT.NO_DATA_ROWS'],
    ['a header and blank lines', Buffer.from('姓名,手机\r\n,\r\n\r\n'), 'b.csv', 400, 'IMPORT.NO_DATA_ROWS'],
    ['a picture', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]), 'p.png', 415, 'IMPORT.FORMAT_UNKNOWN'],
  ])('refuses %s before writing anything', async (_title, file, fileName, status, code) => {
    const before = await h.snapshot();
    const res = await startImport(h, h.adminToken, file, { fileName });
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect(await h.snapshot()).toBe(before);
  });

  it('refuses an upload over the cap with 413', async () => {
    const small = await createHarness(dialect, { env: { CRM_MAX_UPLOAD_BYTES: '2048' } });
    try {
      const file = csvFile([HEADER, ...Array.from({ length: 200 }, (_, i) => [`客户${i}`, `138${String(i).padStart(8, '0')}`, null, null, null, null])]);
      const res = await startImport(small, small.adminToken, file, { fileName: 'big.csv' });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('IMPORT.UPLOAD_TOO_LARGE');
    } finally {
      await small.close();
    }
  });

  it('refuses bad options naming the option', async () => {
    const res = await startImport(h, h.adminToken, csvFile([HEADER, ['A', '13800138000']]), { fileName: 'a.csv', pool: 'nowhere' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('query.pool');
  });

  it('is refused without the import permission, and jobs are seen by their owner and managers only', async () => {
    const agent = await h.agent('agent1');
    const denied = await startImport(h, agent.token, csvFile([HEADER, ['A', '13800138000']]), { fileName: 'a.csv' });
    expect(denied.status).toBe(403);
    const boss = await manager('boss');
    const peer = await manager('peer');
    const job = await importAndWait(h, boss.token, csvFile([HEADER, ['A', '13800138000']]), { fileName: 'a.csv' });
    expect(job.createdBy).toBe(boss.id);
    expect((await h.request('GET', `/api/v1/imports/${job.id}`, { token: peer.token })).status).toBe(404);
    expect((await h.request('GET', '/api/v1/imports', { token: peer.token })).body.items).toEqual([]);
    expect((await h.request('GET', `/api/v1/imports/${job.id}`, { token: h.adminToken })).status).toBe(200);
    expect((await h.request('GET', '/api/v1/imports', { token: boss.token })).body.items.map((j: { id: string }) => j.id)).toEqual([job.id]);
  });

  it('does not let an import change customers its importer may not change', async () => {
    const boss = await manager('boss');
    await addCustomer({ name: '别人的', company: '原样', phones: [{ number: '13800138000' }] });
    const job = await importAndWait(h, boss.token, csvFile([HEADER, ['A', '13800138000', '改掉', null, null, null]]), { fileName: 'a.csv', duplicates: 'update' });
    expect(job.counts).toMatchObject({ skipped: 1, updated: 0 });
    expect((await byPhone('13800138000')).company).toBe('原样');
  });

  it('refuses to map a column to a field the role may not write', async () => {
    const roles = await h.request('GET', '/api/v1/roles', { token: h.adminToken });
    const roleId = roles.body.items.find((r: { key: string }) => r.key === 'salesManager').id;
    await h.request('PATCH', `/api/v1/roles/${roleId}`, { token: h.adminToken, body: { fieldPermissions: { customer: { company: 'read' } } } });
    const boss = await manager('boss');
    const res = await startImport(h, boss.token, csvFile([HEADER, ['A', '13800138000', 'x']]), { fileName: 'a.csv' });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'AUTH.FIELD_READ_ONLY', errors: [{ field: 'company' }] });
  });

  it('lists imports newest first with a cursor', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) {
      h.clock.advance(1000);
      ids.push((await importAndWait(h, h.adminToken, csvFile([HEADER, ['A', `1380013800${i}`]]), { fileName: `${i}.csv` })).id);
    }
    const first = await h.request('GET', '/api/v1/imports?limit=2', { token: h.adminToken });
    const second = await h.request('GET', `/api/v1/imports?limit=2&cursor=${first.body.nextCursor}`, { token: h.adminToken });
    expect([...first.body.items, ...second.body.items].map((j: { id: string }) => j.id)).toEqual(ids.reverse());
    expect(second.body.nextCursor).toBeNull();
  });

  it('writes one audit entry when an import starts and one when it ends', async () => {
    const job = await importAndWait(h, h.adminToken, csvFile([HEADER, ['A', '13800138000']]), { fileName: 'a.csv' });
    const audit = await h.request('GET', `/api/v1/audit?entity=import&entityId=${job.id}`, { token: h.adminToken });
    expect(audit.body.items.map((e: { action: string }) => e.action).sort()).toEqual(['create', 'finish']);
  });

  it('replays a retried upload with the same Idempotency-Key instead of importing twice', async () => {
    const file = csvFile([HEADER, ['A', '13800138000']]);
    const first = await startImport(h, h.adminToken, file, { fileName: 'a.csv' }, { 'idempotency-key': 'k1' });
    const again = await startImport(h, h.adminToken, file, { fileName: 'a.csv' }, { 'idempotency-key': 'k1' });
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await h.request('GET', '/api/v1/imports', { token: h.adminToken })).body.items).toHaveLength(1);
  });
});

describe.each(dialects)('import jobs on $name', (dialect) => {
  it('cancels a queued import before it starts, and a cancelled import cannot be cancelled again', async () => {
    const h = await createHarness(dialect, { env: { CRM_JOBS: 'off' } });
    try {
      const started = await startImport(h, h.adminToken, csvFile([HEADER, ['A', '13800138000']]), { fileName: 'a.csv' });
      expect(started.body.state).toBe('queued');
      const cancelled = await h.request('POST', `/api/v1/imports/${started.body.id}/cancel`, { token: h.adminToken });
      expect(cancelled.body).toMatchObject({ state: 'cancelled', counts: { created: 0 } });
      const again = await h.request('POST', `/api/v1/imports/${started.body.id}/cancel`, { token: h.adminToken });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('IMPORT.NOT_CANCELLABLE');
      h.application.jobs.start();
      await h.application.jobs.idle();
      expect((await h.request('GET', '/api/v1/customers', { token: h.adminToken })).body.items).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('cancelling a running import keeps whole committed batches only', async () => {
    const h = await createHarness(dialect, { env: { CRM_JOBS: 'off', CRM_IMPORT_BATCH_ROWS: '10' } });
    try {
      const rows = Array.from({ length: 3000 }, (_, i) => [`客户${i}`, `138${String(i).padStart(8, '0')}`]);
      const started = await startImport(h, h.adminToken, csvFile([['姓名', '手机'], ...rows]), { fileName: 'a.csv' });
      h.application.jobs.start();
      // Cancel as soon as the first batch is reported committed. In-process requests on SQLite settle
      // without leaving the microtask queue: yield to the event loop so the job gets its turn.
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        const job = await h.request('GET', `/api/v1/imports/${started.body.id}`, { token: h.adminToken });
        if (job.body.counts.created > 0) break;
      }
      const cancelled = await h.request('POST', `/api/v1/imports/${started.body.id}/cancel`, { token: h.adminToken });
      expect(cancelled.body).toMatchObject({ state: 'cancelled' });
      await h.application.jobs.idle();
      const job = (await h.request('GET', `/api/v1/imports/${started.body.id}`, { token: h.adminToken })).body;
      const stored = await h.application.store.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const phones = await h.application.store.db.selectFrom('customer_phones').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(job.state).toBe('cancelled');
      expect(Number(stored.n)).toBe(job.counts.created);
      expect(Number(phones.n)).toBe(job.counts.created);
      expect(job.counts.created % 10).toBe(0);
      expect(job.counts.created).toBeLessThan(3000);
      // What did commit can be reverted.
      h.clock.advance(1000);
      const reverted = await h.request('POST', `/api/v1/imports/${started.body.id}/revert`, { token: h.adminToken });
      expect(reverted.body.state).toBe('reverted');
    } finally {
      await h.close();
    }
  });

  it('sends import.progress events to the importer only', async () => {
    const h = await createHarness(dialect, { env: { CRM_IMPORT_BATCH_ROWS: '2' } });
    try {
      const other = await h.agent('other');
      const me = await h.request('GET', '/api/v1/me', { token: h.adminToken });
      const otherActor = (await h.application.ctx.store.db.selectFrom('users').select('id').where('id', '=', other.id).executeTakeFirstOrThrow()).id;
      const seen: { mine: any[]; theirs: any[] } = { mine: [], theirs: [] };
      const base = { isAdmin: false, departmentId: null, roleId: null, dataScope: 'all' as const, permissions: [], fieldPermissions: {}, via: 'token' as const, keyId: null };
      const unsubscribeMine = h.application.hub.subscribe({ ...base, userId: me.body.id }, 0, (e) => seen.mine.push(e));
      const unsubscribeTheirs = h.application.hub.subscribe({ ...base, userId: otherActor }, 0, (e) => seen.theirs.push(e));
      const job = await importAndWait(h, h.adminToken, csvFile([HEADER, ...Array.from({ length: 5 }, (_, i) => [`c${i}`, `1380013800${i}`])]), { fileName: 'a.csv' });
      for (let i = 0; i < 50 && !seen.mine.some((e) => e.data.state === 'done'); i++) {
        h.application.hub.wake();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      unsubscribeMine();
      unsubscribeTheirs();
      const progress = seen.mine.filter((e) => e.type === 'import.progress');
      expect(progress.map((e) => e.data.importId)).toEqual(progress.map(() => job.id));
      expect(progress.map((e) => e.data.counts.created)).toEqual([2, 4, 5, 5]);
      expect(progress.at(-1).data.state).toBe('done');
      expect(seen.theirs.filter((e) => e.type === 'import.progress')).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
