import { z } from 'zod';

/** The editable lists whose values built-in fields must take. */
export const PICKLIST_NAMES = ['source', 'industry', 'status', 'stage', 'level', 'region', 'tags', 'releaseReason'] as const;
export const PicklistName = z.enum(PICKLIST_NAMES).meta({ id: 'PicklistName' });
export type PicklistName = z.infer<typeof PicklistName>;

export const PicklistValue = z
  .object({
    id: z.string(),
    list: PicklistName,
    value: z.string(),
    position: z.number().int(),
    active: z.boolean(),
    color: z.string().nullable(),
    aliases: z.array(z.string()).meta({ description: 'Other spellings an import accepts for this value, e.g. 百度 for 网络推广' }),
  })
  .meta({ id: 'PicklistValue' });
export type PicklistValue = z.infer<typeof PicklistValue>;

const Aliases = z
  .array(z.string().trim().min(1).max(60))
  .max(50)
  .refine((list) => new Set(list).size === list.length, 'each alias once')
  .meta({ description: 'Other spellings an import accepts for this value (import files must otherwise match exactly)' });

export const PicklistValueCreate = z
  .strictObject({
    value: z.string().trim().min(1).max(60),
    aliases: Aliases.optional(),
    position: z.number().int().min(0).optional(),
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/).nullable().optional(),
  })
  .meta({ id: 'PicklistValueCreate' });
export type PicklistValueCreate = z.infer<typeof PicklistValueCreate>;

export const PicklistValueUpdate = z
  .strictObject({
    value: z.string().trim().min(1).max(60).optional(),
    aliases: Aliases.optional(),
    position: z.number().int().min(0).optional(),
    active: z.boolean().optional(),
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/).nullable().optional(),
  })
  .meta({ id: 'PicklistValueUpdate' });
export type PicklistValueUpdate = z.infer<typeof PicklistValueUpdate>;
