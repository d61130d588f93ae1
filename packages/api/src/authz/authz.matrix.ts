/**
 * The authorization matrix: for every operation that acts on one record, the HTTP status each kind of
 * caller gets. It is data, so an issue that adds an operation adds its row here (or, with a reason, to
 * NOT_YET_IN_MATRIX); authz.matrix.test.ts drives every row against a real app on every dialect and
 * proves that each refused write changed nothing.
 */

import { letOthersRun } from '../shared/turns.js';

/** The callers every row is tried as. */
export const PERSONAS = [
  // An agent (销售员) in 上海组 who owns the record.
  'owner',
  // Another agent in 上海组.
  'peerAgent',
  // A sales manager (销售经理) of 华东区, the department above 上海组.
  'manager',
  // An agent in 华西区.
  'otherDepartmentAgent',
  // A support user (客服): sees every customer, reads only.
  'support',
  // An API key of the owner whose permissions leave out the operation's x-permission.
  'keyWithoutPermission',
  // No credentials at all.
  'anonymous',
] as const;
export type Persona = (typeof PERSONAS)[number];

/** The user-backed personas (the key belongs to the owner; anonymous has no user). */
export type UserPersona = Exclude<Persona, 'keyWithoutPermission' | 'anonymous'>;

export interface MatrixResponse {
  status: number;
  body: any;
}

/** What a row's setup may use: the departments, the users and an administrator to arrange records. */
export interface World {
  request(method: string, path: string, opts?: { token?: string; body?: unknown; rawBody?: Uint8Array }): Promise<MatrixResponse>;
  adminToken: string;
  departments: { east: string; shanghai: string; west: string };
  users: Record<UserPersona, { id: string; token: string }>;
  roles: Record<'admin' | 'generalManager' | 'salesManager' | 'agent' | 'support', string>;
  /** A number not used before in this world, for unique names and phone numbers. */
  next(): number;
}

/** The record a cell acts on: the path parameters and, for writes, the body sent. */
export interface Target {
  params: Record<string, string>;
  body?: unknown;
}

export interface MatrixEntry {
  operationId: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As in openapi.json, with `{id}`-style parameters filled from the target's params. */
  path: string;
  /** Whether the operation writes: every refused write must leave every table unchanged. */
  write: boolean;
  /** Makes a fresh target; called once per persona, so allowed destructive calls never share a record. */
  setup: (world: World) => Promise<Target>;
  /** The exact status each persona gets: 2xx allowed, 401 unauthenticated, 403 not permitted, 404 not visible. */
  expect: Record<Persona, number>;
}

/** Operations with a record id that the matrix does not decide yet, each with why. */
export const NOT_YET_IN_MATRIX: Record<string, string> = {
};

