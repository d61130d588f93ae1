import type {
  ApiKey,
  ApiKeyCreate,
  ApiKeyCreated,
  AssignInput,
  AssignReport,
  AuditEntry,
  ClaimInput,
  Customer,
  CustomerCreate,
  CustomerUpdate,
  Department,
  DepartmentCreate,
  DepartmentUpdate,
  ExportEncoding,
  ImportJob,
  ImportOptionsInput,
  ImportState,
  Lang,
  LoginEntry,
  DueCustomer,
  Holding,
  MoveReport,
  PasswordChange,
  PicklistName,
  PicklistValue,
  PoolEvent,
  PoolRules,
  PoolRulesOverride,
  PoolRulesSet,
  PublicPool,
  PublicPoolCreate,
  PublicPoolUpdate,
  ReleaseInput,
  ReturnRun,
  Role,
  RoleCreate,
  RoleUpdate,
  TableFormat,
  TransferInput,
  User,
  UserCreate,
  UserUpdate,
  ValidateInput,
  View,
  ViewCreate,
} from '@telecrm/core';

export type { AssignInput, AssignReport, ClaimInput, DueCustomer, Holding, MoveReport, PoolRulesSet, ReleaseInput, ReturnRun, TransferInput, ValidateInput };

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

export interface ImportListQuery {
  state?: ImportState | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** A file to upload: read as it is sent, never held in memory. */
export interface UploadBody {
  stream: ReadableStream<Uint8Array>;
  bytes: number;
  contentType: string;
}

export interface ExportQuery extends Omit<CustomerQuery, 'limit' | 'cursor'> {
  format: TableFormat;
  encoding?: ExportEncoding | undefined;
  /** Field names in column order, comma separated. */
  fields?: string | undefined;
}

/** A file the server sends, to be read from `body` as it arrives. */
export interface Download {
  body: ReadableStream<Uint8Array> | null;
}

export interface ApiClientOptions {
  /** The server's origin, e.g. `http://127.0.0.1:3000` (no `/api/v1`). */
  server: string;
  token?: string | undefined;
  lang: Lang;
  fetch?: typeof fetch;
}

/** Query parameters; a list repeats its parameter (`map=a&map=b`). */
type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

interface SendOptions {
  query?: Query | undefined;
  body?: RequestInit['body'];
  headers?: Record<string, string> | undefined;
  accept: string;
}

const JSON_ACCEPT = 'application/json, application/problem+json';
const FILE_ACCEPT = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, text/csv, application/problem+json';

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

  getPicklist(list: PicklistName): Promise<{ items: PicklistValue[] }> {
    return this.request('GET', `/picklists/${enc(list)}`);
  }

  claimCustomers(body: ClaimInput): Promise<MoveReport> {
    return this.request('POST', '/customers/claim', { body });
  }
  releaseCustomers(body: ReleaseInput): Promise<MoveReport> {
    return this.request('POST', '/customers/release', { body });
  }
  validateLeads(body: ValidateInput): Promise<MoveReport> {
    return this.request('POST', '/customers/validate', { body });
  }
  assignCustomers(body: AssignInput): Promise<AssignReport> {
    return this.request('POST', '/customers/assign', { body });
  }
  transferCustomers(body: TransferInput): Promise<MoveReport> {
    return this.request('POST', '/customers/transfer', { body });
  }
  customerJourney(id: string): Promise<{ items: PoolEvent[] }> {
    return this.request('GET', `/customers/${enc(id)}/journey`);
  }
  runPoolReturns(body: { dryRun: boolean; asOf?: string | undefined }): Promise<ReturnRun> {
    return this.request('POST', '/pool/returns', { body });
  }
  aboutToReturn(withinDays: number | undefined): Promise<{ items: DueCustomer[] }> {
    return this.request('GET', '/pool/about-to-return', { query: { withinDays } });
  }
  holdings(): Promise<{ items: Holding[] }> {
    return this.request('GET', '/pool/holdings');
  }

