import type { App } from '../http/app-env.js';
import { registerAuthRoutes } from './auth/auth.handlers.js';
import { registerCustomerRoutes } from './customers/customers.handlers.js';
import { registerPeopleRoutes } from './people/people.handlers.js';
import { registerSettingsRoutes } from './settings/settings.handlers.js';
import { registerSystemRoutes } from './system/system.handlers.js';
import { registerViewRoutes } from './views/views.handlers.js';

/** Every route of the API, and the security scheme they declare. */
export function registerRoutes(app: App): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A token from `login`',
  });
  registerAuthRoutes(app);
  registerCustomerRoutes(app);
  registerViewRoutes(app);
  registerSettingsRoutes(app);
  registerPeopleRoutes(app);
  registerSystemRoutes(app);
}
