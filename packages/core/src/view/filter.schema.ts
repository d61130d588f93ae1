import { z } from 'zod';

export const FILTER_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'notContains',
  'startsWith',
  'in',
  'notIn',
  'hasAll',
  'hasAny',
  'hasNone',
  'empty',
  'notEmpty',
  'between',
  'within',
] as const;
export const FilterOperator = z.enum(FILTER_OPERATORS).meta({
  id: 'FilterOperator',
  description:
    'eq ne gt gte lt lte: compare; contains notContains startsWith: text; in notIn: any of a list; ' +
    'hasAll hasAny hasNone: tags and multi-selects; empty notEmpty: no value given; ' +
    'between: [from, to] inclusive; within: a relative date range in the company time zone',
});
export type FilterOperator = z.infer<typeof FilterOperator>;

export const RELATIVE_RANGES = ['today', 'yesterday', 'tomorrow', 'thisWeek', 'lastWeek', 'thisMonth', 'lastMonth'] as const;
export const RelativeDateRange = z
  .union([
    z.enum(RELATIVE_RANGES),
    z.strictObject({ lastDays: z.number().int().min(1).max(3660) }),
    z.strictObject({ nextDays: z.number().int().min(1).max(3660) }),
  ])
  .meta({
    id: 'RelativeDateRange',
    description: 'today, yesterday, ... or { lastDays: N } (the last N days including today) or { nextDays: N }',
  });
export type RelativeDateRange = z.infer<typeof RelativeDateRange>;

export const FilterCondition = z
  .strictObject({
    field: z.string().min(1).max(80).meta({ example: 'source' }),
    op: FilterOperator,
    value: z.unknown().optional(),
  })
  .meta({ id: 'FilterCondition' });
export type FilterCondition = z.infer<typeof FilterCondition>;

export type FilterNode = FilterCondition | { and: FilterNode[] } | { or: FilterNode[] };

export const FilterNode: z.ZodType<FilterNode> = z
  .union([
    FilterCondition,
    z.strictObject({ get and() { return z.array(FilterNode).max(50); } }),
    z.strictObject({ get or() { return z.array(FilterNode).max(50); } }),
  ])
  .meta({
    id: 'FilterNode',
    description: 'A condition { field, op, value } or a group { and: [...] } / { or: [...] }',
  });

export const SortSpec = z
  .strictObject({ field: z.string().min(1).max(80), direction: z.enum(['asc', 'desc']).default('desc') })
  .meta({ id: 'SortSpec' });
export type SortSpec = z.infer<typeof SortSpec>;
