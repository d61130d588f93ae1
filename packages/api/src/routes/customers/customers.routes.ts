import { createRoute, z } from '@hono/zod-openapi';
import { Customer, CustomerCreate, EXPORT_ENCODINGS, TABLE_FORMATS, CustomerUpdate, FilterNode, FocusInput, MergeInput, SortSpec } from '@telecrm/core';
import { requires } from '../../http/permissions.js';
import { IdParam, jsonBody, jsonContent, problemResponses } from '../../http/respond.js';

const security = [{ bearer: [] }];
const tags = ['Customers'];

/** `filter` travels in the query string as JSON; it is parsed and checked like a body. */
const FilterQuery = z
  .string()
  .max(20_000)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
      return z.NEVER;
    }
  })
  .pipe(FilterNode);

const SortQuery = z
  .string()
  .regex(/^[\w.]+(:(asc|desc))?$/, 'field or field:asc / field:desc')
  .transform((text) => {
    const [field, direction] = text.split(':');
    return SortSpec.parse({ field, direction: direction ?? 'desc' });
  });

export const CustomerListQuery = z.object({
  q: z.string().max(100).optional().meta({ description: 'Quick search: name (fuzzy), phone in any format, or WeChat id' }),
  view: z.string().max(64).optional().meta({ description: 'A saved or built-in view id' }),
  filter: FilterQuery.optional().meta({ description: 'A FilterNode as JSON, ANDed with the view', example: '{"field":"source","op":"eq","value":"展会"}' }),
  sort: SortQuery.optional().meta({ description: 'field:asc or field:desc (default createdAt:desc, or the view sort)', example: 'updatedAt:desc' }),
  limit: z.coerce.number().int().min(1).max(1000).optional().meta({ description: 'Page size (default 50)' }),
  cursor: z.string().max(2000).optional().meta({ description: 'nextCursor of the previous page' }),
  deleted: z.enum(['true', 'false']).optional().transform((v) => v === 'true').meta({ description: 'true lists the recycle bin' }),
});

export const CustomerPage = z
  .object({ items: z.array(Customer), nextCursor: z.string().nullable() })
  .meta({ id: 'CustomerPage' });

export const CustomerSearch = z
  .strictObject({
    q: z.string().max(100).optional(),
    view: z.string().max(64).optional(),
    filter: FilterNode.optional(),
    sort: SortSpec.optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    cursor: z.string().max(2000).optional(),
    deleted: z.boolean().optional(),
  })
  .meta({ id: 'CustomerSearch' });

export const listCustomersRoute = createRoute({
  method: 'get',
  path: '/api/v1/customers',
  operationId: 'listCustomers',
  ...requires('customers.view'),
  summary: 'List customers the caller may see: a view, a filter and a quick search, one keyset page',
  tags,
  security,
  request: { query: CustomerListQuery },
  responses: { 200: jsonContent(CustomerPage, 'One page'), ...problemResponses(400, 401, 404) },
});

export const searchCustomersRoute = createRoute({
  method: 'post',
  path: '/api/v1/customers/search',
  operationId: 'searchCustomers',
  ...requires('customers.view'),
  summary: 'The same as listCustomers with the filter in the body, for long filters',
  tags,
  security,
  request: { body: jsonBody(CustomerSearch) },
  responses: { 200: jsonContent(CustomerPage, 'One page'), ...problemResponses(400, 401, 404, 413) },
});

export const ExportQuery = CustomerListQuery.omit({ limit: true, cursor: true }).extend({
  format: z.enum(TABLE_FORMATS).default('xlsx'),
  encoding: z.enum(EXPORT_ENCODINGS).optional().meta({ description: 'csv only: utf-8 (with a BOM, so Excel reads it) or gb18030 for older Chinese Excel' }),
  fields: z
    .string()
    .max(2000)
    .optional()
    .transform((v) => (v === undefined ? undefined : v.split(',').map((f) => f.trim()).filter(Boolean)))
    .meta({ description: 'Comma-separated field names in column order (default: the view columns, else the usual fields and every custom field)' }),
});

export const exportCustomersRoute = createRoute({
  method: 'get',
  path: '/api/v1/customers/export',
  operationId: 'exportCustomers',
  ...requires('customers.export'),
  summary: 'Export customers to xlsx or csv: the same view, filter and quick search as listCustomers, streamed',
  description:
    'Only customers the caller may see and fields their role does not hide. Text cells starting with = + - @, tab, CR or LF ' +
    'get a leading quote (formula injection). Headers, labels and times are in the caller language and the company time zone. ' +
    'Every export is written to the audit log with its row count.',
  tags,
  security,
  request: { query: ExportQuery },
  responses: {
    200: {
      description: 'The file',
      content: {
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().meta({ format: 'binary' }) },
        'text/csv': { schema: z.string().meta({ format: 'binary' }) },
      },
    },
    ...problemResponses(400, 401, 403, 404),
  },
});

