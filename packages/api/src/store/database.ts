import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

// Row shapes as stored. Flags are 0/1 integers and times UTC ISO-8601 text on both dialects, so the
// same SQL and the same comparisons hold on SQLite and PostgreSQL.

export interface CompanyTable {
  id: string;
  name: string;
  time_zone: string;
  phone_region: string;
  created_at: string;
}

export interface DepartmentTable {
  id: string;
  name: string;
  parent_id: string | null;
  created_at: string;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  is_admin: number;
  department_id: string | null;
  status: string;
  default_view_id: string | null;
  role_id: string | null;
  quota_calls: number | null;
  quota_minutes: number | null;
  created_at: string;
  updated_at: string;
}

export interface AuthTokenTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface CustomerTable {
  id: string;
  name: string;
  company: string | null;
  primary_phone: string | null;
  wechat: string | null;
  email: string | null;
  source: string | null;
  industry: string | null;
  region: string | null;
  status: string | null;
  stage: string | null;
  level: string | null;
  remark: string | null;
  hot: Generated<number>;
  wrong_number: Generated<number>;
  do_not_call: Generated<number>;
  deal_status: Generated<string>;
  pool: string;
  owner_id: string | null;
  protected_until: string | null;
  last_contact_at: string | null;
  last_call_at: string | null;
  last_follow_up_at: string | null;
  last_call_result: string | null;
  next_follow_up_at: string | null;
  /** JSON object of custom values: text on SQLite, jsonb on PostgreSQL (read back already parsed). */
  custom: string | Record<string, unknown>;
  created_by: string | null;
  created_at: string;
  updated_by: string | null;
  updated_at: string;
  deleted_at: string | null;
  deleted_by: string | null;
  /** The public pool a public customer sits in. */
  public_pool_id: string | null;
  /** Since when the owner holds it: the clock of the return rules. */
  owned_since: string | null;
  /** Locked customers (锁定) are never returned by rule. */
  locked: Generated<number>;
}

export interface CustomerPhoneTable {
  e164: string;
  customer_id: string;
  extension: string | null;
  label: string | null;
  position: number;
}

export interface CustomerTagTable {
  customer_id: string;
  tag: string;
}

export interface CustomerNameGramTable {
  gram: string;
  customer_id: string;
}

export interface ContactTable {
  id: string;
  customer_id: string;
  name: string;
  title: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  remark: string | null;
  position: number;
  created_at: string;
}

export interface CustomerFocusTable {
  user_id: string;
  customer_id: string;
  colour: string;
  created_at: string;
}

export interface CustomFieldTable {
  id: string;
  module: string;
  key: string;
  label: string;
  type: string;
  required: number;
  hidden: number;
  position: number;
  options: string;
  indexed: number;
  created_at: string;
  updated_at: string;
}

export interface PicklistValueTable {
  id: string;
  list: string;
  value: string;
  position: number;
  active: number;
  color: string | null;
  /** JSON array of other spellings imports accept for this value. */
  aliases: Generated<string>;
  created_at: string;
}

export interface ViewTable {
  id: string;
  name: string;
  owner_id: string | null;
  shared: number;
  filter: string | null;
  columns: string;
  sort: string | null;
  created_at: string;
  updated_at: string;
}

export interface OutboxTable {
  seq: Generated<number>;
  id: string;
  type: string;
  at: string;
  customer_id: string | null;
  /** Only this user receives the event; null: everyone who may see its customer. */
  recipient_id: string | null;
  data: string;
}

export interface IdempotencyKeyTable {
  user_id: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  created_at: string;
}

export interface RoleTable {
  id: string;
  /** Stable key of a seeded role (`admin`, `agent` ...); null for roles people made. */
  key: string | null;
  name: string;
  parent_id: string | null;
  data_scope: string;
  permissions: string;
  field_permissions: string;
  system: number;
  created_at: string;
  updated_at: string;
}

export interface ClosureTable {
  ancestor_id: string;
  descendant_id: string;
  depth: number;
}

export interface CustomerShareTable {
  id: string;
  customer_id: string;
  user_id: string | null;
  department_id: string | null;
  created_by: string | null;
  created_at: string;
}

