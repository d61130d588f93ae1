import {
  BUILT_IN_CUSTOMER_FIELDS,
  describeError,
  type DomainError,
  type ErrorCode,
  type ImportMapping,
  type Lang,
  type TableFormat,
} from '@telecrm/core';
import { createTableWriter, TABLE_CONTENT_TYPES } from '../export/table-writer.js';
import type { ServiceContext } from '../services/context.js';
import { letOthersRun } from '../shared/turns.js';
import { loadCustomFields } from '../store/catalogue.repo.js';
import { deserialiseCells } from './import.job.js';

const PAGE = 2000;

const EXTRA_HEADERS: Record<Lang, [row: string, reason: string, field: string]> = {
  'zh-CN': ['行号', '原因', '字段'],
  en: ['row', 'reason', 'field'],
};

/**
 * The failure report (导入失败报告) of an import: every row that was rejected or left out as a
 * duplicate, with its original columns under the file's own headers, then the row number, the
 * reason in the reader's language and the column (or field) it is about. Fixed, it imports again:
 * the three extra columns map to nothing.
 */
export async function failureReport(
  ctx: ServiceContext,
  job: { id: string; fileName: string },
  mapping: ImportMapping,
  format: TableFormat,
  lang: Lang,
): Promise<{ stream: ReturnType<typeof createTableWriter>['stream']; contentType: string; fileName: string }> {
  const customFields = await loadCustomFields(ctx.store.db, 'customer');
  const labels = new Map<string, string>([
    ...BUILT_IN_CUSTOMER_FIELDS.map((f) => [f.name, f.label[lang]] as const),
    ...customFields.map((f) => [`custom.${f.key}`, f.label] as const),
  ]);
  const width = mapping.columns.length;
  const writer = createTableWriter(format, { sheetName: lang === 'zh-CN' ? '导入失败' : 'Failures' });
  const write = async () => {
    await writer.writeRow([...mapping.columns.map((c) => c.header), ...EXTRA_HEADERS[lang]]);
    for (let after = 0; ; ) {
      const rows = await ctx.store.db
        .selectFrom('import_failures')
        .selectAll()
        .where('job_id', '=', job.id)
        .where('row_number', '>', after)
        .orderBy('row_number')
        .limit(PAGE)
        .execute();
      for (const row of rows) {
        const cells = deserialiseCells(row.cells);
        // Cells past the header's width (no header, so never imported) are left out to keep the columns aligned.
        const padded = Array.from({ length: width }, (_, i) => cells[i] ?? null);
        const where = row.column_name ?? (row.field ? (labels.get(row.field) ?? row.field) : null);
        const error: DomainError = { code: row.code as ErrorCode, params: JSON.parse(row.params) as Record<string, unknown>, ...(where ? { field: where } : {}) };
        await writer.writeRow([...padded, row.row_number, describeError(error, lang), where]);
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.row_number;
      await letOthersRun();
    }
    await writer.end();
  };
  write().catch((e: unknown) => writer.fail(e instanceof Error ? e : new Error(String(e))));
  const base = job.fileName.replace(/\.[^.]*$/, '');
  return { stream: writer.stream, contentType: TABLE_CONTENT_TYPES[format], fileName: `${base}-${lang === 'zh-CN' ? '导入失败' : 'failures'}.${format}` };
}
