import type { FilterNode, SortSpec } from './filter.schema.js';

export interface BuiltInView {
  id: string;
  name: { 'zh-CN': string; en: string };
  filter: FilterNode;
  sort: SortSpec;
  columns: string[];
}

const COLUMNS = ['name', 'company', 'phones', 'status', 'ownerId', 'updatedAt'];

/** The views every user has without saving them. */
export const BUILT_IN_VIEWS: readonly BuiltInView[] = [
  {
    id: 'builtin-today-new',
    name: { 'zh-CN': '今日新增', en: "Today's new" },
    filter: { field: 'createdAt', op: 'within', value: 'today' },
    sort: { field: 'createdAt', direction: 'desc' },
    columns: COLUMNS,
  },
  {
    id: 'builtin-recently-changed',
    name: { 'zh-CN': '最近修改', en: 'Recently changed' },
    filter: { field: 'updatedAt', op: 'within', value: { lastDays: 7 } },
    sort: { field: 'updatedAt', direction: 'desc' },
    columns: COLUMNS,
  },
  {
    id: 'builtin-hot',
    name: { 'zh-CN': '热点客户', en: 'Hot' },
    filter: { field: 'hot', op: 'eq', value: true },
    sort: { field: 'updatedAt', direction: 'desc' },
    columns: COLUMNS,
  },
  {
    id: 'builtin-mine',
    name: { 'zh-CN': '我的客户', en: 'Mine' },
    filter: { and: [{ field: 'ownerId', op: 'eq', value: 'me' }, { field: 'pool', op: 'eq', value: 'private' }] },
    sort: { field: 'updatedAt', direction: 'desc' },
    columns: COLUMNS,
  },
  {
    id: 'builtin-assisted',
    name: { 'zh-CN': '我协助的', en: 'I assist on' },
    filter: { field: 'assisted', op: 'eq', value: true },
    sort: { field: 'updatedAt', direction: 'desc' },
    columns: COLUMNS,
  },
  {
    id: 'builtin-public',
    name: { 'zh-CN': '公海客户', en: 'Public pool' },
    filter: { field: 'pool', op: 'eq', value: 'public' },
    sort: { field: 'createdAt', direction: 'desc' },
    columns: ['name', 'company', 'phones', 'publicPoolId', 'createdAt'],
  },
  {
    id: 'builtin-leads',
    name: { 'zh-CN': '潜在客户', en: 'Leads' },
    filter: { field: 'pool', op: 'eq', value: 'lead' },
    sort: { field: 'createdAt', direction: 'desc' },
    columns: COLUMNS,
  },
  {
    id: 'builtin-pending',
    name: { 'zh-CN': '待分配客户', en: 'Waiting for assignment' },
    filter: { field: 'pool', op: 'eq', value: 'pending' },
    sort: { field: 'createdAt', direction: 'desc' },
    columns: COLUMNS,
  },
  {
    id: 'builtin-won',
    name: { 'zh-CN': '已成交客户', en: 'Won' },
    filter: { field: 'dealStatus', op: 'eq', value: 'won' },
    sort: { field: 'updatedAt', direction: 'desc' },
    columns: COLUMNS,
  },
  {
    id: 'builtin-my-focus',
    name: { 'zh-CN': '我的关注', en: 'My focus' },
    filter: { field: 'focused', op: 'eq', value: true },
    sort: { field: 'updatedAt', direction: 'desc' },
    columns: COLUMNS,
  },
];

export const builtInView = (id: string): BuiltInView | undefined => BUILT_IN_VIEWS.find((v) => v.id === id);
