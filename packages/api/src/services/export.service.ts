import {
  customerFieldCatalogue,
  err,
  exportCell,
  exportColumns,
  hiddenFieldsOf,
  ok,
  type Actor,
  type DomainError,
  type ExportEncoding,
  type Lang,
  type TableFormat,
  type Result,
} from '@telecrm/core';
import { DateTime } from 'luxon';
import { createTableWriter, TABLE_CONTENT_TYPES, type TableWriter } from '../export/table-writer.js';
import { recordAudit } from '../store/audit.repo.js';
import { loadCustomFields } from '../store/catalogue.repo.js';
import { hydrateCustomers, type PageKey } from '../store/customer.repo.js';
import { getCompanySettings } from './company.service.js';
import { letOthersRun } from '../shared/turns.js';
import type { ServiceContext } from './context.js';
import { pageOfCustomers, presentCustomers, selectCustomers, type CustomerListQuery, type CustomerSelection } from './customer.service.js';

export interface ExportQuery extends Omit<CustomerListQuery, 'limit' | 'cursor'> {
  format: TableFormat;
  encoding?: ExportEncoding | undefined;
  /** Field names in column order; the view's columns, else the default ones, when absent. */
  fields?: string[] | undefined;
}

export interface ExportDownload {
  stream: TableWriter['stream'];
  contentType: string;
  fileName: string;
}

const PAGE = 1000;

/**
 * Exports (导出) what a list with the same view, filter and quick search would show, to xlsx or csv,
 * streaming page by page: only customers the actor may see, only fields its role does not hide, every
 * text cell guarded against formula injection. The export is written to the audit log with its count.
 */
export async function exportCustomers(ctx: ServiceContext, actor: Actor, query: ExportQuery, lang: Lang): Promise<Result<ExportDownload, DomainError>> {
  const selection = await selectCustomers(ctx, actor, query);
  if (!selection.ok) return selection;
  const db = ctx.store.db;
  const [company, customFields, users] = await Promise.all([
    getCompanySettings(db),
    loadCustomFields(db, 'customer'),
    db.selectFrom('users').select(['id', 'display_name']).execute(),
  ]);
  const hidden = new Set(hiddenFieldsOf(actor.fieldPermissions, 'customer'));
  const catalogue = new Map([...customerFieldCatalogue(customFields)].filter(([name]) => !hidden.has(name)));
  const columns = exportColumns(catalogue, query.fields ?? selection.value.viewColumns ?? undefined, lang);
  if (!columns.ok) return err({ ...columns.error, field: query.fields ? 'fields' : 'view' });

  const sheetName = lang === 'zh-CN' ? '客户' : 'Customers';
  const writer = createTableWriter(query.format, { sheetName, ...(query.encoding ? { encoding: query.encoding } : {}) });
  const cellContext = {
    lang,
    timeZone: company.timeZone,
    phoneRegion: company.phoneRegion,
    userNames: new Map(users.map((u) => [u.id, u.display_name])),
  };
  const write = async () => {
    await writer.writeRow(columns.value.map((c) => c.header));
    const count = await writeCustomerRows(ctx, actor, selection.value, async (customer) => {
      await writer.writeRow(columns.value.map((c) => exportCell(customer, c.field, cellContext)));
    });
    // Recorded before the file is complete: the caller never holds a finished export the audit log
    // does not show yet (and an export whose record fails ends as a failed download).
    await recordAudit(db, ctx.runtime, actor, {
      action: 'export',
      entity: 'customer',
      entityId: null,
      changes: { exported: { before: null, after: { count, format: query.format, view: query.view ?? null, filter: query.filter ?? null, q: query.q ?? null } } },
    });
    await writer.end();
  };
  write().catch((e: unknown) => writer.fail(e instanceof Error ? e : new Error(String(e))));

  const stamp = DateTime.fromJSDate(ctx.runtime.now()).setZone(company.timeZone).toFormat('yyyyMMdd-HHmm');
  return ok({ stream: writer.stream, contentType: TABLE_CONTENT_TYPES[query.format], fileName: `${lang === 'zh-CN' ? '客户' : 'customers'}-${stamp}.${query.format}` });
}

/** Walks a selection page by page (keyset, so a long export never skips or repeats a row). */
async function writeCustomerRows(
  ctx: ServiceContext,
  actor: Actor,
  selection: CustomerSelection,
  write: (customer: ReturnType<typeof presentCustomers>[number]) => Promise<void>,
): Promise<number> {
  let after: PageKey | undefined;
  let count = 0;
  for (;;) {
    const { rows, next } = await pageOfCustomers(ctx, selection, after, PAGE);
    for (const customer of presentCustomers(actor, await hydrateCustomers(ctx.store.db, rows, actor.userId))) {
      await write(customer);
      count++;
    }
    if (!next) return count;
    after = next;
    await letOthersRun();
  }
}
