import { createRoute, z } from '@hono/zod-openapi';
import {
  CustomField,
  CustomFieldCreate,
  CustomFieldUpdate,
  FieldModule,
  PicklistName,
  PicklistValue,
  PicklistValueCreate,
  PicklistValueUpdate,
} from '@telecrm/core';
import { requires } from '../../http/permissions.js';
import { IdParam, jsonBody, jsonContent, problemResponses } from '../../http/respond.js';

const security = [{ bearer: [] }];

export const Company = z
  .object({ id: z.string(), name: z.string(), timeZone: z.string(), phoneRegion: z.string() })
  .meta({ id: 'Company' });

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const CompanyUpdate = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Shanghai').optional(),
  })
  .meta({ id: 'CompanyUpdate' });

export const getCompanyRoute = createRoute({
  method: 'get',
  path: '/api/v1/company',
  operationId: 'getCompany',
  summary: 'Company settings: name, time zone (days, "today" and reminders are counted in it)',
  tags: ['Settings'],
  security,
  responses: { 200: jsonContent(Company, 'The company'), ...problemResponses(401) },
});

export const updateCompanyRoute = createRoute({
  method: 'patch',
  path: '/api/v1/company',
  operationId: 'updateCompany',
  ...requires('settings.edit'),
  summary: 'Change company settings (admins)',
  tags: ['Settings'],
  security,
  request: { body: jsonBody(CompanyUpdate) },
  responses: { 200: jsonContent(Company, 'Updated'), ...problemResponses(400, 401, 403) },
});

const FieldList = z.object({ items: z.array(CustomField) }).meta({ id: 'CustomFieldList' });

export const listCustomFieldsRoute = createRoute({
  method: 'get',
  path: '/api/v1/fields',
  operationId: 'listCustomFields',
  summary: 'Custom field definitions, in display order',
  tags: ['Settings'],
  security,
  request: { query: z.object({ module: FieldModule.optional() }) },
  responses: { 200: jsonContent(FieldList, 'The fields'), ...problemResponses(400, 401) },
});

export const createCustomFieldRoute = createRoute({
  method: 'post',
  path: '/api/v1/fields',
  operationId: 'createCustomField',
  ...requires('settings.edit'),
  summary: 'Define a custom field (admins)',
  tags: ['Settings'],
  security,
  request: { body: jsonBody(CustomFieldCreate) },
  responses: { 201: jsonContent(CustomField, 'Defined'), ...problemResponses(400, 401, 403, 409) },
});

export const updateCustomFieldRoute = createRoute({
  method: 'patch',
  path: '/api/v1/fields/{id}',
  operationId: 'updateCustomField',
  ...requires('settings.edit'),
  summary: 'Change a custom field: label, required, hidden, order, options, indexed (admins)',
  tags: ['Settings'],
  security,
  request: { params: IdParam, body: jsonBody(CustomFieldUpdate) },
  responses: { 200: jsonContent(CustomField, 'Updated'), ...problemResponses(400, 401, 403, 404) },
});

export const deleteCustomFieldRoute = createRoute({
  method: 'delete',
  path: '/api/v1/fields/{id}',
  operationId: 'deleteCustomField',
  ...requires('settings.edit'),
  summary: 'Remove a custom field definition (admins)',
  tags: ['Settings'],
  security,
  request: { params: IdParam },
  responses: { 204: { description: 'Removed' }, ...problemResponses(401, 403, 404) },
});

const PicklistValueList = z.object({ items: z.array(PicklistValue) }).meta({ id: 'PicklistValueList' });
const ListParam = z.object({ list: PicklistName.meta({ param: { name: 'list', in: 'path' } }) });
const ListValueParams = ListParam.extend({ id: z.string().min(1).max(64).meta({ param: { name: 'id', in: 'path' } }) });

export const listPicklistsRoute = createRoute({
  method: 'get',
  path: '/api/v1/picklists',
  operationId: 'listPicklists',
  summary: 'Every picklist value (source, industry, status, stage, level, region, tags, release reasons)',
  tags: ['Settings'],
  security,
  responses: { 200: jsonContent(PicklistValueList, 'The values'), ...problemResponses(401) },
});

export const getPicklistRoute = createRoute({
  method: 'get',
  path: '/api/v1/picklists/{list}',
  operationId: 'getPicklist',
  summary: 'The values of one picklist',
  tags: ['Settings'],
  security,
  request: { params: ListParam },
  responses: { 200: jsonContent(PicklistValueList, 'The values'), ...problemResponses(400, 401) },
});

export const addPicklistValueRoute = createRoute({
  method: 'post',
  path: '/api/v1/picklists/{list}/values',
  operationId: 'addPicklistValue',
  ...requires('settings.edit'),
  summary: 'Add a value to a picklist (admins)',
  tags: ['Settings'],
  security,
  request: { params: ListParam, body: jsonBody(PicklistValueCreate) },
  responses: { 201: jsonContent(PicklistValue, 'Added'), ...problemResponses(400, 401, 403, 409) },
});

export const updatePicklistValueRoute = createRoute({
  method: 'patch',
  path: '/api/v1/picklists/{list}/values/{id}',
  operationId: 'updatePicklistValue',
  ...requires('settings.edit'),
  summary: 'Rename (customers follow), reorder or deactivate a picklist value (admins)',
  tags: ['Settings'],
  security,
  request: { params: ListValueParams, body: jsonBody(PicklistValueUpdate) },
  responses: { 200: jsonContent(PicklistValue, 'Updated'), ...problemResponses(400, 401, 403, 404, 409) },
});

export const deletePicklistValueRoute = createRoute({
  method: 'delete',
  path: '/api/v1/picklists/{list}/values/{id}',
  operationId: 'deletePicklistValue',
  ...requires('settings.edit'),
  summary: 'Remove a picklist value (admins); customers holding it keep it until edited',
  tags: ['Settings'],
  security,
  request: { params: ListValueParams },
  responses: { 204: { description: 'Removed' }, ...problemResponses(400, 401, 403, 404) },
});
