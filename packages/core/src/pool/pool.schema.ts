import { z } from 'zod';
import { Pool } from '../customer/customer.schema.js';
import { FilterNode } from '../view/filter.schema.js';
import { ALLOCATION_STRATEGIES } from './allocation.rules.js';

const isoTime = z.iso.datetime({ offset: true });
const days = z.number().int().min(0).max(3650);

/**
 * The pool rules (客户池规则) of the company, or of a department where it sets them. Every limit is
 * off (null) until set; a new company returns nobody to the public pool until a manager decides.
 */
export const PoolRules = z
  .strictObject({
    holdingLimit: z.number().int().min(0).max(1_000_000).nullable().meta({ description: 'Most private customers an agent may hold (最大客户数)' }),
    dailyClaimLimit: z.number().int().min(0).max(100_000).nullable().meta({ description: 'Most claims from the public pool per agent per day (resets at local midnight)' }),
    protectionDays: days.nullable().meta({ description: 'Days after a claim or an assignment during which the customer is never returned (保护期)' }),
    returnNoFollowUpDays: days.min(1).nullable().meta({ description: 'Return to the public pool after this many days without a follow-up' }),
    returnNoDealDays: days.min(1).nullable().meta({ description: 'Return after this many days owned without a deal' }),
    byLevel: z
      .record(
        z.string().min(1).max(60),
        z.strictObject({ returnNoFollowUpDays: days.min(1).nullable().optional(), returnNoDealDays: days.min(1).nullable().optional() }),
      )
      .meta({ description: 'Per customer level (客户级别), other return days; null turns a rule off for that level. A department override names only the levels and days it changes' }),
    exemptWon: z.boolean().meta({ description: 'Won customers are never returned' }),
    exemptLocked: z.boolean().meta({ description: 'Locked customers (锁定) are never returned' }),
    reminderDays: days.nullable().meta({ description: 'Warn the owner this many days before a return (急需跟进)' }),
    claimCooldownDays: days.nullable().meta({ description: 'An agent cannot claim again a customer it released or lost within this many days' }),
    claimRoleIds: z.array(z.string()).nullable().meta({ description: 'Roles whose users may claim; null: everyone holding customers.claim' }),
  })
  .meta({ id: 'PoolRules' });
export type PoolRules = z.infer<typeof PoolRules>;

/** What a department changes of the company's rules: only the fields it names. */
export const PoolRulesOverride = PoolRules.partial().meta({ id: 'PoolRulesOverride' });
export type PoolRulesOverride = z.infer<typeof PoolRulesOverride>;

export const DEFAULT_POOL_RULES: PoolRules = {
  holdingLimit: null,
  dailyClaimLimit: null,
  protectionDays: null,
  returnNoFollowUpDays: null,
  returnNoDealDays: null,
  byLevel: {},
  exemptWon: true,
  exemptLocked: true,
  reminderDays: 3,
  claimCooldownDays: null,
  claimRoleIds: null,
};

/**
 * The rules that apply in a department: for each field, the override of the nearest department on
 * the path from it up to the top that sets the field, else the company's. The days per customer level
 * are fields of their own: a department that sets the days of one level keeps the others' days.
 *
 * @example effectivePoolRules(company, [teamOverride, regionOverride]) // team wins over region over company
 */
export function effectivePoolRules(company: PoolRules, overridesNearestFirst: readonly PoolRulesOverride[]): PoolRules {
  const rules: Record<string, unknown> = { ...company };
  for (const key of Object.keys(company) as (keyof PoolRules)[]) {
    const found = overridesNearestFirst.find((o) => o[key] !== undefined);
    if (found) rules[key] = found[key];
  }
  const byLevel: PoolRules['byLevel'] = {};
  for (const source of [company, ...[...overridesNearestFirst].reverse()]) {
    for (const [level, days] of Object.entries(source.byLevel ?? {})) byLevel[level] = { ...byLevel[level], ...days };
  }
  return { ...(rules as PoolRules), byLevel };
}

/** A public pool (公海): who may claim from it, and its own claim rules over the owner's. */
export const PublicPool = z
  .object({
    id: z.string(),
    name: z.string(),
    isDefault: z.boolean(),
    departmentIds: z.array(z.string()).meta({ description: 'Members: these departments and the ones below them' }),
    userIds: z.array(z.string()).meta({ description: 'Members one by one' }),
    rules: PoolRulesOverride.meta({ description: 'Claim rules of this pool over the claimer’s (daily limit, cooldown, roles)' }),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'PublicPool', description: 'A public pool; without members, everyone may claim from it' });
export type PublicPool = z.infer<typeof PublicPool>;

