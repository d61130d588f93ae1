import { tmpdir } from 'node:os';
import { z } from 'zod';

// The only place that reads process.env: a bad value stops the process with a message naming it.
const EnvSchema = z.object({
  CRM_DB: z.string().min(1).default('./data/crm.sqlite'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  CRM_ADMIN_PASSWORD: z.string().min(8, 'at least 8 characters').optional(),
  CRM_COMPANY_NAME: z.string().min(1).default('我的公司'),
  CRM_TIME_ZONE: z.string().default('Asia/Shanghai'),
  CRM_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  CRM_TOKEN_TTL_HOURS: z.coerce.number().positive().default(24 * 7),
  CRM_CORS_ORIGINS: z.string().optional().describe('comma-separated origins; CORS is off when unset'),
  CRM_MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(200),
  CRM_PASSWORD_COST: z.coerce.number().int().min(10).max(20).default(15).describe('log2 of the scrypt N for new password hashes'),
  CRM_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(256 * 1024 * 1024).describe('the largest import file accepted'),
  CRM_IMPORT_MAX_UNPACKED_BYTES: z.coerce.number().int().min(1024).default(512 * 1024 * 1024).describe('the largest unpacked size of an xlsx (zip bombs)'),
  CRM_IMPORT_BATCH_ROWS: z.coerce.number().int().min(1).max(100_000).default(5000).describe('rows an import writes per transaction'),
  CRM_JOBS: z.enum(['on', 'off']).default('on').describe('whether this server runs jobs (imports); "off" for request-only nodes'),
  CRM_POOL_RETURN_MINUTES: z.coerce.number().min(0).max(1440).default(10).describe('how often the return rules run (0: never on their own)'),
  CRM_JOB_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(30).describe('how long a job stays with a server that stopped answering'),
  CRM_SOFFICE: z.string().default('soffice').describe('the LibreOffice command that converts legacy .xls files; "off" disables'),
  CRM_TMP_DIR: z.string().min(1).default(tmpdir()).describe('where uploads and conversions are staged'),
});

export type Env = z.infer<typeof EnvSchema>;

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export const defaultDatabaseUrl = (): string => loadEnv().CRM_DB;
