import { z } from 'zod';
import { isMapEntry } from './import.mapping.js';

const isoTime = z.iso.datetime({ offset: true });

/** Where new customers of an import go: `private` makes them the importer's own. */
export const IMPORT_POOLS = ['lead', 'pending', 'public', 'private'] as const;
export const ImportPool = z
  .enum(IMPORT_POOLS)
  .meta({ id: 'ImportPool', description: 'lead 潜在客户, pending 待分配, public 公海, private 导入人自己的客户' });
export type ImportPool = z.infer<typeof ImportPool>;

export const DUPLICATE_POLICIES = ['skip', 'update', 'fill'] as const;
export const DuplicatePolicySchema = z.enum(DUPLICATE_POLICIES).meta({
  id: 'DuplicatePolicy',
  description: 'What a row whose number a customer already has does: skip 跳过, update 覆盖导入的字段, fill 只填空字段',
});

/** Text encodings a csv may be read in; without one it is detected (BOM, then UTF-8, else GB18030). */
export const IMPORT_ENCODINGS = ['utf-8', 'gb18030', 'gbk', 'big5', 'utf-16le', 'utf-16be'] as const;
export const ImportEncoding = z.enum(IMPORT_ENCODINGS).meta({ id: 'ImportEncoding' });
export type ImportEncoding = z.infer<typeof ImportEncoding>;

export const IMPORT_FORMATS = ['xlsx', 'xls', 'csv'] as const;

/** What exports and failure reports are written as. */
export const TABLE_FORMATS = ['xlsx', 'csv'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];
/** csv text encodings: UTF-8 with a BOM (so Excel reads it as UTF-8), or GB18030 for older Chinese Excel. */
export const EXPORT_ENCODINGS = ['utf-8', 'gb18030'] as const;
export type ExportEncoding = (typeof EXPORT_ENCODINGS)[number];
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The choices made when an import starts; the file itself travels as the request body. */
export const ImportOptions = z
  .strictObject({
    fileName: z.string().trim().min(1).max(255).meta({ description: 'The name of the uploaded file; its extension helps tell the format' }),
    pool: ImportPool.default('private'),
    duplicates: DuplicatePolicySchema.default('skip'),
    dryRun: z.boolean().default(false).meta({ description: 'Report what would be created, updated, skipped and rejected, writing no customer' }),
    encoding: ImportEncoding.optional().meta({ description: 'For csv files; detected when absent' }),
    sheet: z.string().trim().min(1).max(100).optional().meta({ description: 'The sheet of a workbook to read; the first when absent' }),
    header: z.boolean().default(true).meta({ description: 'Whether the file has a header row' }),
    headerRow: z.number().int().min(1).max(50).optional().meta({ description: 'The header row (1-based); found among the first rows when absent' }),
    map: z
      .array(z.string().max(200).refine(isMapEntry, '<column>=<field>'))
      .max(200)
      .default([])
      .meta({ description: 'Column overrides: `电话2=phones`, `3=name`, `备注2=custom.budget`, `爱好=-` (ignore)' }),
  })
  .meta({ id: 'ImportOptions' });
export type ImportOptions = z.infer<typeof ImportOptions>;
export type ImportOptionsInput = z.input<typeof ImportOptions>;

export const IMPORT_STATES = ['queued', 'running', 'done', 'failed', 'cancelled', 'reverted'] as const;
export const ImportState = z.enum(IMPORT_STATES).meta({
  id: 'ImportState',
  description: 'queued 排队, running 导入中, done 完成, failed 失败, cancelled 已取消, reverted 已撤销',
});
export type ImportState = z.infer<typeof ImportState>;

/** Rows by what became of them. `rows` counts every data row read, blank ones apart. */
export const ImportCounts = z
  .object({
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int().meta({ description: 'Duplicates under update or fill that changed nothing' }),
    skipped: z.number().int().meta({ description: 'Duplicates of existing customers (skip policy, recycle bin, not yours to change)' }),
    duplicateInFile: z.number().int(),
    blocked: z.number().int().meta({ description: 'Wrong-number and do-not-call numbers, never imported again' }),
    rejected: z.number().int().meta({ description: 'Rows that fail a rule: no or bad phone, unknown picklist value, bad date ...' }),
    blank: z.number().int(),
  })
  .meta({ id: 'ImportCounts' });
export type ImportCounts = z.infer<typeof ImportCounts>;

export const emptyImportCounts = (): ImportCounts => ({
  rows: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  duplicateInFile: 0,
  blocked: 0,
  rejected: 0,
  blank: 0,
});

/** Adds the counts of one batch to a running total. */
export function addImportCounts(total: ImportCounts, batch: ImportCounts): ImportCounts {
  const sum = { ...total };
  for (const key of Object.keys(sum) as (keyof ImportCounts)[]) sum[key] += batch[key];
  return sum;
}

/** Rows that belong in the failure report: everything read that was neither written nor left alone. */
export const failedRowCount = (c: ImportCounts): number => c.skipped + c.duplicateInFile + c.blocked + c.rejected;

export const ImportColumnSchema = z
  .object({
    index: z.number().int().meta({ description: '0-based column of the file' }),
    header: z.string(),
    target: z.string().nullable().meta({ description: 'The field it fills (`phones`, `name`, `custom.budget` ...), or null' }),
  })
  .meta({ id: 'ImportColumn' });

export const ImportProgress = z
  .object({
    rowsRead: z.number().int().meta({ description: 'Source rows read and committed, header included' }),
    bytesRead: z.number().int(),
    bytesTotal: z.number().int(),
    fraction: z.number().min(0).max(1),
    rowsPerSecond: z.number().nullable(),
    etaSeconds: z.number().nullable(),
  })
  .meta({ id: 'ImportProgress' });
export type ImportProgress = z.infer<typeof ImportProgress>;

export const ImportJob = z
  .object({
    id: z.string(),
    state: ImportState,
    fileName: z.string(),
    format: z.enum(IMPORT_FORMATS),
    fileBytes: z.number().int(),
    options: ImportOptions,
    encoding: z.string().nullable().meta({ description: 'The encoding a csv was read in' }),
    sheet: z.string().nullable().meta({ description: 'The sheet a workbook was read from' }),
    headerRow: z.number().int().nullable(),
    columns: z.array(ImportColumnSchema),
    unmapped: z.array(z.string()).meta({ description: 'Headers of the columns that fill nothing' }),
    counts: ImportCounts,
    progress: ImportProgress,
    failures: z.number().int().meta({ description: 'Rows in the failure report (getImportFailures)' }),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    createdBy: z.string(),
    createdAt: isoTime,
    startedAt: isoTime.nullable(),
    finishedAt: isoTime.nullable(),
    revertedAt: isoTime.nullable(),
  })
  .meta({ id: 'ImportJob', description: 'An import (导入任务): its options, the column mapping, counts and progress' });
export type ImportJob = z.infer<typeof ImportJob>;

export const isImportFinished = (state: ImportState): boolean => state !== 'queued' && state !== 'running';
