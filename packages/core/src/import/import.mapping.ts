import type { CustomField } from '../fields/field.schema.js';
import { err, ok, type DomainError, type Result } from '../shared/result.js';
import { foldFullWidth } from '../shared/text.js';

/** The built-in customer fields an import column may fill. */
export const IMPORT_TARGETS = [
  'name',
  'company',
  'phones',
  'wechat',
  'email',
  'source',
  'industry',
  'region',
  'status',
  'stage',
  'level',
  'tags',
  'remark',
  'nextFollowUpAt',
] as const;
export type BuiltInImportTarget = (typeof IMPORT_TARGETS)[number];
/** A built-in field, or `custom.<key>` for a custom customer field. */
export type ImportTarget = BuiltInImportTarget | `custom.${string}`;

export interface ImportColumn {
  /** 0-based position of the column in the file. */
  index: number;
  header: string;
  target: ImportTarget | null;
}

export interface ImportMapping {
  columns: ImportColumn[];
  /** Headers of the columns that fill nothing, in file order. */
  unmapped: string[];
}

/** Only phones may be filled by several columns (手机, 电话, 电话2 ...); every other target by one. */
export const isMultiColumnTarget = (target: ImportTarget): boolean => target === 'phones';

// Headers as Chinese and English spreadsheets write them, compared after normaliseHeader.
const SYNONYMS: Record<BuiltInImportTarget, readonly string[]> = {
  name: ['客户名称', '客户姓名', '客户名', '姓名', '名称', '名字', '联系人', '联系人姓名', 'name', 'customer', 'customername', 'fullname', 'contact', 'contactname'],
  phones: [
    '手机', '手机号', '手机号码', '电话', '电话号码', '联系电话', '联系方式', '座机', '固话', '固定电话', '号码',
    'mobile', 'mobilephone', 'cell', 'cellphone', 'phone', 'phonenumber', 'phones', 'tel', 'telephone',
  ],
  company: ['公司', '公司名称', '公司名', '单位', '单位名称', '企业', '企业名称', 'company', 'companyname', 'organization', 'organisation'],
  wechat: ['微信', '微信号', 'wechat', 'weixin', 'wechatid'],
  email: ['邮箱', '电子邮箱', '电子邮件', '邮件', 'email', 'e-mail', 'mail'],
  source: ['来源', '客户来源', '渠道', 'source', 'leadsource'],
  industry: ['行业', '所属行业', '客户行业', 'industry'],
  region: ['地区', '区域', '省份', '所在地', '所在地区', '城市', 'region', 'area', 'province'],
  status: ['状态', '客户状态', 'status'],
  stage: ['阶段', '客户阶段', '成熟度', 'stage'],
  level: ['级别', '客户级别', '等级', '客户等级', 'level', 'grade'],
  tags: ['标签', '客户标签', 'tag', 'tags', 'label', 'labels'],
  remark: ['备注', '说明', '描述', 'remark', 'remarks', 'note', 'notes', 'comment', 'comments', 'description'],
  nextFollowUpAt: ['下次跟进', '下次跟进时间', '下次跟进日期', '下次联系时间', 'nextfollowup', 'nextfollowupat', 'followupat'],
};

// Words that say which of a customer's numbers a column holds: 备用电话 (backup), 办公电话 (office),
// 家庭电话 (home), 客户手机, alt phone, work phone; before the phone word, or after it in brackets
// (full-width brackets are folded by then).
const PHONE_QUALIFIER_WORDS = [
  '备用', '其他', '其它', '第二', '另一个', '另一', '客户', '联系人', '办公', '办公室', '公司', '单位', '工作', '家庭', '家里', '住宅', '个人', '私人', '紧急',
  'alt', 'alternate', 'alternative', 'backup', 'other', 'second', 'secondary', 'work', 'office', 'business', 'home', 'private', 'personal', 'customer', 'contact',
];
// Longest first: the alternation takes the first word that matches (办公室 before 办公).
const PHONE_QUALIFIER_ALTERNATIVES = [...PHONE_QUALIFIER_WORDS].sort((a, b) => b.length - a.length).join('|');
const PHONE_QUALIFIERS_BEFORE = new RegExp(`^(?:${PHONE_QUALIFIER_ALTERNATIVES})`);
const PHONE_QUALIFIERS_AFTER = new RegExp(`\\((?:${PHONE_QUALIFIER_ALTERNATIVES})\\)$`);

