// A server killed in the middle of an import, for real: a child process running `crm serve` gets
// SIGKILL after some batches committed. The database must be whole, hold exactly the committed
// batches, and a restarted server must finish the job from there. Needs `npx tsc -b packages/cli`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/connect.js';
import { dialects } from '../test-support/harness.js';
import { csvFile, importQuery } from '../test-support/import-files.js';

const BIN = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const ADMIN_PASSWORD = 'resume-pass-1';
const ROWS = 30_000;
const DUPLICATES = 600;

/** A list of ROWS rows where the last DUPLICATES rows repeat numbers of earlier rows, and one bad row. */
function listFile(): Buffer {
  const rows: (string | null)[][] = [['姓名', '手机', '备注']];
  for (let i = 0; i < ROWS - DUPLICATES; i++) rows.push([`客户${i}`, `139${String(i).padStart(8, '0')}`, i === 1234 ? null : `第${i}行`]);
  for (let i = 0; i < DUPLICATES; i++) rows.push([`重复${i}`, `139${String(i * 7).padStart(8, '0')}`, null]);
  rows[5]![1] = '12345';
  return csvFile(rows);
}

interface Server {
  url: string;
  child: ChildProcess;
}

/** Starts `crm serve` on a free port and waits for it to say where it listens. */
function serve(db: string): Promise<Server> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('CRM_')) delete env[name];
  Object.assign(env, {
    CRM_DB: db,
    CRM_ADMIN_PASSWORD: ADMIN_PASSWORD,
    CRM_PASSWORD_COST: '10',
    CRM_IMPORT_BATCH_ROWS: '500',
    CRM_JOB_LEASE_SECONDS: '2',
    LANG: 'en_US.UTF-8',
  });
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const url = /https?:\/\/[\d.]+:\d+/.exec(out)?.[0];
      if (url) resolve({ url, child });
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

async function api(server: Server, token: string | null, method: string, path: string, body?: Uint8Array | object): Promise<any> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: BodyInit | undefined;
  if (body instanceof Uint8Array) payload = body;
  else if (body) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(`${server.url}${path}`, { method, headers, ...(payload ? { body: payload } : {}) });
  return res.json();
}

const killed = (child: ChildProcess) => new Promise<void>((resolve) => {
  child.once('exit', () => resolve());
  child.kill('SIGKILL');
});

describe.each(dialects)('an import resumed after its server was killed, on $name', (dialect) => {
  let dir: string;
  let db: { url: string; drop(): Promise<void> };
  let server: Server | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crm-resume-'));
    db = dialect.name === 'sqlite' ? { url: join(dir, 'crm.sqlite'), drop: async () => undefined } : await dialect.create();
  });
  afterEach(async () => {
    if (server && server.child.exitCode === null) await killed(server.child);
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('loses no committed batch, writes no half row, and finishes after a restart', async () => {
    server = await serve(db.url);
    const login = await api(server, null, 'POST', '/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    const started = await api(server, login.token, 'POST', `/api/v1/imports?${importQuery({ fileName: 'list.csv' })}`, listFile());
    expect(started.state).toBe('queued');

    // Kill the server once a few batches committed, in the middle of the job.
    let seen = started;
    while (seen.progress.rowsRead < 2000) seen = await api(server, login.token, 'GET', `/api/v1/imports/${started.id}`);
    await killed(server.child);

    const store = await openStore(db.url);
    try {
      if (dialect.name === 'sqlite') {
        const file = new BetterSqlite3(db.url);
        expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
        file.close();
      }
      const job = await store.db.selectFrom('jobs').selectAll().where('id', '=', started.id).executeTakeFirstOrThrow();
      const progress = typeof job.progress === 'string' ? JSON.parse(job.progress) : job.progress;
      const count = async (table: 'customers' | 'customer_phones' | 'import_changes' | 'import_failures') =>
        Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      expect(job.state).toBe('running');
      expect(job.cursor).toBeLessThan(ROWS + 1);
      expect(job.cursor % 500).toBe(1);
      // Exactly the committed batches: every customer with its number and its change record.
      expect(await count('customers')).toBe(progress.counts.created);
      expect(await count('customer_phones')).toBe(progress.counts.created);
      expect(await count('import_changes')).toBe(progress.counts.created);
      expect(await count('import_failures')).toBe(progress.counts.rejected + progress.counts.duplicateInFile);
      expect(progress.counts.rows).toBe(job.cursor - 1);
    } finally {
      await store.close();
    }

    server = await serve(db.url);
    const again = await api(server, null, 'POST', '/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    let done = await api(server, again.token, 'GET', `/api/v1/imports/${started.id}`);
    while (done.state === 'running' || done.state === 'queued') done = await api(server, again.token, 'GET', `/api/v1/imports/${started.id}`);
    expect(done).toMatchObject({
      state: 'done',
      counts: { rows: ROWS, created: ROWS - DUPLICATES - 1, duplicateInFile: DUPLICATES, rejected: 1, skipped: 0 },
    });
    const store2 = await openStore(db.url);
    try {
      const customers = await store2.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(customers.n)).toBe(ROWS - DUPLICATES - 1);
      const failures = await store2.db.selectFrom('import_failures').select(['row_number', 'code']).orderBy('row_number').execute();
      expect(failures).toHaveLength(DUPLICATES + 1);
      expect(failures[0]).toEqual({ row_number: 6, code: 'PHONE.INVALID' });
      expect(new Set(failures.slice(1).map((f) => f.code))).toEqual(new Set(['IMPORT.DUPLICATE_IN_FILE']));
    } finally {
      await store2.close();
    }
  }, 120_000);
});
