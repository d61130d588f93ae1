import { describeError, type DomainError, type Lang } from '@telecrm/core';
import type { App } from '../../http/app-env.js';
import { problem } from '../../http/respond.js';
import * as pools from '../../services/pool.service.js';
import { aboutToReturn, holdingsReport, runPoolReturns } from '../../services/pool-returns.service.js';
import { getSharing, setCollaborators, shareCustomers } from '../../services/sharing.service.js';
import type { MoveReport } from '../../services/pool.service.js';
import {
  aboutToReturnRoute,
  assignCustomersRoute,
  holdingsRoute,
  runPoolReturnsRoute,
  claimCustomersRoute,
  getCustomerJourneyRoute,
  getCustomerSharingRoute,
  releaseCustomersRoute,
  setCollaboratorsRoute,
  shareCustomersRoute,
  transferCustomersRoute,
  unshareCustomersRoute,
  validateLeadsRoute,
} from './pool.routes.js';

/** A per-item failure as the report shows it: the code, the message in the caller's language, the facts. */
const summary = (error: DomainError, lang: Lang) => ({ code: error.code, message: describeError(error, lang), ...(error.params ? { params: error.params } : {}) });

const presentMoves = (report: MoveReport, lang: Lang) => ({
  moved: report.moved,
  // A customer the caller does not see has no name in the report (the service gives none): not found.
  results: report.results.map((r) => (r.ok ? r : { customerId: r.customerId, ...(r.name ? { name: r.name } : {}), ok: false, error: summary(r.error, lang) })),
});

export function registerPoolRoutes(app: App): void {
  app.openapi(claimCustomersRoute, async (c) => {
    const r = await pools.claimCustomers(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(presentMoves(r.value, c.get('lang')), 200) : problem(c, r.error);
  });
  app.openapi(releaseCustomersRoute, async (c) => {
    const r = await pools.releaseCustomers(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(presentMoves(r.value, c.get('lang')), 200) : problem(c, r.error);
  });
  app.openapi(validateLeadsRoute, async (c) => {
    const r = await pools.validateLeads(c.get('ctx'), c.get('actor'), c.req.valid('json').customerIds);
    return r.ok ? c.json(presentMoves(r.value, c.get('lang')), 200) : problem(c, r.error);
  });
  app.openapi(assignCustomersRoute, async (c) => {
    const r = await pools.assignCustomers(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    if (!r.ok) return problem(c, r.error);
    const lang = c.get('lang');
    return c.json({ ...r.value, unplaced: r.value.unplaced.map((u) => ({ customerId: u.customerId, error: summary(u.error, lang) })) }, 200);
  });
  app.openapi(transferCustomersRoute, async (c) => {
    const r = await pools.transferCustomers(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(presentMoves(r.value, c.get('lang')), 200) : problem(c, r.error);
  });
  app.openapi(runPoolReturnsRoute, async (c) => {
    const { dryRun, asOf } = c.req.valid('json');
    const r = await runPoolReturns(c.get('ctx'), { dryRun, asOf: asOf ? new Date(asOf) : undefined });
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(aboutToReturnRoute, async (c) => {
    return c.json({ items: await aboutToReturn(c.get('ctx'), c.get('actor'), c.req.valid('query').withinDays) }, 200);
  });
  app.openapi(holdingsRoute, async (c) => c.json({ items: await holdingsReport(c.get('ctx'), c.get('actor')) }, 200));
  app.openapi(shareCustomersRoute, async (c) => {
    const r = await shareCustomers(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(presentMoves(r.value, c.get('lang')), 200) : problem(c, r.error);
  });
  app.openapi(unshareCustomersRoute, async (c) => {
    const r = await shareCustomers(c.get('ctx'), c.get('actor'), c.req.valid('json'), true);
    return r.ok ? c.json(presentMoves(r.value, c.get('lang')), 200) : problem(c, r.error);
  });
  app.openapi(getCustomerSharingRoute, async (c) => {
    const r = await getSharing(c.get('ctx'), c.get('actor'), c.req.valid('param').id);
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(setCollaboratorsRoute, async (c) => {
    const r = await setCollaborators(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.req.valid('json').userIds);
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(getCustomerJourneyRoute, async (c) => {
    const r = await pools.getCustomerJourney(c.get('ctx'), c.get('actor'), c.req.valid('param').id);
    return r.ok ? c.json({ items: r.value }, 200) : problem(c, r.error);
  });
}