export const PublicPoolCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(60),
    isDefault: z.boolean().optional(),
    departmentIds: z.array(z.string()).max(200).optional(),
    userIds: z.array(z.string()).max(1000).optional(),
    rules: PoolRulesOverride.optional(),
  })
  .meta({ id: 'PublicPoolCreate' });
export type PublicPoolCreate = z.infer<typeof PublicPoolCreate>;
export const PublicPoolUpdate = PublicPoolCreate.partial().meta({ id: 'PublicPoolUpdate' });
export type PublicPoolUpdate = z.infer<typeof PublicPoolUpdate>;

/** Why a customer moved (客户旅程): one row per move. */
export const POOL_ACTIONS = [
  // One a line: the boundary lint would read `'import', '` on one line as an import statement.
  'create',
  'import',
  'validate',
  'assign',
  'claim',
  'release',
  'return',
  'transfer',
  'delete',
  'restore',
] as const;
export type PoolAction = (typeof POOL_ACTIONS)[number];
export const RETURN_RULES = ['noFollowUp', 'noDeal'] as const;
export type ReturnRule = (typeof RETURN_RULES)[number];

export const PoolEvent = z
  .object({
    id: z.string(),
    customerId: z.string(),
    at: isoTime,
    action: z.enum(POOL_ACTIONS),
    actorId: z.string().nullable().meta({ description: 'Who did it; null for the system (a return by rule)' }),
    fromPool: Pool.nullable(),
    toPool: Pool.nullable(),
    fromOwnerId: z.string().nullable(),
    toOwnerId: z.string().nullable(),
    publicPoolId: z.string().nullable().meta({ description: 'The public pool it left or entered' }),
    rule: z.enum(RETURN_RULES).nullable().meta({ description: 'The rule that returned it' }),
    reason: z.string().nullable().meta({ description: 'The release reason (放弃原因) or a note' }),
  })
  .meta({ id: 'PoolEvent', description: "One step of a customer's journey between pools and owners" });
export type PoolEvent = z.infer<typeof PoolEvent>;

// ---------------------------------------------------------------------------------------------------
// Bulk moves: what callers send and the per-customer report they get back

const ids = z.array(z.string().min(1).max(64)).max(10_000);

export const ProblemSummary = z
  .object({ code: z.string(), message: z.string(), params: z.record(z.string(), z.unknown()).optional() })
  .meta({ id: 'ProblemSummary', description: 'Why one item of a bulk operation failed' });

export const MoveResult = z
  .object({
    customerId: z.string(),
    name: z.string().optional().meta({ description: 'The customer’s name, when the caller may see it' }),
    ok: z.boolean(),
    ownerId: z.string().nullable().optional(),
    pool: Pool.optional(),
    error: ProblemSummary.optional(),
  })
  .meta({ id: 'MoveResult' });

export type MoveResult = z.infer<typeof MoveResult>;

export const MoveReport = z
  .object({ results: z.array(MoveResult), moved: z.number().int() })
  .meta({ id: 'MoveReport', description: 'What became of each customer: moved, or why not' });
export type MoveReport = z.infer<typeof MoveReport>;

export const ClaimInput = z
  .strictObject({
    customerIds: ids.optional(),
    next: z.number().int().min(1).max(1000).optional().meta({ description: 'Claim the next N of the public pool instead (in the view or filter order)' }),
    poolId: z.string().optional().meta({ description: 'Only from this public pool' }),
    view: z.string().max(64).optional(),
    filter: FilterNode.optional().meta({ description: 'Narrows `next`' }),
  })
  .refine((v) => (v.customerIds === undefined) !== (v.next === undefined), { message: 'give customerIds or next', path: ['customerIds'] })
  .meta({ id: 'ClaimInput' });
export type ClaimInput = z.infer<typeof ClaimInput>;

export const ReleaseInput = z
  .strictObject({
    customerIds: ids.min(1),
    reason: z.string().trim().min(1).max(60).meta({ description: 'A value of the releaseReason picklist (放弃原因)' }),
    poolId: z.string().optional().meta({ description: "The public pool to release to (default: the owner's department's, else the default pool)" }),
  })
  .meta({ id: 'ReleaseInput' });
export type ReleaseInput = z.infer<typeof ReleaseInput>;

export const ValidateInput = z.strictObject({ customerIds: ids.min(1) }).meta({ id: 'ValidateInput' });
export type ValidateInput = z.infer<typeof ValidateInput>;

export const TransferInput = z
  .strictObject({
    customerIds: ids.optional(),
    fromUserId: z.string().optional().meta({ description: 'Everything this agent holds (离职交接)' }),
    toUserId: z.string().min(1),
  })
  .refine((v) => (v.customerIds === undefined) !== (v.fromUserId === undefined), { message: 'give customerIds or fromUserId', path: ['customerIds'] })
  .meta({ id: 'TransferInput' });
