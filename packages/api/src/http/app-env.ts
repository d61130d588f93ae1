import type { Actor, Lang, User } from '@telecrm/core';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ServiceContext } from '../services/context.js';

export interface AppVariables {
  ctx: ServiceContext;
  lang: Lang;
  actor: Actor;
  user: User;
  token: string;
}

export type AppEnv = { Variables: AppVariables };
export type App = OpenAPIHono<AppEnv>;