export interface CustomerCollaboratorTable {
  customer_id: string;
  user_id: string;
  created_at: string;
}

export interface ApiKeyTable {
  id: string;
  user_id: string;
  name: string;
  key_hash: string;
  prefix: string;
  permissions: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  via: string;
  key_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  changes: string | Record<string, unknown>;
}

export interface LoginLogTable {
  id: string;
  at: string;
  username: string;
  user_id: string | null;
  success: number;
  address: string | null;
  agent: string | null;
  reason: string | null;
}

export interface JobTable {
  id: string;
  kind: string;
  state: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  reverted_at: string | null;
  locked_by: string | null;
  locked_until: string | null;
  /** JSON (jsonb on PostgreSQL): what the job was asked to do. */
  params: string | Record<string, unknown>;
  /** The last source row whose batch committed. */
  cursor: Generated<number>;
  /** JSON: the figures so far. */
  progress: string | Record<string, unknown>;
  error: string | Record<string, unknown> | null;
}

export interface JobFileTable {
  job_id: string;
  seq: number;
  data: Buffer | Uint8Array;
}

export interface ImportFailureTable {
  job_id: string;
  row_number: number;
  /** JSON array of the row's cells as read (dates as `{ "date": iso }`). */
  cells: string;
  code: string;
  field: string | null;
  column_name: string | null;
  params: string;
}

export interface ImportChangeTable {
  job_id: string;
  customer_id: string;
  row_number: number;
  action: string;
  /** JSON of the fields as they were before an update; null for a created customer. */
  before: string | null;
  updated_at: string;
}

export interface PublicPoolTable {
  id: string;
  name: string;
  is_default: number;
  /** JSON arrays of member departments (and those below) and member users. */
  department_ids: string;
  user_ids: string;
  /** JSON of a PoolRulesOverride. */
  rules: string;
  created_at: string;
  updated_at: string;
}

export interface PoolRulesTable {
  /** `company`, or a department id. */
  scope: string;
  rules: string;
  updated_by: string | null;
  updated_at: string;
}

export interface PoolEventTable {
  id: string;
  customer_id: string;
  at: string;
  action: string;
  actor_id: string | null;
  from_pool: string | null;
  to_pool: string | null;
  from_owner_id: string | null;
  to_owner_id: string | null;
  public_pool_id: string | null;
  rule: string | null;
  reason: string | null;
}

export interface AllocationCursorTable {
  scope: string;
  agent_id: string | null;
  updated_at: string;
}

export interface PoolReminderTable {
  customer_id: string;
  due_at: string;
  rule: string;
  sent_at: string;
}

export interface Database {
  company: CompanyTable;
  departments: DepartmentTable;
  users: UserTable;
  auth_tokens: AuthTokenTable;
  customers: CustomerTable;
  customer_phones: CustomerPhoneTable;
  customer_tags: CustomerTagTable;
  customer_name_grams: CustomerNameGramTable;
  contacts: ContactTable;
  customer_focus: CustomerFocusTable;
  custom_fields: CustomFieldTable;
  picklist_values: PicklistValueTable;
  views: ViewTable;
  outbox: OutboxTable;
  idempotency_keys: IdempotencyKeyTable;
  roles: RoleTable;
  role_closure: ClosureTable;
  department_closure: ClosureTable;
  customer_shares: CustomerShareTable;
  customer_collaborators: CustomerCollaboratorTable;
  api_keys: ApiKeyTable;
  audit_log: AuditLogTable;
  login_log: LoginLogTable;
  jobs: JobTable;
  job_files: JobFileTable;
  import_failures: ImportFailureTable;
  import_changes: ImportChangeTable;
  public_pools: PublicPoolTable;
  pool_rules: PoolRulesTable;
  pool_events: PoolEventTable;
  allocation_cursors: AllocationCursorTable;
  pool_reminders: PoolReminderTable;
}

export type CustomerRow = Selectable<CustomerTable>;
export type NewCustomerRow = Insertable<CustomerTable>;
export type CustomerRowUpdate = Updateable<CustomerTable>;
export type UserRow = Selectable<UserTable>;
export type JobRow = Selectable<JobTable>;
