import { z } from 'zod';

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'select', 'multiSelect', 'phone'] as const;
export const CustomFieldType = z.enum(CUSTOM_FIELD_TYPES).meta({ id: 'CustomFieldType' });
export type CustomFieldType = z.infer<typeof CustomFieldType>;

export const FIELD_MODULES = ['customer', 'contact'] as const;
export const FieldModule = z.enum(FIELD_MODULES).meta({ id: 'FieldModule' });
export type FieldModule = z.infer<typeof FieldModule>;

export const CustomFieldKey = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9_]{0,39}$/, 'a letter, then letters, digits or _ (at most 40)');

export const CustomField = z
  .object({
    id: z.string(),
    module: FieldModule,
    key: CustomFieldKey,
    label: z.string(),
    type: CustomFieldType,
    required: z.boolean(),
    hidden: z.boolean(),
    position: z.number().int(),
    options: z.array(z.string()).describe('Allowed values of select and multiSelect fields'),
    indexed: z.boolean(),
  })
  .meta({ id: 'CustomField' });
export type CustomField = z.infer<typeof CustomField>;

const options = z.array(z.string().trim().min(1).max(60)).max(500);

export const CustomFieldCreate = z
  .strictObject({
    module: FieldModule.default('customer'),
    key: CustomFieldKey,
    label: z.string().trim().min(1).max(60),
    type: CustomFieldType,
    required: z.boolean().default(false),
    hidden: z.boolean().default(false),
    position: z.number().int().min(0).optional(),
    options: options.default([]),
    indexed: z.boolean().default(false),
  })
  .meta({ id: 'CustomFieldCreate' });
export type CustomFieldCreate = z.infer<typeof CustomFieldCreate>;

export const CustomFieldUpdate = z
  .strictObject({
    label: z.string().trim().min(1).max(60).optional(),
    required: z.boolean().optional(),
    hidden: z.boolean().optional(),
    position: z.number().int().min(0).optional(),
    options: options.optional(),
    indexed: z.boolean().optional(),
  })
  .meta({ id: 'CustomFieldUpdate' });
export type CustomFieldUpdate = z.infer<typeof CustomFieldUpdate>;
