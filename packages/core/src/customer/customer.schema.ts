import { z } from 'zod';
import { DEAL_STATUSES, POOLS } from '../fields/field.catalogue.js';

const isoTime = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().max(max);

export const Pool = z.enum(POOLS).meta({ id: 'Pool', description: 'lead 潜在客户, pending 待分配, private 跟进中, public 公海' });
export const DealStatus = z.enum(DEAL_STATUSES).meta({ id: 'DealStatus' });
export type Pool = z.infer<typeof Pool>;
export type DealStatus = z.infer<typeof DealStatus>;

export const CustomValue = z.union([z.string(), z.number(), z.array(z.string()), z.null()]);
export type CustomValue = z.infer<typeof CustomValue>;
export const CustomValues = z.record(z.string(), CustomValue).meta({ id: 'CustomValues', description: 'Custom field values by key' });

export const CustomerPhone = z
  .object({
    number: z.string().meta({ description: 'E.164', example: '+8613800138000' }),
    extension: z.string().nullable(),
    label: z.string().nullable(),
  })
  .meta({ id: 'CustomerPhone' });
export type CustomerPhone = z.infer<typeof CustomerPhone>;

export const Contact = z
  .object({
    id: z.string(),
    name: z.string(),
    title: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    wechat: z.string().nullable(),
    remark: z.string().nullable(),
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof Contact>;

export const Focus = z.object({ colour: z.string() }).meta({ id: 'Focus' });

export const Customer = z
  .object({
    id: z.string(),
    name: z.string(),
    company: z.string().nullable(),
    phones: z.array(CustomerPhone),
    wechat: z.string().nullable(),
    email: z.string().nullable(),
    source: z.string().nullable(),
    industry: z.string().nullable(),
    region: z.string().nullable(),
    status: z.string().nullable(),
    stage: z.string().nullable(),
    level: z.string().nullable(),
    tags: z.array(z.string()),
    remark: z.string().nullable(),
    hot: z.boolean(),
    focus: Focus.nullable().meta({ description: "The caller's own focus mark (重点关注)" }),
    wrongNumber: z.boolean(),
    doNotCall: z.boolean(),
    dealStatus: DealStatus,
    pool: Pool,
    ownerId: z.string().nullable(),
    publicPoolId: z.string().nullable().meta({ description: 'The public pool a public customer sits in' }),
    ownedSince: isoTime.nullable().meta({ description: 'Since when the owner holds it: the clock of the return rules' }),
    locked: z.boolean().meta({ description: 'Locked (锁定): never returned to the public pool by rule' }),
    protectedUntil: isoTime.nullable(),
    lastContactAt: isoTime.nullable(),
    lastCallAt: isoTime.nullable(),
    lastFollowUpAt: isoTime.nullable(),
    lastCallResult: z.string().nullable(),
    nextFollowUpAt: isoTime.nullable(),
    custom: CustomValues,
    contacts: z.array(Contact),
    createdBy: z.string().nullable(),
    createdAt: isoTime,
    updatedBy: z.string().nullable(),
    updatedAt: isoTime,
    deletedAt: isoTime.nullable(),
  })
  .meta({ id: 'Customer', description: "A customer as the caller may see it: fields hidden from the caller's role are absent." });
export type Customer = z.infer<typeof Customer>;

export const PhoneInput = z
  .strictObject({
    number: z.string().min(1).max(40).meta({ description: 'Any format: 138 0013 8000, +86-138-0013-8000, full-width digits' }),
    label: text(30).optional(),
  })
  .meta({ id: 'PhoneInput' });

export const ContactInput = z
  .strictObject({
    name: text(60).min(1),
    title: text(60).nullable().optional(),
    phone: z.string().max(40).nullable().optional(),
    email: z.email().max(120).nullable().optional(),
    wechat: text(60).nullable().optional(),
    remark: text(500).nullable().optional(),
  })
  .meta({ id: 'ContactInput' });
export type ContactInput = z.infer<typeof ContactInput>;

const editable = {
  company: text(120).nullable().optional(),
  phones: z.array(PhoneInput).max(20).optional().meta({ description: 'The first is the primary number' }),
  wechat: text(60).nullable().optional(),
  email: z.email().max(120).nullable().optional(),
  source: z.string().nullable().optional(),
  industry: z.string().nullable().optional(),
  region: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
  stage: z.string().nullable().optional(),
  level: z.string().nullable().optional(),
  tags: z.array(z.string()).max(50).optional(),
  remark: text(2000).nullable().optional(),
  hot: z.boolean().optional(),
  wrongNumber: z.boolean().optional(),
  doNotCall: z.boolean().optional(),
  nextFollowUpAt: isoTime.nullable().optional(),
  custom: CustomValues.optional(),
  contacts: z.array(ContactInput).max(50).optional().meta({ description: 'Replaces the whole list' }),
};

export const CustomerCreate = z
  .strictObject({ name: text(100).min(1), ...editable })
  .meta({ id: 'CustomerCreate', description: 'A new customer, owned by the caller (private pool).' });
export type CustomerCreate = z.infer<typeof CustomerCreate>;

export const CustomerUpdate = z
  .strictObject({ name: text(100).min(1).optional(), ...editable })
  .meta({ id: 'CustomerUpdate', description: 'Only the fields given change; null clears a field.' });
export type CustomerUpdate = z.infer<typeof CustomerUpdate>;

export const FOCUS_COLOURS = ['red', 'orange', 'yellow', 'green', 'blue', 'purple'] as const;
export const FocusInput = z
  .strictObject({ colour: z.enum(FOCUS_COLOURS).default('red') })
  .meta({ id: 'FocusInput' });

export const MergeInput = z
  .strictObject({
    survivorId: z.string().min(1),
    mergedId: z.string().min(1).meta({ description: 'Goes to the recycle bin after its data moved' }),
  })
  .meta({ id: 'MergeInput' });
