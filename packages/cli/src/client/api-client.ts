import type {
  ApiKey,
  ApiKeyCreate,
  ApiKeyCreated,
  AuditEntry,
  Customer,
  CustomerCreate,
  CustomerUpdate,
  Department,
  DepartmentCreate,
  DepartmentUpdate,
  Lang,
  LoginEntry,
  PasswordChange,
  Role,
  RoleCreate,
  RoleUpdate,
  User,
  UserCreate,
  UserUpdate,
  View,
  ViewCreate,
} from '@telecrm/core';

/** An RFC 9457 problem as the API sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code?: string;
  detail?: string;
  errors?: { field?: string; code?: string; message: string }[];
}

/** The server answered with an error status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string | undefined {
    return this.problem.code;
  }
}

/** The server could not be reached at all (refused, unknown host, reset...). */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  constructor(
    readonly serverUrl: string,
    /** The system's reason, e.g. `ECONNREFUSED`. */
    readonly reason: string,
  ) {
    super(`cannot reach ${serverUrl}: ${reason}`);
  }
}

/** The server answered 2xx with a body that is not the JSON we asked for. */
export class BadResponseError extends Error {
  override readonly name = 'BadResponseError';
  constructor(readonly status: number) {
    super(`unreadable response (${status})`);
  }
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  user: User;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CustomerQuery {
  q?: string | undefined;
  view?: string | undefined;
  /** The filter tree as JSON text, already validated. */
  filter?: string | undefined;
  /** `field:asc` or `field:desc`. */
  sort?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
  deleted?: boolean | undefined;
}

/** A user with the settings an admin manages. */
export type UserDetail = User & { quotaCalls: number | null; quotaMinutes: number | null };

export interface AuditQuery {
  entity?: string | undefined;
  entityId?: string | undefined;
  actorId?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface LoginQuery {
  username?: string | undefined;
  /** Only failed (false) or only successful (true) logins. */
  success?: boolean | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface ApiClientOptions {
  /** The server's origin, e.g. `http://127.0.0.1:3000` (no `/api/v1`). */
  server: string;
  token?: string | undefined;
  lang: Lang;
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | boolean | undefined>;

/** A thin typed client of `/api/v1`: one method per operation, failures as typed errors. */
export class ApiClient {
  readonly server: string;
  private readonly token: string | undefined;
  private readonly lang: Lang;
  private readonly fetchFn: typeof fetch;

  constructor(options: ApiClientOptions) {
    this.server = options.server;
    this.token = options.token;
    this.lang = options.lang;
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  login(username: string, password: string): Promise<LoginResult> {
    return this.request('POST', '/auth/login', { body: { username, password } });
  }
  logout(): Promise<void> {
    return this.request('POST', '/auth/logout');
  }
  me(): Promise<User> {
    return this.request('GET', '/me');
  }

  listCustomers(query: CustomerQuery): Promise<Page<Customer>> {
    const { deleted, ...rest } = query;
    return this.request('GET', '/customers', { query: { ...rest, deleted: deleted ? true : undefined } });
  }
  getCustomer(id: string): Promise<Customer> {
    return this.request('GET', `/customers/${enc(id)}`);
  }
  createCustomer(body: CustomerCreate): Promise<Customer> {
    return this.request('POST', '/customers', { body });
  }
  updateCustomer(id: string, body: CustomerUpdate): Promise<Customer> {
    return this.request('PATCH', `/customers/${enc(id)}`, { body });
  }
  deleteCustomer(id: string): Promise<Customer> {
    return this.request('DELETE', `/customers/${enc(id)}`);
  }
  restoreCustomer(id: string): Promise<Customer> {
    return this.request('POST', `/customers/${enc(id)}/restore`);
  }
  purgeCustomer(id: string): Promise<void> {
    return this.request('POST', `/customers/${enc(id)}/purge`);
  }
  mergeCustomers(survivorId: string, mergedId: string): Promise<Customer> {
    return this.request('POST', '/customers/merge', { body: { survivorId, mergedId } });
  }
  setFocus(id: string, colour: string): Promise<Customer> {
    return this.request('PUT', `/customers/${enc(id)}/focus`, { body: { colour } });
  }
  clearFocus(id: string): Promise<Customer> {
    return this.request('DELETE', `/customers/${enc(id)}/focus`);
  }

  listViews(): Promise<{ items: View[] }> {
    return this.request('GET', '/views');
  }
  createView(body: ViewCreate): Promise<View> {
    return this.request('POST', '/views', { body });
  }
  listUsers(): Promise<{ items: User[] }> {
    return this.request('GET', '/users');
  }
  getUser(id: string): Promise<UserDetail> {
    return this.request('GET', `/users/${enc(id)}`);
  }
  createUser(body: UserCreate): Promise<User> {
    return this.request('POST', '/users', { body });
  }
  updateUser(id: string, body: UserUpdate): Promise<UserDetail> {
    return this.request('PATCH', `/users/${enc(id)}`, { body });
  }
  changePassword(id: string, body: PasswordChange): Promise<void> {
    return this.request('POST', `/users/${enc(id)}/password`, { body });
  }
  deleteUser(id: string, handOverTo: string): Promise<void> {
    return this.request('DELETE', `/users/${enc(id)}`, { body: { handOverTo } });
  }

  listDepartments(): Promise<{ items: Department[] }> {
    return this.request('GET', '/departments');
  }
  createDepartment(body: DepartmentCreate): Promise<Department> {
    return this.request('POST', '/departments', { body });
  }
  updateDepartment(id: string, body: DepartmentUpdate): Promise<Department> {
    return this.request('PATCH', `/departments/${enc(id)}`, { body });
  }
  deleteDepartment(id: string): Promise<void> {
    return this.request('DELETE', `/departments/${enc(id)}`);
  }

  listRoles(): Promise<{ items: Role[] }> {
    return this.request('GET', '/roles');
  }
  getRole(id: string): Promise<Role> {
    return this.request('GET', `/roles/${enc(id)}`);
  }
  createRole(body: RoleCreate): Promise<Role> {
    return this.request('POST', '/roles', { body });
  }
  updateRole(id: string, body: RoleUpdate): Promise<Role> {
    return this.request('PATCH', `/roles/${enc(id)}`, { body });
  }
  deleteRole(id: string): Promise<void> {
    return this.request('DELETE', `/roles/${enc(id)}`);
  }

  listKeys(): Promise<{ items: ApiKey[] }> {
    return this.request('GET', '/keys');
  }
  createKey(body: ApiKeyCreate): Promise<ApiKeyCreated> {
    return this.request('POST', '/keys', { body });
  }
  revokeKey(id: string): Promise<void> {
    return this.request('DELETE', `/keys/${enc(id)}`);
  }

  listAudit(query: AuditQuery): Promise<Page<AuditEntry>> {
    return this.request('GET', '/audit', { query: { ...query } });
  }
  listLogins(query: LoginQuery): Promise<Page<LoginEntry>> {
    return this.request('GET', '/logins', { query: { ...query } });
  }

  /** One call to `/api/v1{path}`: JSON in, JSON out; 204 gives undefined. */
  async request<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
    const url = new URL(`${this.server}/api/v1${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      'accept-language': this.lang,
    };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    try {
      response = await this.fetchFn(url, {
        method,
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
      });
    } catch (cause) {
      throw new ConnectionError(this.server, connectionReason(cause));
    }
    const text = await response.text();
    if (!response.ok) throw new ApiError(readProblem(response, text));
    if (response.status === 204 || text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new BadResponseError(response.status);
    }
  }
}

const enc = encodeURIComponent;

/** A problem+json body, or a minimal problem built from the status line when the body is not one. */
function readProblem(response: Response, text: string): Problem {
  try {
    const body = JSON.parse(text) as Partial<Problem> | null;
    if (body && typeof body === 'object') return { ...body, status: body.status ?? response.status };
  } catch {
    // Not JSON: a proxy's HTML page, a plain-text error...
  }
  return { status: response.status, title: response.statusText };
}

/** `fetch failed` hides the reason in `cause` (an undici or system error). */
function connectionReason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.message : String(error);
}