/**
 * The comparable form of a header: full-width folded, lower case, without spaces, the `*` that marks a
 * required column in templates, and separators, so `手机号 *`, `Mobile Phone` and `ｍｏｂｉｌｅ_phone`
 * compare as their plain forms.
 */
export function normaliseHeader(header: string): string {
  return foldFullWidth(header).toLowerCase().replace(/[\s*:：_\-.]/g, '');
}

const SYNONYM_INDEX: ReadonlyMap<string, BuiltInImportTarget> = new Map(
  (Object.entries(SYNONYMS) as [BuiltInImportTarget, readonly string[]][]).flatMap(([target, words]) =>
    words.map((w) => [normaliseHeader(w), target] as const),
  ),
);

const importableCustomFields = (customFields: readonly CustomField[]) =>
  customFields.filter((f) => f.module === 'customer' && !f.hidden);

/** What one header names on its own (no taken-target bookkeeping), or null. */
export function targetForHeader(header: string, customFields: readonly CustomField[]): ImportTarget | null {
  const key = normaliseHeader(header);
  if (key === '') return null;
  if ((IMPORT_TARGETS as readonly string[]).includes(header.trim())) return header.trim() as BuiltInImportTarget;
  const builtIn = SYNONYM_INDEX.get(key);
  if (builtIn) return builtIn;
  for (const f of importableCustomFields(customFields)) {
    if (normaliseHeader(f.label) === key || f.key.toLowerCase() === key || `custom${f.key.toLowerCase()}` === key) {
      return `custom.${f.key}`;
    }
  }
  // Numbered phone columns: 电话2, 手机1, phone 2.
  const unnumbered = key.replace(/\d+$/, '');
  if (unnumbered !== key && SYNONYM_INDEX.get(unnumbered) === 'phones') return 'phones';
  // Qualified phone columns: 备用电话, 办公电话, 客户手机, work phone, 电话(备用).
  const unqualified = unnumbered.replace(PHONE_QUALIFIERS_BEFORE, '').replace(PHONE_QUALIFIERS_AFTER, '');
  if (unqualified !== unnumbered && SYNONYM_INDEX.get(unqualified) === 'phones') return 'phones';
  return null;
}

/** Headers for a file: its first row, or `列1..列N` when it has none; a blank header cell becomes `列N`. */
export function importHeaders(firstRow: readonly unknown[] | null, width: number): string[] {
  const headers: string[] = [];
  for (let i = 0; i < width; i++) {
    const cell = firstRow?.[i];
    const text = cell === null || cell === undefined ? '' : foldFullWidth(String(cell)).trim();
    headers.push(text === '' ? `列${i + 1}` : text);
  }
  return headers;
}

/** How many of the first rows are searched for the header row. */
export const HEADER_SEARCH_ROWS = 10;

/**
 * Which of a file's first rows is its header (0-based): spreadsheets often carry a title or a merged
 * banner row, or a blank line, above it. The first row naming a phone column wins; else the first
 * naming two or more known fields; else the first row.
 *
 * @example findHeaderRow([['2026 客户名单'], [], ['姓名', '手机']], []) // 2
 */
export function findHeaderRow(rows: readonly (readonly unknown[])[], customFields: readonly CustomField[]): number {
  const candidates = rows.slice(0, HEADER_SEARCH_ROWS).map((row) => guessMapping(importHeaders(row, row.length), customFields));
  const withPhones = candidates.findIndex((m) => m.columns.some((c) => c.target === 'phones'));
  if (withPhones >= 0) return withPhones;
  const withFields = candidates.findIndex((m) => m.columns.filter((c) => c.target !== null).length >= 2);
  return withFields >= 0 ? withFields : 0;
}

