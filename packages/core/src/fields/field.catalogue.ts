import type { CustomField } from './field.schema.js';
import type { PicklistName } from '../picklist/picklist.schema.js';

/** How a field behaves in filters and sorting. */
export type FieldKind =
  | 'text'
  | 'number'
  | 'boolean'
  | 'datetime'
  | 'date'
  | 'picklist'
  | 'multiPicklist'
  | 'enum'
  | 'user'
  | 'phone'
  | 'select'
  | 'multiSelect'
  | 'focus'
  | 'assisted';

export interface CatalogueField {
  /** The name filters and sorts use: `source`, `createdAt`, `custom.budget`. */
  name: string;
  kind: FieldKind;
  label: { 'zh-CN': string; en: string };
  picklist?: PicklistName;
  /** Allowed values of `enum`, `select` and `multiSelect` fields. */
  options?: readonly string[];
  /** What people read for each value of an `enum` field. */
  optionLabels?: Readonly<Record<string, { 'zh-CN': string; en: string }>>;
  sortable: boolean;
  custom?: CustomField;
}

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });

export const POOLS = ['lead', 'pending', 'private', 'public'] as const;
export type PoolName = (typeof POOLS)[number];
export const DEAL_STATUSES = ['none', 'won', 'lost'] as const;
export type DealStatusName = (typeof DEAL_STATUSES)[number];

/** The built-in customer fields a filter, a sort or a view column may name. */
export const BUILT_IN_CUSTOMER_FIELDS: readonly CatalogueField[] = [
  { name: 'name', kind: 'text', label: label('客户名称', 'Name'), sortable: true },
  { name: 'company', kind: 'text', label: label('公司', 'Company'), sortable: true },
  { name: 'phones', kind: 'phone', label: label('电话', 'Phones'), sortable: false },
  { name: 'wechat', kind: 'text', label: label('微信', 'WeChat'), sortable: false },
  { name: 'email', kind: 'text', label: label('邮箱', 'Email'), sortable: false },
  { name: 'remark', kind: 'text', label: label('备注', 'Remark'), sortable: false },
  { name: 'source', kind: 'picklist', picklist: 'source', label: label('来源', 'Source'), sortable: true },
  { name: 'industry', kind: 'picklist', picklist: 'industry', label: label('行业', 'Industry'), sortable: true },
  { name: 'region', kind: 'picklist', picklist: 'region', label: label('地区', 'Region'), sortable: true },
  { name: 'status', kind: 'picklist', picklist: 'status', label: label('客户状态', 'Status'), sortable: true },
  { name: 'stage', kind: 'picklist', picklist: 'stage', label: label('成熟度', 'Stage'), sortable: true },
  { name: 'level', kind: 'picklist', picklist: 'level', label: label('客户级别', 'Level'), sortable: true },
  { name: 'tags', kind: 'multiPicklist', picklist: 'tags', label: label('标签', 'Tags'), sortable: false },
  { name: 'hot', kind: 'boolean', label: label('热点', 'Hot'), sortable: false },
  { name: 'focused', kind: 'focus', label: label('重点关注', 'Focus'), sortable: false },
  { name: 'assisted', kind: 'assisted', label: label('我协助的', 'I assist on'), sortable: false },
  { name: 'wrongNumber', kind: 'boolean', label: label('号码错误', 'Wrong number'), sortable: false },
  { name: 'doNotCall', kind: 'boolean', label: label('禁止拨打', 'Do not call'), sortable: false },
  {
    name: 'pool',
    kind: 'enum',
    options: POOLS,
    optionLabels: {
      lead: label('潜在客户', 'Lead'),
      pending: label('待分配', 'Pending'),
      private: label('跟进中', 'Private'),
      public: label('公海', 'Public pool'),
    },
    label: label('客户池', 'Pool'),
    sortable: false,
  },
  {
    name: 'dealStatus',
    kind: 'enum',
    options: DEAL_STATUSES,
    optionLabels: { none: label('未成交', 'None'), won: label('已成交', 'Won'), lost: label('已输单', 'Lost') },
    label: label('成交状态', 'Deal status'),
    sortable: false,
  },
  { name: 'ownerId', kind: 'user', label: label('负责人', 'Owner'), sortable: false },
  { name: 'publicPoolId', kind: 'text', label: label('公海池', 'Public pool'), sortable: false },
  { name: 'locked', kind: 'boolean', label: label('锁定', 'Locked'), sortable: false },
  { name: 'ownedSince', kind: 'datetime', label: label('领取/分配时间', 'Owned since'), sortable: true },
  { name: 'createdBy', kind: 'user', label: label('创建人', 'Created by'), sortable: false },
  { name: 'updatedBy', kind: 'user', label: label('修改人', 'Updated by'), sortable: false },
  { name: 'lastCallResult', kind: 'text', label: label('最后通话结果', 'Last call result'), sortable: false },
  { name: 'createdAt', kind: 'datetime', label: label('创建时间', 'Created at'), sortable: true },
  { name: 'updatedAt', kind: 'datetime', label: label('修改时间', 'Updated at'), sortable: true },
  { name: 'protectedUntil', kind: 'datetime', label: label('保护期至', 'Protected until'), sortable: true },
  { name: 'lastContactAt', kind: 'datetime', label: label('最后联系时间', 'Last contact'), sortable: true },
  { name: 'lastCallAt', kind: 'datetime', label: label('最后通话时间', 'Last call'), sortable: true },
  { name: 'lastFollowUpAt', kind: 'datetime', label: label('最后跟进时间', 'Last follow-up'), sortable: true },
  { name: 'nextFollowUpAt', kind: 'datetime', label: label('下次跟进时间', 'Next follow-up'), sortable: true },
  { name: 'deletedAt', kind: 'datetime', label: label('删除时间', 'Deleted at'), sortable: true },
];

const CUSTOM_KIND: Record<CustomField['type'], FieldKind> = {
  text: 'text',
  number: 'number',
  date: 'date',
  select: 'select',
  multiSelect: 'multiSelect',
  phone: 'text',
};

/** The customer fields of one company: built-ins plus its visible custom fields, keyed by name. */
export function customerFieldCatalogue(customFields: readonly CustomField[]): ReadonlyMap<string, CatalogueField> {
  const catalogue = new Map<string, CatalogueField>(BUILT_IN_CUSTOMER_FIELDS.map((f) => [f.name, f]));
  for (const cf of customFields) {
    if (cf.module !== 'customer' || cf.hidden) continue;
    catalogue.set(`custom.${cf.key}`, {
      name: `custom.${cf.key}`,
      kind: CUSTOM_KIND[cf.type],
      label: { 'zh-CN': cf.label, en: cf.label },
      options: cf.options,
      sortable: cf.type === 'text' || cf.type === 'number' || cf.type === 'date' || cf.type === 'select',
      custom: cf,
    });
  }
  return catalogue;
}