export type TransferInput = z.infer<typeof TransferInput>;

export const AssignInput = z
  .strictObject({
    customerIds: ids.optional(),
    view: z.string().max(64).optional().meta({ description: 'Every customer of a view (lead, pending and public pools included)' }),
    filter: FilterNode.optional().meta({ description: 'Selects the customers' }),
    importId: z.string().optional().meta({ description: 'The customers an import created' }),
    agentIds: z.array(z.string().min(1)).min(1).max(500).meta({ description: 'In the order round-robin follows (最多可选多人，按顺序依次分配)' }),
    strategy: z.enum(ALLOCATION_STRATEGIES).default('round-robin'),
    scope: z.string().min(1).max(100).optional().meta({ description: 'Where the rotation is kept between calls (default: the caller’s own)' }),
  })
  .refine((v) => [v.customerIds, v.view ?? v.filter, v.importId].filter((x) => x !== undefined).length === 1, {
    message: 'give one of customerIds, view/filter or importId',
    path: ['customerIds'],
  })
  .meta({ id: 'AssignInput' });
export type AssignInput = z.infer<typeof AssignInput>;

export const AssignReport = z
  .object({
    assigned: z.array(z.object({ customerId: z.string(), agentId: z.string() })),
    unplaced: z.array(z.object({ customerId: z.string(), error: ProblemSummary })),
    skippedAgents: z.array(z.object({ agentId: z.string(), reason: z.enum(['inactive', 'atLimit']) })),
    cursor: z.string().nullable().meta({ description: 'The agent the rotation continues after next time' }),
  })
  .meta({ id: 'AssignReport' });
export type AssignReport = z.infer<typeof AssignReport>;

export const ShareInput = z
  .strictObject({
    customerIds: ids.min(1),
    userIds: z.array(z.string().min(1)).max(200).default([]),
    departmentIds: z.array(z.string().min(1)).max(200).default([]),
  })
  .refine((v) => v.userIds.length + v.departmentIds.length > 0, { message: 'give userIds or departmentIds', path: ['userIds'] })
  .meta({ id: 'ShareInput', description: 'Share customers (共享) with users and departments: they see them, read-only' });
export type ShareInput = z.infer<typeof ShareInput>;

export const CollaboratorsInput = z
  .strictObject({ userIds: z.array(z.string().min(1)).max(50) })
  .meta({ id: 'CollaboratorsInput', description: 'The whole list of collaborators (协助人): they see and work the customer' });

export const CustomerSharing = z
  .object({
    customerId: z.string(),
    shares: z.array(z.object({ userId: z.string().nullable(), departmentId: z.string().nullable(), createdBy: z.string().nullable(), createdAt: isoTime })),
    collaborators: z.array(z.object({ userId: z.string(), createdAt: isoTime })),
  })
  .meta({ id: 'CustomerSharing' });
export type CustomerSharing = z.infer<typeof CustomerSharing>;

/** A customer a return rule takes back (or will): the rule, when, and the pool it goes to. */
export const DueCustomer = z
  .object({
    customerId: z.string(),
    name: z.string(),
    ownerId: z.string(),
    rule: z.enum(RETURN_RULES),
    dueAt: isoTime,
    publicPoolId: z.string(),
  })
  .meta({ id: 'DueCustomer' });
export type DueCustomer = z.infer<typeof DueCustomer>;

export const ReturnRun = z
  .object({
    asOf: isoTime,
    dryRun: z.boolean(),
    returned: z.array(DueCustomer).meta({ description: 'Every customer returned (or, in a dry run, that would be)' }),
    byRule: z.object({ noFollowUp: z.number().int(), noDeal: z.number().int() }),
    reminded: z.number().int().meta({ description: 'Owners told that a customer is about to return' }),
  })
  .meta({ id: 'ReturnRun' });
export type ReturnRun = z.infer<typeof ReturnRun>;

export const ReturnRunInput = z
  .strictObject({
    dryRun: z.boolean().default(false),
    asOf: isoTime.optional().meta({ description: 'Evaluate the rules at this moment; a later one only in a dry run' }),
  })
  .meta({ id: 'ReturnRunInput' });

export const Holding = z
  .object({ userId: z.string(), name: z.string(), holding: z.number().int(), limit: z.number().int().nullable() })
  .meta({ id: 'Holding', description: 'An agent’s private customers against its holding limit' });
export type Holding = z.infer<typeof Holding>;

export const PoolRulesSet = z
  .object({ company: PoolRules, departments: z.array(z.object({ departmentId: z.string(), rules: PoolRulesOverride })) })
  .meta({ id: 'PoolRulesSet' });
export type PoolRulesSet = z.infer<typeof PoolRulesSet>;
