import type { App } from '../../http/app-env.js';
import { problem } from '../../http/respond.js';
import * as customers from '../../services/customer.service.js';
import { exportCustomers } from '../../services/export.service.js';
import { sendDownload } from '../../export/download.js';
import {
  clearCustomerFocusRoute,
  createCustomerRoute,
  deleteCustomerRoute,
  exportCustomersRoute,
  getCustomerByPhoneRoute,
  getCustomerRoute,
  listCustomersRoute,
  mergeCustomersRoute,
  purgeCustomerRoute,
  restoreCustomerRoute,
  searchCustomersRoute,
  setCustomerFocusRoute,
  updateCustomerRoute,
} from './customers.routes.js';

export function registerCustomerRoutes(app: App): void {
  app.openapi(listCustomersRoute, async (c) => {
    const r = await customers.listCustomers(c.get('ctx'), c.get('actor'), c.req.valid('query'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(searchCustomersRoute, async (c) => {
    const r = await customers.listCustomers(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(createCustomerRoute, async (c) => {
    const r = await customers.createCustomer(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(r.value, 201) : problem(c, r.error);
  });
  // Before getCustomer, whose `{id}` would take the word `export` for an id.
  app.openapi(exportCustomersRoute, async (c) => {
    const r = await exportCustomers(c.get('ctx'), c.get('actor'), c.req.valid('query'), c.get('lang'));
    return r.ok ? sendDownload(r.value) : problem(c, r.error);
  });
  app.openapi(getCustomerByPhoneRoute, async (c) => {
    const r = await customers.getCustomerByPhone(c.get('ctx'), c.get('actor'), c.req.valid('param').phone);
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(getCustomerRoute, async (c) => {
    const r = await customers.getCustomer(c.get('ctx'), c.get('actor'), c.req.valid('param').id);
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(updateCustomerRoute, async (c) => {
    const r = await customers.updateCustomer(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(deleteCustomerRoute, async (c) => {
    const r = await customers.deleteCustomer(c.get('ctx'), c.get('actor'), c.req.valid('param').id);
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(restoreCustomerRoute, async (c) => {
    const r = await customers.restoreCustomer(c.get('ctx'), c.get('actor'), c.req.valid('param').id);
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(purgeCustomerRoute, async (c) => {
    const r = await customers.purgeCustomer(c.get('ctx'), c.get('actor'), c.req.valid('param').id);
    return r.ok ? c.body(null, 204) : problem(c, r.error);
  });
  app.openapi(mergeCustomersRoute, async (c) => {
    const r = await customers.mergeCustomers(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(setCustomerFocusRoute, async (c) => {
    const r = await customers.setCustomerFocus(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.req.valid('json').colour);
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(clearCustomerFocusRoute, async (c) => {
    const r = await customers.setCustomerFocus(c.get('ctx'), c.get('actor'), c.req.valid('param').id, null);
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
}
