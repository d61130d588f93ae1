import { createRoute, z } from '@hono/zod-openapi';
import {
  AssignInput,
  AssignReport,
  ClaimInput,
  CollaboratorsInput,
  CustomerSharing,
  DueCustomer,
  Holding,
  MoveReport,
  PoolEvent,
  ReleaseInput,
  ReturnRun,
  ReturnRunInput,
  ShareInput,
  TransferInput,
  ValidateInput,
} from '@telecrm/core';
import { requires } from '../../http/permissions.js';
import { IdParam, jsonBody, jsonContent, problemResponses } from '../../http/respond.js';

const security = [{ bearer: [] }];
const tags = ['Pools'];

export const claimCustomersRoute = createRoute({
  method: 'post',
  path: '/api/v1/customers/claim',
  operationId: 'claimCustomers',
  ...requires('customers.claim'),
  summary: 'Claim customers from the public pool (领取): listed ones, or the next N',
  description:
    'One transaction counts the caller’s holding and claims of the day with the write, so the limits hold however many ' +
    'claim at once; a customer someone else got first is reported in its result, not taken.',
  tags,
  security,
  request: { body: jsonBody(ClaimInput) },
  responses: { 200: jsonContent(MoveReport, 'Each customer: claimed, or why not'), ...problemResponses(400, 401, 403, 404) },
});

export const releaseCustomersRoute = createRoute({
  method: 'post',
  path: '/api/v1/customers/release',
  operationId: 'releaseCustomers',
  ...requires('customers.release'),
  summary: 'Give customers up to the public pool (放弃) with a release reason',
  tags,
  security,
  request: { body: jsonBody(ReleaseInput) },
  responses: { 200: jsonContent(MoveReport, 'Each customer: released, or why not'), ...problemResponses(400, 401, 403, 404) },
});

export const validateLeadsRoute = createRoute({
  method: 'post',
  path: '/api/v1/customers/validate',
  operationId: 'validateLeads',
  ...requires('customers.assign'),
  summary: 'Move leads found valid (认定为有效) to the pending pool',
  tags,
  security,
  request: { body: jsonBody(ValidateInput) },
  responses: { 200: jsonContent(MoveReport, 'Each customer: moved, or why not'), ...problemResponses(400, 401, 403) },
});

export const assignCustomersRoute = createRoute({
  method: 'post',
  path: '/api/v1/customers/assign',
  operationId: 'assignCustomers',
  ...requires('customers.assign'),
  summary: 'Assign customers (分配) to agents by a strategy: round-robin, even, by-previous-owner, least-loaded, weighted',
  description:
    'The customers: a list, a view or filter, or what an import created. Disabled agents and agents at their holding limit ' +
    'are skipped; every customer not placed is reported with why. Round-robin continues where the previous call of the ' +
    'same scope stopped.',
  tags,
  security,
  request: { body: jsonBody(AssignInput) },
  responses: { 200: jsonContent(AssignReport, 'Assigned, not placed, skipped agents'), ...problemResponses(400, 401, 403, 404) },
});

export const transferCustomersRoute = createRoute({
  method: 'post',
  path: '/api/v1/customers/transfer',
  operationId: 'transferCustomers',
  ...requires('customers.assign'),
  summary: 'Move customers to another owner (转移), or everything one agent holds (离职交接)',
  tags,
  security,
  request: { body: jsonBody(TransferInput) },
  responses: { 200: jsonContent(MoveReport, 'Each customer: moved, or why not'), ...problemResponses(400, 401, 403, 404) },
});

export const getCustomerJourneyRoute = createRoute({
  method: 'get',
  path: '/api/v1/customers/{id}/journey',
  operationId: 'getCustomerJourney',
  ...requires('customers.view'),
  summary: "A customer's journey (客户旅程): every move between pools and owners, who, when, why",
  tags,
  security,
  request: { params: IdParam },
  responses: {
    200: jsonContent(z.object({ items: z.array(PoolEvent) }).meta({ id: 'CustomerJourney' }), 'Oldest first'),
    ...problemResponses(401, 403, 404),
  },
});

export const runPoolReturnsRoute = createRoute({
  method: 'post',
  path: '/api/v1/pool/returns',
  operationId: 'runPoolReturns',
  ...requires('customers.assign'),
  summary: 'Apply the return rules now (自动回收), or with dryRun list what would move and by which rule',
  description: 'The server also runs them on its own every CRM_POOL_RETURN_MINUTES. `asOf` evaluates the rules at another moment (a dry run of next week).',
  tags,
  security,
  request: { body: jsonBody(ReturnRunInput) },
  responses: { 200: jsonContent(ReturnRun, 'What moved, or would'), ...problemResponses(400, 401, 403) },
});

export const aboutToReturnRoute = createRoute({
  method: 'get',
  path: '/api/v1/pool/about-to-return',
  operationId: 'listAboutToReturn',
  ...requires('customers.view'),
  summary: 'Customers a return rule will take back soon (急需跟进), soonest first, of those the caller sees',
  tags,
  security,
  request: { query: z.object({ withinDays: z.coerce.number().int().min(0).max(365).optional().meta({ description: 'Default: the reminder days' }) }) },
  responses: { 200: jsonContent(z.object({ items: z.array(DueCustomer) }).meta({ id: 'DueCustomerList' }), 'Soonest first'), ...problemResponses(400, 401, 403) },
});

export const holdingsRoute = createRoute({
  method: 'get',
  path: '/api/v1/pool/holdings',
  operationId: 'listHoldings',
  ...requires('customers.assign'),
  summary: 'How many private customers each agent the caller reaches holds, against the holding limit',
  tags,
  security,
  responses: {
    200: jsonContent(z.object({ items: z.array(Holding) }).meta({ id: 'HoldingList' }), 'Per agent'),
    ...problemResponses(401, 403),
  },
});

export const shareCustomersRoute = createRoute({
  method: 'post',
  path: '/api/v1/customers/share',
  operationId: 'shareCustomers',
  ...requires('customers.edit'),
  summary: 'Share customers (共享) with users and departments: they see them, read-only',
  tags,
  security,
  request: { body: jsonBody(ShareInput) },
  responses: { 200: jsonContent(MoveReport, 'Each customer: shared, or why not'), ...problemResponses(400, 401, 403, 404) },
});

export const unshareCustomersRoute = createRoute({
  method: 'post',
  path: '/api/v1/customers/unshare',
  operationId: 'unshareCustomers',
  ...requires('customers.edit'),
  summary: 'Stop sharing customers with these users and departments',
  tags,
  security,
  request: { body: jsonBody(ShareInput) },
  responses: { 200: jsonContent(MoveReport, 'Each customer: done, or why not'), ...problemResponses(400, 401, 403, 404) },
});

export const getCustomerSharingRoute = createRoute({
  method: 'get',
  path: '/api/v1/customers/{id}/sharing',
  operationId: 'getCustomerSharing',
  ...requires('customers.view'),
  summary: 'Who a customer is shared with (共享) and who assists on it (协助人)',
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: jsonContent(CustomerSharing, 'Shares and collaborators'), ...problemResponses(401, 403, 404) },
});

export const setCollaboratorsRoute = createRoute({
  method: 'put',
  path: '/api/v1/customers/{id}/collaborators',
  operationId: 'setCollaborators',
  ...requires('customers.edit'),
  summary: 'Set the collaborators (协助人) of a customer: they see it and may work it',
  tags,
  security,
  request: { params: IdParam, body: jsonBody(CollaboratorsInput) },
  responses: { 200: jsonContent(CustomerSharing, 'Shares and collaborators'), ...problemResponses(400, 401, 403, 404) },
});
