import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, dialects, type Harness } from '../test-support/harness.js';
import { MATRIX, NOT_YET_IN_MATRIX, PERSONAS, type MatrixEntry, type Persona, type World } from './authz.matrix.js';

interface OpenApiOperation {
  operationId?: string;
  'x-permission'?: string;
}
const openapi = JSON.parse(readFileSync(new URL('../../../../openapi/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, OpenApiOperation>>;
};
const operations = Object.entries(openapi.paths).flatMap(([path, methods]) =>
  Object.entries(methods)
    .filter(([, op]) => typeof op === 'object' && op !== null && op.operationId)
    .map(([method, op]) => ({ path, method: method.toUpperCase(), operationId: op.operationId!, permission: op['x-permission'] })),
);
const operation = (operationId: string) => operations.find((o) => o.operationId === operationId);

describe('the authorization matrix', () => {
  it('decides every operation that takes a record id, either as a row or as not yet, with a reason', () => {
    const withId = operations.filter((o) => o.path.includes('{id}')).map((o) => o.operationId);
    const inMatrix = new Set(MATRIX.map((e) => e.operationId));
    const undecided = withId.filter((id) => !inMatrix.has(id) && !NOT_YET_IN_MATRIX[id]);
    expect(undecided).toEqual([]);
    expect(Object.keys(NOT_YET_IN_MATRIX).filter((id) => inMatrix.has(id))).toEqual([]);
    expect(Object.entries(NOT_YET_IN_MATRIX).filter(([, reason]) => reason.trim().length < 10)).toEqual([]);
    expect(Object.keys(NOT_YET_IN_MATRIX).filter((id) => !operation(id))).toEqual([]);
  });

  it('names each operation once, as openapi.json does, with every persona', () => {
    expect(new Set(MATRIX.map((e) => e.operationId)).size).toBe(MATRIX.length);
    for (const entry of MATRIX) {
      expect({ operationId: entry.operationId, method: entry.method, path: entry.path }).toEqual({
        operationId: entry.operationId,
        method: operation(entry.operationId)?.method,
        path: operation(entry.operationId)?.path,
      });
      expect(Object.keys(entry.expect).sort()).toEqual([...PERSONAS].sort());
      expect(entry.write).toBe(entry.method !== 'GET');
    }
  });
});

const fill = (path: string, params: Record<string, string>) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return encodeURIComponent(value);
  });

describe.each(dialects)('authorization matrix on $name', (dialect) => {
  let h: Harness;
  let world: World;

  beforeAll(async () => {
    h = await createHarness(dialect);
    const admin = h.adminToken;
    const roleList = (await h.request('GET', '/api/v1/roles', { token: admin })).body.items as { key: string | null; id: string }[];
    const role = (key: string) => roleList.find((r) => r.key === key)!.id;
    const department = async (name: string, parentId: string | null) => {
      const res = await h.request('POST', '/api/v1/departments', { token: admin, body: { name, parentId } });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      return res.body.id as string;
    };
    const east = await department('华东区', null);
    const shanghai = await department('上海组', east);
    const west = await department('华西区', null);
    const user = async (username: string, roleKey: string, departmentId: string | null) => {
      const res = await h.request('POST', '/api/v1/users', {
        token: admin,
        body: { username, displayName: username, password: 'matrix-pass-123', roleId: role(roleKey), departmentId },
      });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      return { id: res.body.id as string, token: await h.login(username, 'matrix-pass-123') };
    };
    let counter = 0;
    world = {
      request: (method, path, opts) => h.request(method, path, opts),
      adminToken: admin,
      departments: { east, shanghai, west },
      users: {
        owner: await user('owner_sh', 'agent', shanghai),
        peerAgent: await user('peer_sh', 'agent', shanghai),
        manager: await user('manager_east', 'salesManager', east),
        otherDepartmentAgent: await user('agent_west', 'agent', west),
        support: await user('support_1', 'support', null),
      },
      roles: {
        admin: role('admin'),
        generalManager: role('generalManager'),
        salesManager: role('salesManager'),
        agent: role('agent'),
        support: role('support'),
      },
      next: () => ++counter,
    };
  });

  afterAll(async () => {
    await h?.close();
  });

  /** An owner's key that holds one permission the operation does not need. */
  const keyWithout = async (permission: string | undefined) => {
    const permissions = [permission === 'users.view' ? 'customers.view' : 'users.view'];
    const res = await h.request('POST', '/api/v1/keys', { token: world.users.owner.token, body: { name: `without ${permission}`, permissions } });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    const secret = res.body.secret as string;
    // The first use stamps last_used_at; do it now so it is not mistaken for a write of the refused call.
    await h.request('GET', '/api/v1/me', { token: secret });
    return secret;
  };

  it.each(MATRIX.map((e) => [e.operationId, e] as const))('%s', async (_name, entry: MatrixEntry) => {
    const key = await keyWithout(operation(entry.operationId)?.permission);
    const tokenOf = (persona: Persona): string | undefined =>
      persona === 'anonymous' ? undefined : persona === 'keyWithoutPermission' ? key : world.users[persona].token;
    const disagreements: string[] = [];
    for (const persona of PERSONAS) {
      const target = await entry.setup(world);
      const expected = entry.expect[persona];
      const denied = expected >= 400;
      const before = entry.write && denied ? await h.snapshot() : undefined;
      const res = await h.request(entry.method, fill(entry.path, target.params), { token: tokenOf(persona), body: target.body });
      if (res.status !== expected) {
        disagreements.push(`${persona}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`);
      }
      if (before !== undefined && (await h.snapshot()) !== before) {
        disagreements.push(`${persona}: a refused ${entry.method} changed the database`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});
