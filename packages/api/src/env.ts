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