export const createCustomerRoute = createRoute({
  method: 'post',
  path: '/api/v1/customers',
  operationId: 'createCustomer',
  ...requires('customers.create'),
  summary: 'Create a customer owned by the caller',
  description:
    'Phone numbers are normalised to E.164 and must not belong to another customer (409 names the holder). The new customer counts against the caller’s holding limit: 409 POOL.HOLDING_LIMIT at the limit. Accepts Idempotency-Key.',
  tags,
  security,
  request: { body: jsonBody(CustomerCreate) },
  responses: { 201: jsonContent(Customer, 'Created'), ...problemResponses(400, 401, 409, 413) },
});

export const getCustomerRoute = createRoute({
  method: 'get',
  path: '/api/v1/customers/{id}',
  operationId: 'getCustomer',
  ...requires('customers.view'),
  summary: 'One customer, also from the recycle bin',
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: jsonContent(Customer, 'The customer'), ...problemResponses(401, 404) },
});

export const getCustomerByPhoneRoute = createRoute({
  method: 'get',
  path: '/api/v1/customers/by-phone/{phone}',
  operationId: 'getCustomerByPhone',
  ...requires('customers.view'),
  summary: 'The customer holding a phone number, given in any format',
  tags,
  security,
  request: { params: z.object({ phone: z.string().min(1).max(40).meta({ param: { name: 'phone', in: 'path' } }) }) },
  responses: { 200: jsonContent(Customer, 'The customer'), ...problemResponses(400, 401, 404) },
});

export const updateCustomerRoute = createRoute({
  method: 'patch',
  path: '/api/v1/customers/{id}',
  operationId: 'updateCustomer',
  ...requires('customers.edit'),
  summary: 'Change some fields of a customer',
  tags,
  security,
  request: { params: IdParam, body: jsonBody(CustomerUpdate) },
  responses: { 200: jsonContent(Customer, 'Updated'), ...problemResponses(400, 401, 403, 404, 409, 413) },
});

export const deleteCustomerRoute = createRoute({
  method: 'delete',
  path: '/api/v1/customers/{id}',
  operationId: 'deleteCustomer',
  ...requires('customers.delete'),
  summary: 'Move a customer to the recycle bin (its numbers stay reserved)',
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: jsonContent(Customer, 'In the recycle bin'), ...problemResponses(401, 403, 404, 409) },
});

export const restoreCustomerRoute = createRoute({
  method: 'post',
  path: '/api/v1/customers/{id}/restore',
  operationId: 'restoreCustomer',
  ...requires('customers.delete'),
  summary: 'Bring a customer back from the recycle bin, to the owner and pool it had',
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: jsonContent(Customer, 'Restored'), ...problemResponses(401, 403, 404, 409) },
});

export const purgeCustomerRoute = createRoute({
  method: 'post',
  path: '/api/v1/customers/{id}/purge',
  operationId: 'purgeCustomer',
  ...requires('customers.purge'),
  summary: 'Delete a customer in the recycle bin for good (admins)',
  tags,
  security,
  request: { params: IdParam },
  responses: { 204: { description: 'Purged' }, ...problemResponses(401, 403, 404, 409) },
});

export const mergeCustomersRoute = createRoute({
  method: 'post',
  path: '/api/v1/customers/merge',
  operationId: 'mergeCustomers',
  ...requires('customers.merge'),
  summary: 'Merge a duplicate into a survivor',
  description: 'Phones, contacts, tags, focus marks and later records move to the survivor; its empty fields are filled; the duplicate goes to the recycle bin.',
  tags,
  security,
  request: { body: jsonBody(MergeInput) },
  responses: { 200: jsonContent(Customer, 'The survivor'), ...problemResponses(400, 401, 403, 404, 409) },
});

export const setCustomerFocusRoute = createRoute({
  method: 'put',
  path: '/api/v1/customers/{id}/focus',
  operationId: 'setCustomerFocus',
  ...requires('customers.view'),
  summary: "Mark a customer as one of the caller's focus customers (重点关注), with a colour",
  tags,
  security,
  request: { params: IdParam, body: jsonBody(FocusInput) },
  responses: { 200: jsonContent(Customer, 'Marked'), ...problemResponses(400, 401, 404) },
});

export const clearCustomerFocusRoute = createRoute({
  method: 'delete',
  path: '/api/v1/customers/{id}/focus',
  operationId: 'clearCustomerFocus',
  ...requires('customers.view'),
  summary: "Remove the caller's focus mark",
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: jsonContent(Customer, 'Unmarked'), ...problemResponses(401, 404) },
});