  getPoolRules(): Promise<PoolRulesSet> {
    return this.request('GET', '/pool-rules');
  }
  setCompanyPoolRules(rules: PoolRules): Promise<PoolRules> {
    return this.request('PUT', '/pool-rules', { body: rules });
  }
  /** An empty override removes the department's own rules. */
  setDepartmentPoolRules(departmentId: string, rules: PoolRulesOverride): Promise<PoolRulesOverride> {
    return this.request('PUT', `/pool-rules/departments/${enc(departmentId)}`, { body: rules });
  }
  listPublicPools(): Promise<{ items: PublicPool[] }> {
    return this.request('GET', '/public-pools');
  }
  createPublicPool(body: PublicPoolCreate): Promise<PublicPool> {
    return this.request('POST', '/public-pools', { body });
  }
  updatePublicPool(id: string, body: PublicPoolUpdate): Promise<PublicPool> {
    return this.request('PATCH', `/public-pools/${enc(id)}`, { body });
  }
  deletePublicPool(id: string): Promise<void> {
    return this.request('DELETE', `/public-pools/${enc(id)}`);
  }

  listAudit(query: AuditQuery): Promise<Page<AuditEntry>> {
    return this.request('GET', '/audit', { query: { ...query } });
  }
  listLogins(query: LoginQuery): Promise<Page<LoginEntry>> {
    return this.request('GET', '/logins', { query: { ...query } });
  }

  /** Uploads a file and queues its import; the options travel as query parameters. */
  startImport(options: ImportOptionsInput, file: UploadBody): Promise<ImportJob> {
    return this.send('POST', '/imports', {
      query: { ...options },
      body: file.stream,
      headers: { 'content-type': file.contentType, 'content-length': String(file.bytes) },
      accept: JSON_ACCEPT,
    }).then(readJson<ImportJob>);
  }
  listImports(query: ImportListQuery): Promise<Page<ImportJob>> {
    return this.request('GET', '/imports', { query: { ...query } });
  }
  getImport(id: string): Promise<ImportJob> {
    return this.request('GET', `/imports/${enc(id)}`);
  }
  cancelImport(id: string): Promise<ImportJob> {
    return this.request('POST', `/imports/${enc(id)}/cancel`);
  }
  revertImport(id: string): Promise<ImportJob> {
    return this.request('POST', `/imports/${enc(id)}/revert`);
  }
  /** The failure report of an import; its reasons are in the client's language. */
  importFailures(id: string, format: TableFormat): Promise<Download> {
    return this.download(`/imports/${enc(id)}/failures`, { format });
  }
  exportCustomers(query: ExportQuery): Promise<Download> {
    const { deleted, ...rest } = query;
    return this.download('/customers/export', { ...rest, deleted: deleted ? true : undefined });
  }

  /** One call to `/api/v1{path}`: JSON in, JSON out; 204 gives undefined. */
  async request<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
    const json = options.body !== undefined;
    const response = await this.send(method, path, {
      query: options.query,
      body: json ? JSON.stringify(options.body) : null,
      headers: json ? { 'content-type': 'application/json' } : {},
      accept: JSON_ACCEPT,
    });
    return readJson<T>(response);
  }

  /** A GET whose answer is a file: the body is left unread for the caller to stream. */
  async download(path: string, query: Query): Promise<Download> {
    const response = await this.send('GET', path, { query, accept: FILE_ACCEPT });
    return { body: response.body };
  }

  /**
   * Where every call goes through: the URL, the language and the token; a connection that fails is a
   * ConnectionError and an error status an ApiError. A 2xx response comes back with its body unread.
   */
  private async send(method: string, path: string, options: SendOptions): Promise<Response> {
    const url = new URL(`${this.server}/api/v1${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
      else if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: options.accept, 'accept-language': this.lang, ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const body = options.body ?? null;
    // A stream body goes out as it is read: fetch wants to be told it may not wait for the end.
    const streamed = body instanceof ReadableStream;
    const fetchOnce = () => this.fetchFn(url, { method, headers, body, ...(streamed ? { duplex: 'half' } : {}) } as RequestInit);
    let response: Response;
    try {
      response = await fetchOnce();
    } catch (cause) {
      const reason = connectionReason(cause);
      // A kept-alive connection the server closed just as this request went out on it (a server busy
      // for a few seconds closes its idle ones late): a read is sent again, on a new connection.
      if (method !== 'GET' || !STALE_CONNECTION.has(reason)) throw new ConnectionError(this.server, reason);
      try {
        response = await fetchOnce();
      } catch (again) {
        throw new ConnectionError(this.server, connectionReason(again));
      }
    }
    if (!response.ok) throw new ApiError(readProblem(response, await response.text()));
    return response;
  }
}

/** How a connection that was open fails when the other side closed it meanwhile. */
const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** A JSON answer; an empty one (204) gives undefined. */
async function readJson<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (response.status === 204 || text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new BadResponseError(response.status);
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
export function connectionReason(error: unknown): string {
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
