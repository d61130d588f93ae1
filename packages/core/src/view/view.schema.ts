import { z } from 'zod';
import { FilterNode, SortSpec } from './filter.schema.js';

export const View = z
  .object({
    id: z.string(),
    name: z.string(),
    builtIn: z.boolean(),
    shared: z.boolean().meta({ description: 'Shared views are seen by everyone; personal ones by their owner' }),
    ownerId: z.string().nullable(),
    filter: FilterNode.nullable(),
    columns: z.array(z.string()),
    sort: SortSpec.nullable(),
    isDefault: z.boolean().meta({ description: "Whether this is the caller's default view" }),
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'View' });
export type View = z.infer<typeof View>;

export const ViewCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(60),
    shared: z.boolean().default(false),
    filter: FilterNode.nullable().default(null),
    columns: z.array(z.string().min(1).max(80)).max(60).default([]),
    sort: SortSpec.nullable().default(null),
    isDefault: z.boolean().default(false),
  })
  .meta({ id: 'ViewCreate' });
export type ViewCreate = z.infer<typeof ViewCreate>;

export const ViewUpdate = z
  .strictObject({
    name: z.string().trim().min(1).max(60).optional(),
    shared: z.boolean().optional(),
    filter: FilterNode.nullable().optional(),
    columns: z.array(z.string().min(1).max(80)).max(60).optional(),
    sort: SortSpec.nullable().optional(),
    isDefault: z.boolean().optional(),
  })
  .meta({ id: 'ViewUpdate' });
export type ViewUpdate = z.infer<typeof ViewUpdate>;