const ok = (w: World, res: MatrixResponse, what: string): any => {
  if (res.status < 200 || res.status > 299) throw new Error(`setup: ${what} failed with ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
};

/** A customer owned by the owner, with a phone number of its own. */
async function ownersCustomer(w: World): Promise<{ id: string; phone: string }> {
  const n = w.next();
  const phone = `1390000${String(n).padStart(4, '0')}`;
  const body = ok(
    w,
    await w.request('POST', '/api/v1/customers', { token: w.users.owner.token, body: { name: `矩阵客户${n}`, phones: [{ number: phone }] } }),
    'create customer',
  );
  return { id: body.id, phone };
}

async function ownersDeletedCustomer(w: World): Promise<{ id: string }> {
  const { id } = await ownersCustomer(w);
  ok(w, await w.request('DELETE', `/api/v1/customers/${id}`, { token: w.users.owner.token }), 'delete customer');
  return { id };
}

/** A personal (not shared) view of the owner. */
async function ownersView(w: World): Promise<{ id: string }> {
  const body = ok(w, await w.request('POST', '/api/v1/views', { token: w.users.owner.token, body: { name: `矩阵视图${w.next()}` } }), 'create view');
  return { id: body.id };
}

/**
 * An ended import of the manager's (agents hold no customers.import), waited for so that no job is
 * still writing when a refused call's snapshot is taken.
 */
async function managersImport(w: World): Promise<{ id: string }> {
  const n = w.next();
  const file = new TextEncoder().encode(`姓名,手机\r\n矩阵导入${n},1370000${String(n).padStart(4, '0')}\r\n坏行,12345\r\n`);
  const started = ok(w, await w.request('POST', '/api/v1/imports?fileName=m.csv&pool=public', { token: w.users.manager.token, rawBody: file }), 'start import');
  for (;;) {
    await letOthersRun();
    const job = ok(w, await w.request('GET', `/api/v1/imports/${started.id}`, { token: w.users.manager.token }), 'get import');
    if (job.state !== 'queued' && job.state !== 'running') return { id: job.id };
  }
}

// Statuses in persona order, to keep rows short and aligned.
const row = (
  owner: number,
  peerAgent: number,
  manager: number,
  otherDepartmentAgent: number,
  support: number,
  keyWithoutPermission: number,
  anonymous: number,
): Record<Persona, number> => ({ owner, peerAgent, manager, otherDepartmentAgent, support, keyWithoutPermission, anonymous });

/** Nobody below an administrator may do it. */
const adminOnly = row(403, 403, 403, 403, 403, 403, 401);

// Fresh records the admin makes for the rows that change or delete them.
const newRole = async (w: World) =>
  ok(
    w,
    await w.request('POST', '/api/v1/roles', { token: w.adminToken, body: { name: `矩阵角色${w.next()}`, parentId: w.roles.salesManager, dataScope: 'own', permissions: ['customers.view'] } }),
    'create role',
  );
const newCustomField = async (w: World) =>
  ok(w, await w.request('POST', '/api/v1/fields', { token: w.adminToken, body: { key: `m${w.next()}`, label: '矩阵字段', type: 'text' } }), 'create field');
const newPublicPool = async (w: World) =>
  ok(w, await w.request('POST', '/api/v1/public-pools', { token: w.adminToken, body: { name: `矩阵公海${w.next()}` } }), 'create public pool');
const newSourceValue = async (w: World) =>
  ok(w, await w.request('POST', '/api/v1/picklists/source/values', { token: w.adminToken, body: { value: `矩阵来源${w.next()}` } }), 'add value');

export const MATRIX: MatrixEntry[] = [
  // Customers. Agents reach their own; the manager reaches the agent role below theirs and 华东区 and
  // below; support reaches all but only reads; route permissions are checked before visibility.
  {
    operationId: 'getCustomer',
    method: 'GET',
    path: '/api/v1/customers/{id}',
    write: false,
    setup: async (w) => ({ params: { id: (await ownersCustomer(w)).id } }),
    expect: row(200, 404, 200, 404, 200, 403, 401),
  },
  {
    operationId: 'getCustomerByPhone',
    method: 'GET',
    path: '/api/v1/customers/by-phone/{phone}',
    write: false,
    setup: async (w) => ({ params: { phone: (await ownersCustomer(w)).phone } }),
    expect: row(200, 404, 200, 404, 200, 403, 401),
  },
  {
    operationId: 'updateCustomer',
    method: 'PATCH',
    path: '/api/v1/customers/{id}',
    write: true,
    setup: async (w) => ({ params: { id: (await ownersCustomer(w)).id }, body: { hot: true } }),
    expect: row(200, 404, 200, 404, 403, 403, 401),
  },
  {
    operationId: 'deleteCustomer',
    method: 'DELETE',
    path: '/api/v1/customers/{id}',
    write: true,
    setup: async (w) => ({ params: { id: (await ownersCustomer(w)).id } }),
    expect: row(200, 404, 200, 404, 403, 403, 401),
  },
  {
    operationId: 'restoreCustomer',
    method: 'POST',
    path: '/api/v1/customers/{id}/restore',
    write: true,
    setup: async (w) => ({ params: { id: (await ownersDeletedCustomer(w)).id } }),
    expect: row(200, 404, 200, 404, 403, 403, 401),
  },
  {
    // Purging is for managers: no agent holds customers.purge, so agents get 403 before visibility.
    operationId: 'purgeCustomer',
    method: 'POST',
    path: '/api/v1/customers/{id}/purge',
    write: true,
    setup: async (w) => ({ params: { id: (await ownersDeletedCustomer(w)).id } }),
    expect: row(403, 403, 204, 403, 403, 403, 401),
  },
  {
    // A focus mark is the caller's own, so anyone who sees the customer may set one (needs customers.view).
    operationId: 'setCustomerFocus',
    method: 'PUT',
    path: '/api/v1/customers/{id}/focus',
    write: true,
    setup: async (w) => ({ params: { id: (await ownersCustomer(w)).id }, body: { colour: 'blue' } }),
    expect: row(200, 404, 200, 404, 200, 403, 401),
  },
  {
    operationId: 'clearCustomerFocus',
    method: 'DELETE',
    path: '/api/v1/customers/{id}/focus',
    write: true,
    setup: async (w) => {
      const { id } = await ownersCustomer(w);
      ok(w, await w.request('PUT', `/api/v1/customers/${id}/focus`, { token: w.users.owner.token, body: { colour: 'red' } }), 'set focus');
      return { params: { id } };
    },
    expect: row(200, 404, 200, 404, 200, 403, 401),
  },

  {
    // The journey shows to whoever sees the customer.
    operationId: 'getCustomerJourney',
    method: 'GET',
    path: '/api/v1/customers/{id}/journey',
    write: false,
    setup: async (w) => ({ params: { id: (await ownersCustomer(w)).id } }),
    expect: row(200, 404, 200, 404, 200, 403, 401),
  },

  {
    operationId: 'getCustomerSharing',
    method: 'GET',
    path: '/api/v1/customers/{id}/sharing',
    write: false,
    setup: async (w) => ({ params: { id: (await ownersCustomer(w)).id } }),
    expect: row(200, 404, 200, 404, 200, 403, 401),
  },
  {
    // Like any change of the customer: its owner and those who reach the owner; support only reads.
    operationId: 'setCollaborators',
    method: 'PUT',
    path: '/api/v1/customers/{id}/collaborators',
    write: true,
    setup: async (w) => ({ params: { id: (await ownersCustomer(w)).id }, body: { userIds: [w.users.peerAgent.id] } }),
    expect: row(200, 404, 200, 404, 403, 403, 401),
  },

  // Views: a personal view is its owner's alone; a manager does not see subordinates' personal views.
  {
    operationId: 'getView',
    method: 'GET',
    path: '/api/v1/views/{id}',
    write: false,
    setup: async (w) => ({ params: { id: (await ownersView(w)).id } }),
    expect: row(200, 404, 404, 404, 404, 403, 401),
  },
  {
    operationId: 'updateView',
    method: 'PATCH',
    path: '/api/v1/views/{id}',
    write: true,
    setup: async (w) => ({ params: { id: (await ownersView(w)).id }, body: { name: '改名视图' } }),
    expect: row(200, 404, 404, 404, 403, 403, 401),
  },
  {
    operationId: 'deleteView',
    method: 'DELETE',
    path: '/api/v1/views/{id}',
    write: true,
    setup: async (w) => ({ params: { id: (await ownersView(w)).id } }),
    expect: row(204, 404, 404, 404, 403, 403, 401),
  },

  // Users: everyone holding users.view sees colleagues; only an administrator changes them.
  {
    operationId: 'getUser',
    method: 'GET',
    path: '/api/v1/users/{id}',
    write: false,
    setup: async (w) => ({ params: { id: w.users.owner.id } }),
    expect: row(200, 200, 200, 200, 403, 403, 401),
  },
  {
    operationId: 'updateUser',
    method: 'PATCH',
    path: '/api/v1/users/{id}',
    write: true,
    setup: async (w) => ({ params: { id: w.users.owner.id }, body: { displayName: '改名' } }),
    expect: adminOnly,
  },
  {
    operationId: 'deleteUser',
    method: 'DELETE',
    path: '/api/v1/users/{id}',
    write: true,
    setup: async (w) => {
      const n = w.next();
      const user = ok(
        w,
        await w.request('POST', '/api/v1/users', {
          token: w.adminToken,
          body: { username: `matrix_${n}`, displayName: `matrix_${n}`, password: 'matrix-pass-123', roleId: w.roles.agent, departmentId: w.departments.shanghai },
        }),
        'create user',
      );
      return { params: { id: user.id }, body: { handOverTo: w.users.owner.id } };
    },
    expect: adminOnly,
  },

  // Departments.
  {
    operationId: 'updateDepartment',
    method: 'PATCH',
    path: '/api/v1/departments/{id}',
    write: true,
    setup: async (w) => {
      const d = ok(w, await w.request('POST', '/api/v1/departments', { token: w.adminToken, body: { name: `矩阵部门${w.next()}`, parentId: w.departments.shanghai } }), 'create department');
      return { params: { id: d.id }, body: { name: `改名部门${w.next()}` } };
    },
    expect: adminOnly,
  },
  {
    operationId: 'deleteDepartment',
    method: 'DELETE',
    path: '/api/v1/departments/{id}',
    write: true,
    setup: async (w) => {
      const d = ok(w, await w.request('POST', '/api/v1/departments', { token: w.adminToken, body: { name: `矩阵部门${w.next()}`, parentId: w.departments.shanghai } }), 'create department');
      return { params: { id: d.id } };
    },
    expect: adminOnly,
  },

  // Roles.
  {
    operationId: 'getRole',
    method: 'GET',
    path: '/api/v1/roles/{id}',
    write: false,
    setup: async (w) => ({ params: { id: w.roles.agent } }),
    expect: row(200, 200, 200, 200, 403, 403, 401),
  },
  {
    operationId: 'updateRole',
    method: 'PATCH',
    path: '/api/v1/roles/{id}',
    write: true,
    setup: async (w) => {
      const r = await newRole(w);
      return { params: { id: r.id }, body: { name: `改名角色${w.next()}` } };
    },
    expect: adminOnly,
  },
  {
    operationId: 'deleteRole',
    method: 'DELETE',
    path: '/api/v1/roles/{id}',
    write: true,
    setup: async (w) => {
      const r = await newRole(w);
      return { params: { id: r.id } };
    },
    expect: adminOnly,
  },

  // Passwords: one's own with the current one, anyone's with users.edit; never through a key, so a
  // leaked key cannot take the account over. The owner sets the same password again, so the world's
  // logins stay valid.
  {
    operationId: 'changePassword',
    method: 'POST',
    path: '/api/v1/users/{id}/password',
    write: true,
    setup: async (w) => ({
      params: { id: w.users.owner.id },
      body: { currentPassword: 'matrix-pass-123', newPassword: 'matrix-pass-123' },
    }),
    expect: row(204, 403, 403, 403, 403, 403, 401),
  },

  // Company settings: custom fields and picklist values change for everyone, so only settings.edit
  // (held by the admin role alone) may change them; no persona of the matrix holds it.
  {
    operationId: 'updateCustomField',
    method: 'PATCH',
    path: '/api/v1/fields/{id}',
    write: true,
    setup: async (w) => {
      const f = await newCustomField(w);
      return { params: { id: f.id }, body: { label: '改名' } };
    },
    expect: adminOnly,
  },
  {
    operationId: 'deleteCustomField',
    method: 'DELETE',
    path: '/api/v1/fields/{id}',
    write: true,
    setup: async (w) => {
      const f = await newCustomField(w);
      return { params: { id: f.id } };
    },
    expect: adminOnly,
  },
  {
    operationId: 'updatePicklistValue',
    method: 'PATCH',
    path: '/api/v1/picklists/{list}/values/{id}',
    write: true,
    setup: async (w) => {
      const v = await newSourceValue(w);
      return { params: { list: 'source', id: v.id }, body: { active: false } };
    },
    expect: adminOnly,
  },
  {
    operationId: 'deletePicklistValue',
    method: 'DELETE',
    path: '/api/v1/picklists/{list}/values/{id}',
    write: true,
    setup: async (w) => {
      const v = await newSourceValue(w);
      return { params: { list: 'source', id: v.id } };
    },
    expect: adminOnly,
  },

  // Imports: only managers hold customers.import, so agents and support are refused before visibility;
  // a manager sees their own imports (and those of the people they reach).
  {
    operationId: 'getImport',
    method: 'GET',
    path: '/api/v1/imports/{id}',
    write: false,
    setup: async (w) => ({ params: { id: (await managersImport(w)).id } }),
    expect: row(403, 403, 200, 403, 403, 403, 401),
  },
  {
    operationId: 'getImportFailures',
    method: 'GET',
    path: '/api/v1/imports/{id}/failures',
    write: false,
    setup: async (w) => ({ params: { id: (await managersImport(w)).id } }),
    expect: row(403, 403, 200, 403, 403, 403, 401),
  },
  {
    // The import has ended by the time the call is made: 409 shows the manager passed both checks.
    operationId: 'cancelImport',
    method: 'POST',
    path: '/api/v1/imports/{id}/cancel',
    write: true,
    setup: async (w) => ({ params: { id: (await managersImport(w)).id } }),
    expect: row(403, 403, 409, 403, 403, 403, 401),
  },
  {
    operationId: 'revertImport',
    method: 'POST',
    path: '/api/v1/imports/{id}/revert',
    write: true,
    setup: async (w) => ({ params: { id: (await managersImport(w)).id } }),
    expect: row(403, 403, 200, 403, 403, 403, 401),
  },

  // Pool rules and public pools are company settings (settings.edit).
  {
    operationId: 'setDepartmentPoolRules',
    method: 'PUT',
    path: '/api/v1/pool-rules/departments/{id}',
    write: true,
    setup: async (w) => {
      const d = ok(w, await w.request('POST', '/api/v1/departments', { token: w.adminToken, body: { name: `矩阵部门${w.next()}`, parentId: w.departments.shanghai } }), 'create department');
      return { params: { id: d.id }, body: { holdingLimit: 10 } };
    },
    expect: adminOnly,
  },
  {
    operationId: 'updatePublicPool',
    method: 'PATCH',
    path: '/api/v1/public-pools/{id}',
    write: true,
    setup: async (w) => ({ params: { id: (await newPublicPool(w)).id }, body: { name: `改名公海${w.next()}` } }),
    expect: adminOnly,
  },
  {
    operationId: 'deletePublicPool',
    method: 'DELETE',
    path: '/api/v1/public-pools/{id}',
    write: true,
    setup: async (w) => ({ params: { id: (await newPublicPool(w)).id } }),
    expect: adminOnly,
  },

  // API keys: revoking needs no permission; someone else's key is not found (ids cannot be probed),
  // unless the caller manages keys. The owner's own narrow key acts as the owner and may revoke.
  {
    operationId: 'revokeApiKey',
    method: 'DELETE',
    path: '/api/v1/keys/{id}',
    write: true,
    setup: async (w) => {
      const k = ok(w, await w.request('POST', '/api/v1/keys', { token: w.users.owner.token, body: { name: `矩阵钥匙${w.next()}` } }), 'create key');
      return { params: { id: k.id } };
    },
    expect: row(204, 404, 404, 404, 404, 204, 401),
  },
];
