import type { DomainError, ErrorCode } from '../shared/result.js';

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

type Template = { 'zh-CN': string; en: string };

/** Every error's message for people, in both languages. `{name}` is filled from the error's facts. */
export const ERROR_MESSAGES: Record<ErrorCode, Template> = {
  'VALIDATION.FAILED': { 'zh-CN': '输入有误', en: 'The input is not valid' },
  'VALIDATION.REQUIRED': { 'zh-CN': '{field} 必填', en: '{field} is required' },
  'VALIDATION.TYPE': { 'zh-CN': '{field} 的类型不对，应为 {expected}', en: '{field} has the wrong type: expected {expected}' },
  'VALIDATION.UNKNOWN_FIELD': { 'zh-CN': '未知字段 {field}', en: 'Unknown field {field}' },
  'VALIDATION.TOO_LONG': { 'zh-CN': '{field} 太长（最多 {max}）', en: '{field} is too long (at most {max})' },
  'VALIDATION.FORMAT': { 'zh-CN': '{field} 格式不对：{reason}', en: '{field} is malformed: {reason}' },
  'REQUEST.MALFORMED': { 'zh-CN': '请求无法解析：{reason}', en: 'The request cannot be read: {reason}' },
  'REQUEST.TOO_LARGE': { 'zh-CN': '请求体超过 {max} 字节', en: 'The request body is larger than {max} bytes' },
  'REQUEST.ROUTE_NOT_FOUND': { 'zh-CN': '没有这个接口：{method} {path}', en: 'No such route: {method} {path}' },
  'REQUEST.BAD_CURSOR': { 'zh-CN': '分页游标无效', en: 'The page cursor is not valid' },
  'IDEMPOTENCY.IN_PROGRESS': { 'zh-CN': '同一幂等键的请求正在处理', en: 'A request with this Idempotency-Key is still in progress' },
  'IDEMPOTENCY.KEY_REUSED': { 'zh-CN': '幂等键已用于另一个请求', en: 'This Idempotency-Key was used for a different request' },
  'AUTH.UNAUTHENTICATED': { 'zh-CN': '请先登录', en: 'Log in first' },
  'AUTH.INVALID_CREDENTIALS': { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  'AUTH.USER_DISABLED': { 'zh-CN': '该用户已停用', en: 'This user is disabled' },
  'AUTH.FORBIDDEN': { 'zh-CN': '没有权限执行此操作', en: 'You may not do this' },
  'AUTH.FIELD_READ_ONLY': { 'zh-CN': '没有权限修改字段 {field}', en: 'You may not change the field {field}' },
  'AUTH.TOO_MANY_ATTEMPTS': {
    'zh-CN': '登录失败次数过多，请 {retryAfterSeconds} 秒后再试',
    en: 'Too many failed logins: try again in {retryAfterSeconds} seconds',
  },
  'PHONE.INVALID': { 'zh-CN': '{field} 不是有效的电话号码：{value}', en: '{field} is not a valid phone number: {value}' },
  'PHONE.DUPLICATE_IN_INPUT': { 'zh-CN': '{field} 重复：{value}', en: '{field} repeats a number: {value}' },
  'CUSTOMER.NOT_FOUND': { 'zh-CN': '客户不存在', en: 'No such customer' },
  'CUSTOMER.PHONE_TAKEN': {
    'zh-CN': '号码 {phone} 已属于客户「{holderName}」({holderId})',
    en: 'The number {phone} already belongs to customer "{holderName}" ({holderId})',
  },
  'CUSTOMER.DELETED': { 'zh-CN': '客户在回收站中，请先恢复', en: 'The customer is in the recycle bin: restore it first' },
  'CUSTOMER.NOT_DELETED': { 'zh-CN': '客户不在回收站中', en: 'The customer is not in the recycle bin' },
  'CUSTOMER.MERGE_SAME': { 'zh-CN': '不能把客户合并到自己', en: 'A customer cannot be merged into itself' },
  'CUSTOMER.NO_PHONE': { 'zh-CN': '客户没有电话号码', en: 'The customer has no phone number' },
  'FIELD.UNKNOWN': { 'zh-CN': '未知的自定义字段 {field}', en: 'Unknown custom field {field}' },
  'FIELD.HIDDEN': { 'zh-CN': '字段 {field} 已隐藏，不能写入', en: 'The field {field} is hidden and cannot be written' },
  'FIELD.KEY_TAKEN': { 'zh-CN': '字段键 {value} 已存在', en: 'The field key {value} already exists' },
  'FIELD.NOT_FOUND': { 'zh-CN': '字段不存在', en: 'No such field' },
  'FIELD.OPTION_UNKNOWN': { 'zh-CN': '{field} 的值「{value}」不在选项中', en: '{field}: "{value}" is not one of its options' },
  'PICKLIST.NOT_FOUND': { 'zh-CN': '下拉列表不存在', en: 'No such picklist' },
  'PICKLIST.VALUE_UNKNOWN': { 'zh-CN': '{field} 的值「{value}」不在下拉列表 {list} 中', en: '{field}: "{value}" is not a value of the {list} picklist' },
  'PICKLIST.VALUE_EXISTS': { 'zh-CN': '下拉列表中已有「{value}」', en: 'The picklist already has "{value}"' },
  'PICKLIST.VALUE_NOT_FOUND': { 'zh-CN': '下拉选项不存在', en: 'No such picklist value' },
  'FILTER.INVALID': { 'zh-CN': '筛选条件 {field} 无效：{reason}', en: 'The filter at {field} is not valid: {reason}' },
  'FILTER.UNKNOWN_FIELD': { 'zh-CN': '{field}：未知字段「{value}」', en: '{field}: unknown field "{value}"' },
  'FILTER.OPERATOR_NOT_ALLOWED': {
    'zh-CN': '{field}：该字段不支持运算符 {op}',
    en: '{field}: the operator {op} does not apply to this field',
  },
  'FILTER.BAD_VALUE': { 'zh-CN': '{field}：值应为 {expected}', en: '{field}: the value must be {expected}' },
  'VIEW.NOT_FOUND': { 'zh-CN': '视图不存在', en: 'No such view' },
  'VIEW.READ_ONLY': { 'zh-CN': '该视图不能修改', en: 'This view cannot be changed' },
  'USER.NOT_FOUND': { 'zh-CN': '用户不存在', en: 'No such user' },
  'USER.USERNAME_TAKEN': { 'zh-CN': '用户名 {value} 已被使用', en: 'The username {value} is taken' },
  'DEPARTMENT.NOT_FOUND': { 'zh-CN': '部门不存在', en: 'No such department' },
  'DEPARTMENT.CYCLE': { 'zh-CN': '部门不能成为自己的下级', en: 'A department cannot be below itself' },
  'DEPARTMENT.NOT_EMPTY': { 'zh-CN': '部门下还有人员或下级部门，不能删除', en: 'The department still has users or sub-departments' },
  'ROLE.NOT_FOUND': { 'zh-CN': '角色不存在', en: 'No such role' },
  'ROLE.CYCLE': { 'zh-CN': '角色不能成为自己的下级', en: 'A role cannot be below itself' },
  'ROLE.IN_USE': { 'zh-CN': '角色仍有用户或下级角色，不能删除', en: 'The role still has users or subordinate roles' },
  'USER.SELF': { 'zh-CN': '不能对自己执行此操作', en: 'You cannot do this to yourself' },
  'KEY.NOT_FOUND': { 'zh-CN': 'API 密钥不存在', en: 'No such API key' },
  INTERNAL: { 'zh-CN': '服务器内部错误', en: 'Internal server error' },
};

/** Fills `{name}` placeholders from the given facts. */
export function fillTemplate(template: string, facts: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = facts[name];
    if (value === undefined || value === null) return whole === '{field}' ? '' : whole;
    return Array.isArray(value) ? value.join(', ') : String(value);
  });
}

/** The message for people of one domain error, in the given language. */
export function describeError(error: DomainError, lang: Lang): string {
  return fillTemplate(ERROR_MESSAGES[error.code][lang], { field: error.field, ...error.params }).replace(/^\s*[:：]?\s*/, '');
}

/** Picks zh-CN or en from an Accept-Language header or a LANG variable. */
export function pickLang(hint: string | null | undefined): Lang {
  if (!hint) return 'en';
  const first = hint.split(',')[0]!.trim().toLowerCase();
  return first.startsWith('zh') ? 'zh-CN' : 'en';
}
