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
  'IMPORT.NOT_FOUND': { 'zh-CN': '导入任务不存在', en: 'No such import' },
  'IMPORT.FILE_EMPTY': { 'zh-CN': '文件是空的', en: 'The file is empty' },
  'IMPORT.NO_DATA_ROWS': { 'zh-CN': '文件在表头之后没有数据行', en: 'The file has no data rows after the header' },
  'IMPORT.FILE_ENCRYPTED': {
    'zh-CN': '文件设置了打开密码：请在 Excel 或 WPS 中取消密码后另存，再导入',
    en: 'The file is password-protected: remove the password in Excel or WPS, save it again and import that copy',
  },
  'IMPORT.NOT_A_WORKBOOK': { 'zh-CN': '这是一个压缩包，但不是 xlsx 工作簿', en: 'This is a zip archive but not an xlsx workbook' },
  'IMPORT.UNPACKED_TOO_LARGE': {
    'zh-CN': '工作簿解压后超过 {max} 字节，拒绝读取（可能是压缩炸弹）：请拆分文件或另存为 CSV',
    en: 'The workbook unpacks to more than {max} bytes and is refused (a possible zip bomb): split it or save it as CSV',
  },
  'IMPORT.XLS_UNSUPPORTED': {
    'zh-CN': '不支持旧版 .xls 文件（服务器未安装 LibreOffice）：请在 Excel 或 WPS 中“另存为” .xlsx 或 CSV（逗号分隔）后再导入',
    en: 'Legacy .xls files need LibreOffice on the server, which is not installed: in Excel or WPS use "Save as" .xlsx or CSV and import that',
  },
  'IMPORT.FORMAT_UNKNOWN': { 'zh-CN': '无法识别的文件格式：请导入 .xlsx、.xls、.csv 或 .txt 文件', en: 'Unknown file format: import an .xlsx, .xls, .csv or .txt file' },
  'IMPORT.FILE_UNREADABLE': { 'zh-CN': '文件已损坏或无法读取：{reason}', en: 'The file is damaged or cannot be read: {reason}' },
  'IMPORT.ENCODING_INVALID': { 'zh-CN': '文件不是 {encoding} 编码：请换一种编码（--encoding）', en: 'The file is not in {encoding}: choose another encoding (--encoding)' },
  'IMPORT.SHEET_NOT_FOUND': { 'zh-CN': '工作簿中没有工作表「{sheet}」（有：{sheets}）', en: 'The workbook has no sheet "{sheet}" (it has: {sheets})' },
  'IMPORT.NO_PHONE_COLUMN': {
    'zh-CN': '没有列对应到电话：请用 --map 指定，例如 --map 联系方式=phones（表头：{headers}）',
    en: 'No column is mapped to phones: name one with --map, e.g. --map Contact=phones (headers: {headers})',
  },
  'IMPORT.UPLOAD_TOO_LARGE': { 'zh-CN': '上传的文件超过 {max} 字节', en: 'The uploaded file is larger than {max} bytes' },
  'IMPORT.NOT_CANCELLABLE': { 'zh-CN': '导入已结束（{state}），不能取消', en: 'The import has already ended ({state}) and cannot be cancelled' },
  'IMPORT.NOT_REVERTIBLE': { 'zh-CN': '该导入不能撤销：{reason}', en: 'This import cannot be reverted: {reason}' },
  'IMPORT.REVERT_CONFLICT': {
    'zh-CN': '有 {count} 个导入的客户在导入后又被修改过，不能撤销（例如 {customers}）',
    en: '{count} customers of this import were changed after it, so it cannot be reverted (e.g. {customers})',
  },
  'IMPORT.INTERRUPTED': { 'zh-CN': '导入中断：{reason}', en: 'The import stopped: {reason}' },
  'IMPORT.DUPLICATE_IN_FILE': { 'zh-CN': '号码 {phone} 与文件第 {firstRow} 行重复', en: 'The number {phone} repeats row {firstRow} of the file' },
  'IMPORT.DUPLICATE': { 'zh-CN': '号码 {phone} 已是现有客户的号码', en: 'The number {phone} belongs to an existing customer' },
  'IMPORT.DUPLICATE_DELETED': { 'zh-CN': '号码 {phone} 属于回收站中的客户', en: 'The number {phone} belongs to a customer in the recycle bin' },
  'IMPORT.DUPLICATE_NOT_WRITABLE': {
    'zh-CN': '号码 {phone} 属于您无权修改的客户',
    en: 'The number {phone} belongs to a customer you may not change',
  },
  'IMPORT.WRONG_NUMBER': { 'zh-CN': '号码 {phone} 已标记为空号/错号，不再导入', en: 'The number {phone} is marked as a wrong number and is never imported again' },
  'IMPORT.DO_NOT_CALL': { 'zh-CN': '号码 {phone} 已列入禁止拨打，不再导入', en: 'The number {phone} is on the do-not-call list and is never imported again' },
  'IMPORT.AMBIGUOUS': { 'zh-CN': '号码 {phones} 分属不同的现有客户', en: 'The numbers {phones} belong to different existing customers' },
  'POOL.WRONG_POOL': { 'zh-CN': '客户在「{pool}」池中，不能执行此操作', en: 'The customer is in the {pool} pool: this does not apply' },
  'POOL.SAME_OWNER': { 'zh-CN': '客户已属于该用户', en: 'The customer already belongs to this user' },
  'POOL.HOLDING_LIMIT': { 'zh-CN': '已达客户数上限（{holding}/{limit}）', en: 'At the holding limit ({holding}/{limit} customers)' },
  'POOL.DAILY_LIMIT': { 'zh-CN': '今天领取的客户已达上限（{limit}）', en: 'The daily claim limit ({limit}) is reached' },
  'POOL.COOLDOWN': { 'zh-CN': '刚放弃的客户在 {until} 之前不能再领取', en: 'A customer you released cannot be claimed again before {until}' },
  'POOL.CLAIM_NOT_ALLOWED': { 'zh-CN': '您的角色不能从公海领取客户', en: 'Your role may not claim from the public pool' },
  'POOL.PROTECTED': { 'zh-CN': '客户在保护期内（至 {until}）', en: 'The customer is protected until {until}' },
  'POOL.EXEMPT': { 'zh-CN': '已成交或已锁定的客户不回收', en: 'Won and locked customers are not returned' },
  'POOL.NOT_FOUND': { 'zh-CN': '公海池不存在', en: 'No such public pool' },
  'POOL.NOT_MEMBER': { 'zh-CN': '您不是公海池「{pool}」的成员', en: 'You are not a member of the public pool "{pool}"' },
  'POOL.DEFAULT_REQUIRED': { 'zh-CN': '必须保留一个默认公海池', en: 'There must be one default public pool' },
  'POOL.NOT_EMPTY': { 'zh-CN': '公海池中还有客户，不能删除', en: 'The public pool still holds customers' },
  'POOL.NAME_TAKEN': { 'zh-CN': '已有名为「{value}」的公海池', en: 'A public pool named "{value}" exists already' },
  'POOL.ALL_AT_LIMIT': { 'zh-CN': '所选员工都已达客户数上限', en: 'Every agent chosen is at its holding limit' },
  'POOL.NO_ACTIVE_AGENT': { 'zh-CN': '所选员工都已停用', en: 'No agent chosen is active' },
  'POOL.SELECTION_TOO_LARGE': {
    'zh-CN': '{field} 选中的客户超过 {max} 个：请缩小范围，分批分配',
    en: '{field} selects more than {max} customers: narrow it and assign them in parts',
  },
  'REFERENCE.CHANGED': {
    'zh-CN': '引用的记录刚被他人删除，或要删除的记录刚被引用；请刷新后重试',
    en: 'A record this change refers to was just deleted, or one it deletes was just put to use, by someone else; reload and try again',
  },
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
