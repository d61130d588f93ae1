import { createRoute, z } from '@hono/zod-openapi';
import { DuplicatePolicySchema, ImportEncoding, ImportJob, ImportOptions, ImportPool, ImportState, TABLE_FORMATS } from '@telecrm/core';
import { requires } from '../../http/permissions.js';
import { IdParam, jsonContent, problemResponses } from '../../http/respond.js';

const security = [{ bearer: [] }];
const tags = ['Imports'];

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** ImportOptions as query parameters: the request body is the file itself. */
export const ImportQuery = z
  .object({
    fileName: z.string().meta({ description: 'The file name; its extension tells csv/txt from xlsx/xls when the content does not', example: '客户名单.xlsx' }),
    pool: ImportPool.optional(),
    duplicates: DuplicatePolicySchema.optional(),
    dryRun: flag.optional(),
    encoding: ImportEncoding.optional(),
    sheet: z.string().optional(),
    header: flag.optional(),
    headerRow: z.coerce.number().int().optional(),
    map: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]))
      .meta({ description: 'Repeatable column override, e.g. `map=电话2=phones`' }),
  })
  .transform((q) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)))
  .pipe(ImportOptions);

const fileBody = (description: string) => ({
  required: true,
  description,
  content: {
    'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) },
    'text/csv': { schema: z.string().meta({ format: 'binary' }) },
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().meta({ format: 'binary' }) },
    'application/vnd.ms-excel': { schema: z.string().meta({ format: 'binary' }) },
  },
});

export const startImportRoute = createRoute({
  method: 'post',
  path: '/api/v1/imports',
  operationId: 'startImport',
  ...requires('customers.import'),
  summary: 'Upload a customer list (xlsx, xls, csv, txt) and start importing it',
  description:
    'The body is the file itself (e.g. `curl --data-binary @list.xlsx`), up to CRM_MAX_UPLOAD_BYTES; the options are query ' +
    'parameters. A file that cannot be read (empty, password-protected, a zip bomb, no data rows, no phone column...) is ' +
    'refused before anything is written. Otherwise the import is queued and returned at once (202): poll getImport or ' +
    'listen for `import.progress` events. Accepts Idempotency-Key (options, size and type identify a retry).',
  tags,
  security,
  request: { query: ImportQuery, body: fileBody('The file to import') },
  responses: {
    202: jsonContent(ImportJob, 'Queued'),
    ...problemResponses(400, 401, 403, 409, 413, 415),
  },
});

const ImportPage = z.object({ items: z.array(ImportJob), nextCursor: z.string().nullable() }).meta({ id: 'ImportPage' });

export const listImportsRoute = createRoute({
  method: 'get',
  path: '/api/v1/imports',
  operationId: 'listImports',
  ...requires('customers.import'),
  summary: "Imports, newest first: the caller's own and those of the people they manage",
  tags,
  security,
  request: {
    query: z.object({
      state: ImportState.optional(),
      limit: z.coerce.number().int().min(1).max(1000).optional(),
      cursor: z.string().max(2000).optional(),
    }),
  },
  responses: { 200: jsonContent(ImportPage, 'One page'), ...problemResponses(400, 401, 403) },
});

export const getImportRoute = createRoute({
  method: 'get',
  path: '/api/v1/imports/{id}',
  operationId: 'getImport',
  ...requires('customers.import'),
  summary: 'One import: state, counts, progress (rows/s, time left) and the column mapping',
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: jsonContent(ImportJob, 'The import'), ...problemResponses(401, 403, 404) },
});

export const cancelImportRoute = createRoute({
  method: 'post',
  path: '/api/v1/imports/{id}/cancel',
  operationId: 'cancelImport',
  ...requires('customers.import'),
  summary: 'Stop an import before its next batch; committed batches stay (revert them to undo)',
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: jsonContent(ImportJob, 'Cancelled'), ...problemResponses(401, 403, 404, 409) },
});

export const revertImportRoute = createRoute({
  method: 'post',
  path: '/api/v1/imports/{id}/revert',
  operationId: 'revertImport',
  ...requires('customers.import'),
  summary: 'Undo an ended import: delete the customers it created and restore the ones it updated',
  description: 'Refused with 409 IMPORT.REVERT_CONFLICT, naming some of them, when any of those customers changed after the import.',
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: jsonContent(ImportJob, 'Reverted'), ...problemResponses(401, 403, 404, 409) },
});

export const getImportFailuresRoute = createRoute({
  method: 'get',
  path: '/api/v1/imports/{id}/failures',
  operationId: 'getImportFailures',
  ...requires('customers.import'),
  summary: 'The failure report: the rejected and duplicate rows as they were, with row, reason and field columns',
  description: 'An xlsx (or csv with `format=csv`) to fix and import again; reasons are in the language of Accept-Language.',
  tags,
  security,
  request: { params: IdParam, query: z.object({ format: z.enum(TABLE_FORMATS).optional() }) },
  responses: {
    200: {
      description: 'The report',
      content: {
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().meta({ format: 'binary' }) },
        'text/csv': { schema: z.string().meta({ format: 'binary' }) },
      },
    },
    ...problemResponses(401, 403, 404),
  },
});
