import type { App } from '../http/app-env.js';
import { registerAuthRoutes } from './auth/auth.handlers.js';
import { registerCustomerRoutes } from './customers/customers.handlers.js';
import { registerImportRoutes } from './imports/imports.handlers.js';
import { registerKeyRoutes } from './keys/keys.handlers.js';
import { registerLogRoutes } from './logs/logs.handlers.js';
import { registerPeopleRoutes } from './people/people.handlers.js';
import { registerPoolRoutes } from './pool/pool.handlers.js';
import { registerPoolSettingsRoutes } from './pool/pool-settings.handlers.js';
import { registerRoleRoutes } from './roles/roles.handlers.js';
import { registerSettingsRoutes } from './settings/settings.handlers.js';
import { registerSystemRoutes } from './system/system.handlers.js';
import { registerViewRoutes } from './views/views.handlers.js';

/** Every route of the API, and the security scheme they declare. */
export function registerRoutes(app: App): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A login token from `login`, or an API key (`crm_…`) from `createApiKey`',
  });
  registerAuthRoutes(app);
  registerCustomerRoutes(app);
  registerImportRoutes(app);
  registerPoolRoutes(app);
  registerPoolSettingsRoutes(app);
  registerViewRoutes(app);
  registerSettingsRoutes(app);
  registerPeopleRoutes(app);
  registerRoleRoutes(app);
  registerLogRoutes(app);
  registerKeyRoutes(app);
  registerSystemRoutes(app);
}
