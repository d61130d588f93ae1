import { DEFAULT_PICKLISTS, PICKLIST_NAMES, type Actor, type CountryCodeName } from '@telecrm/core';
import type { Kysely, Transaction } from 'kysely';
import { generatePassword, hashPassword } from '../auth/password.js';
import { diffFields, recordAudit } from '../store/audit.repo.js';
import type { Database } from '../store/database.js';
import type { ServiceContext } from './context.js';

export interface CompanySettings {
  id: string;
  name: string;
  timeZone: string;
  phoneRegion: CountryCodeName;
}

/** Takes the transaction when called inside one: SQLite has a single connection. */
export async function getCompanySettings(db: Kysely<Database> | Transaction<Database>): Promise<CompanySettings> {
  const row = await db.selectFrom('company').selectAll().limit(1).executeTakeFirst();
  if (!row) throw new Error('the company is not set up: start the server once');
  return { id: row.id, name: row.name, timeZone: row.time_zone, phoneRegion: row.phone_region as CountryCodeName };
}

export async function updateCompanySettings(
  ctx: ServiceContext,
  actor: Actor,
  changes: { name?: string; timeZone?: string },
): Promise<CompanySettings> {
  return ctx.store.db.transaction().execute(async (trx) => {
    const current = await getCompanySettings(trx);
    await trx
      .updateTable('company')
      .set({ ...(changes.name ? { name: changes.name } : {}), ...(changes.timeZone ? { time_zone: changes.timeZone } : {}) })
      .where('id', '=', current.id)
      .execute();
    const updated = await getCompanySettings(trx);
    await recordAudit(trx, ctx.runtime, actor, { action: 'update', entity: 'company', entityId: current.id, changes: diffFields({ ...current }, { ...updated }) });
    return updated;
  });
}

export interface BootstrapResult {
  created: boolean;
  /** Set only when the admin password was generated: shown once, never stored in clear. */
  generatedAdminPassword?: string;
}

/**
 * First start: the company, its `admin` user and the default picklists, in one transaction, so a
 * crash half-way leaves nothing and the next start tries again.
 */
export async function bootstrapCompany(
  ctx: Pick<ServiceContext, 'store' | 'runtime'>,
  opts: { companyName: string; timeZone: string; adminPassword?: string; passwordCost?: number },
): Promise<BootstrapResult> {
  const existing = await ctx.store.db.selectFrom('company').select('id').limit(1).executeTakeFirst();
  if (existing) return { created: false };
  const password = opts.adminPassword ?? generatePassword();
  const passwordHash = await hashPassword(password, opts.passwordCost);
  const now = ctx.runtime.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('company')
      .values({ id: ctx.runtime.newId(), name: opts.companyName, time_zone: opts.timeZone, phone_region: 'CN', created_at: now })
      .execute();
    const admin = await trx.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirst();
    if (!admin) {
      await trx
        .insertInto('users')
        .values({
          id: ctx.runtime.newId(),
          username: 'admin',
          display_name: '管理员',
          password_hash: passwordHash,
          is_admin: 1,
          department_id: null,
          status: 'active',
          default_view_id: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    const hasPicklists = await trx.selectFrom('picklist_values').select('id').limit(1).executeTakeFirst();
    if (!hasPicklists) {
      const rows = PICKLIST_NAMES.flatMap((list) =>
        DEFAULT_PICKLISTS[list].map((value, position) => ({
          id: ctx.runtime.newId(),
          list,
          value,
          position,
          active: 1,
          color: null,
          created_at: now,
        })),
      );
      await trx.insertInto('picklist_values').values(rows).execute();
    }
  });
  return opts.adminPassword ? { created: true } : { created: true, generatedAdminPassword: password };
}
