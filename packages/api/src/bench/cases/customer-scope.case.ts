import BetterSqlite3 from 'better-sqlite3';
import type { HttpClient } from '../bench.http.js';
import type { BenchCase, BenchContext } from '../bench.types.js';

// A team of 200 users: 10 regions of 2 teams each, a sales manager (scope: department and below) per
// region and 19 agents per region, owning every private customer between them.
const REGIONS = 10;
const AGENTS_PER_REGION = 19;
const PASSWORD = 'bench-team-password';
const MANAGER = 'bench_mgr00';

let team: Promise<void> | undefined;

/** Builds the team once per bench database: users through the API, ownership set-based in SQL. */
function ensureTeam({ api, file }: BenchContext): Promise<void> {
  team ??= (async () => {
    const users = await api.json<{ items: { id: string; username: string }[] }>('GET', '/api/v1/users');
    const benchUsers = users.items.filter((u) => u.username.startsWith('bench_'));
    if (benchUsers.length < REGIONS * (AGENTS_PER_REGION + 1)) {
      const roles = await api.json<{ items: { id: string; key: string | null }[] }>('GET', '/api/v1/roles');
      const roleId = (key: string) => roles.items.find((r) => r.key === key)!.id;
      for (let r = 0; r < REGIONS; r++) {
        const region = await api.json<{ id: string }>('POST', '/api/v1/departments', { name: `区域${r}` });
        const teams = [
          await api.json<{ id: string }>('POST', '/api/v1/departments', { name: `区域${r}一组`, parentId: region.id }),
          await api.json<{ id: string }>('POST', '/api/v1/departments', { name: `区域${r}二组`, parentId: region.id }),
        ];
        const add = (username: string, role: string, departmentId: string) =>
          api.json('POST', '/api/v1/users', { username, displayName: username, password: PASSWORD, roleId: roleId(role), departmentId });
        await add(`bench_mgr${String(r).padStart(2, '0')}`, 'salesManager', region.id);
        for (let a = 0; a < AGENTS_PER_REGION; a++) await add(`bench_agent${r}_${a}`, 'agent', teams[a % 2]!.id);
      }
    }
    const db = new BetterSqlite3(file);
    try {
      db.pragma('busy_timeout = 30000');
      const owners = db.prepare("select id from users where username like 'bench\\_%' escape '\\' order by username").pluck().all() as string[];
      const owned = db.prepare("select count(*) from customers where owner_id in (select id from users where username like 'bench\\_%' escape '\\')").pluck().get() as number;
      if (owned === 0) {
        db.exec('create temp table bench_owner (n integer primary key, id text not null)');
        const insert = db.prepare('insert into bench_owner (n, id) values (?, ?)');
        owners.forEach((id, n) => insert.run(n, id));
        db.prepare("update customers set owner_id = (select id from bench_owner where n = customers.rowid % ?) where pool = 'private'").run(owners.length);
        db.exec('analyze customers');
      }
    } finally {
      db.close();
    }
  })();
  return team;
}

function pageCase(name: string, asManager: boolean): BenchCase {
  return {
    name,
    async setup(ctx) {
      await ensureTeam(ctx);
      let client: HttpClient | undefined;
      if (asManager) {
        const { token } = await ctx.api.json<{ token: string }>('POST', '/api/v1/auth/login', { username: MANAGER, password: PASSWORD });
        client = ctx.clientWith(token);
      }
      return { next: () => '/api/v1/customers?limit=50', ...(client ? { client } : {}) };
    },
  };
}

/** The same first page of 50, as the admin and as a sales manager who sees their region only. */
export const adminPageCase = pageCase('page of 50 as admin (200 owners)', false);
export const scopedPageCase = pageCase('page of 50 as dept-and-below manager', true);