/**
 * Guesses which field each column fills from its header. Built-in synonyms win over custom field labels
 * (their meaning must not change when someone adds a custom field); a second column naming a
 * single-valued field stays unmapped so nothing is silently overwritten.
 *
 * @example guessMapping(['姓名', '手机', '电话2', '爱好'], []).unmapped // ['爱好']
 */
export function guessMapping(headers: readonly string[], customFields: readonly CustomField[]): ImportMapping {
  const taken = new Set<ImportTarget>();
  const columns = headers.map((header, index): ImportColumn => {
    const guess = targetForHeader(header, customFields);
    if (guess === null || (taken.has(guess) && !isMultiColumnTarget(guess))) return { index, header, target: null };
    taken.add(guess);
    return { index, header, target: guess };
  });
  return withUnmapped(columns);
}

const withUnmapped = (columns: ImportColumn[]): ImportMapping => ({
  columns,
  unmapped: columns.filter((c) => c.target === null).map((c) => c.header),
});

/** Whether a `--map` entry has the shape `<column>=<field>` (the column may itself hold `=`). */
export function isMapEntry(entry: string): boolean {
  const eq = entry.lastIndexOf('=');
  return eq > 0 && foldFullWidth(entry.slice(0, eq)).trim() !== '' && foldFullWidth(entry.slice(eq + 1)).trim() !== '';
}

/**
 * Applies `--map` overrides: `电话2=phones`, `3=name` (1-based column number), `备注2=custom.budget`,
 * `col=-` (ignore the column). The target may also be a header synonym (`电话2=手机`). An override wins
 * over a guess: a guessed column that held the same single-valued target becomes unmapped.
 * Fails on the first bad override, naming it in `params.override`.
 */
export function applyMappingOverrides(
  mapping: ImportMapping,
  overrides: readonly string[],
  customFields: readonly CustomField[],
): Result<ImportMapping, DomainError> {
  const columns = mapping.columns.map((c) => ({ ...c }));
  const overridden = new Set<number>();
  for (const override of overrides) {
    const bad = (code: DomainError['code'], params: Record<string, unknown>) =>
      err<DomainError>({ code, field: 'map', params: { override, ...params } });
    if (!isMapEntry(override)) return bad('VALIDATION.FORMAT', { reason: 'syntax', expected: '<column>=<field>' });
    const eq = override.lastIndexOf('=');
    const columnRef = foldFullWidth(override.slice(0, eq)).trim();
    const targetRef = foldFullWidth(override.slice(eq + 1)).trim();

    const byHeader = columns.filter((c) => c.header === columnRef || normaliseHeader(c.header) === normaliseHeader(columnRef));
    let column: ImportColumn | undefined;
    if (byHeader.length > 1) return bad('VALIDATION.FORMAT', { reason: 'columnAmbiguous', column: columnRef });
    if (byHeader.length === 1) column = byHeader[0];
    else if (/^\d+$/.test(columnRef)) column = columns[Number(columnRef) - 1];
    if (!column) return bad('VALIDATION.FORMAT', { reason: 'columnUnknown', column: columnRef });

    let target: ImportTarget | null;
    if (targetRef === '-') target = null;
    else {
      target = resolveTarget(targetRef, customFields);
      if (target === null) return bad('FIELD.UNKNOWN', { target: targetRef });
    }
    if (target !== null && !isMultiColumnTarget(target)) {
      const holder = columns.find((c) => c !== column && c.target === target);
      if (holder && overridden.has(holder.index)) {
        return bad('VALIDATION.FORMAT', { reason: 'targetTaken', target, column: holder.header });
      }
      if (holder) holder.target = null;
    }
    column.target = target;
    overridden.add(column.index);
  }
  return ok(withUnmapped(columns));
}

function resolveTarget(ref: string, customFields: readonly CustomField[]): ImportTarget | null {
  if ((IMPORT_TARGETS as readonly string[]).includes(ref)) return ref as BuiltInImportTarget;
  const fields = importableCustomFields(customFields);
  if (ref.startsWith('custom.')) {
    const key = ref.slice('custom.'.length);
    return fields.some((f) => f.key === key) ? `custom.${key}` : null;
  }
  return targetForHeader(ref, customFields);
}
