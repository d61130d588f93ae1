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
    id: 'builtin-my-focus',
    name: { 'zh-CN': '我的关注', en: 'My focus' },
    filter: { field: 'focused', op: 'eq', value: true },
    sort: { field: 'updatedAt', direction: 'desc' },
    columns: COLUMNS,
  },
];

export const builtInView = (id: string): BuiltInView | undefined => BUILT_IN_VIEWS.find((v) => v.id === id);
