import { z } from 'zod';
import type { DataScope, FieldPermissions, Permission } from '../access/access.schema.js';

export const USER_STATUSES = ['active', 'disabled'] as const;

export const User = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    isAdmin: z.boolean(),
    departmentId: z.string().nullable(),
    roleId: z.string().nullable(),
    status: z.enum(USER_STATUSES),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const Username = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[a-zA-Z0-9._-]+$/, 'letters, digits, dot, dash and underscore');

export const Password = z.string().min(8, 'at least 8 characters').max(200);

export const UserCreate = z
  .strictObject({
    username: Username,
    displayName: z.string().trim().min(1).max(60),
    password: Password,
    isAdmin: z.boolean().default(false),
    departmentId: z.string().nullable().default(null),
    roleId: z.string().nullable().default(null).meta({ description: 'Defaults to the agent role (销售员)' }),
  })
  .meta({ id: 'UserCreate' });
export type UserCreate = z.infer<typeof UserCreate>;

export const Department = z
  .object({ id: z.string(), name: z.string(), parentId: z.string().nullable(), createdAt: z.string() })
  .meta({ id: 'Department' });
export type Department = z.infer<typeof Department>;

export const DepartmentCreate = z
  .strictObject({ name: z.string().trim().min(1).max(60), parentId: z.string().nullable().default(null) })
  .meta({ id: 'DepartmentCreate' });
export type DepartmentCreate = z.infer<typeof DepartmentCreate>;

export const LoginRequest = z
  .strictObject({ username: z.string().min(1).max(40), password: z.string().min(1).max(200) })
  .meta({ id: 'LoginRequest' });

export const LoginResponse = z
  .object({ token: z.string(), expiresAt: z.string(), user: User })
  .meta({ id: 'LoginResponse' });

/** Who is asking: every service call and every customer read takes one. */
export interface Actor {
  userId: string;
  isAdmin: boolean;
  departmentId: string | null;
  roleId: string | null;
  /** What the role's data scope adds to the records everyone sees of their own. */
  dataScope: DataScope;
  /** What the role grants, narrowed to the API key's grants when the request came with a key. */
  permissions: readonly Permission[];
  fieldPermissions: FieldPermissions;
  via: 'token' | 'key';
  keyId: string | null;
}
