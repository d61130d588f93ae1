import { fillTemplate, type Lang } from '@telecrm/core';

type Template = { 'zh-CN': string; en: string };

/** Every message the CLI shows to people, in both languages. `{name}` is filled from the params. */
export const CLI_MESSAGES = {
  // Program, global options and commander's own words that we can replace.
  'program.description': { 'zh-CN': '电销 CRM 命令行', en: 'Telemarketing CRM command line' },
  'opt.server': {
    'zh-CN': '服务器地址（默认：CRM_URL，其次为已登录的服务器，其次 http://127.0.0.1:3000）',
    en: 'server URL (default: CRM_URL, else the server you logged in to, else http://127.0.0.1:3000)',
  },
  'opt.json': { 'zh-CN': '机器输出：每行一个 JSON，无颜色', en: 'machine output: one JSON object per line, no colour' },
  'opt.lang': { 'zh-CN': '提示语言（默认取自 LANG）', en: 'language of messages (default: from LANG)' },
  'opt.help': { 'zh-CN': '显示帮助', en: 'show help' },
  'opt.version': { 'zh-CN': '显示版本', en: 'show the version' },
  'cmd.help': { 'zh-CN': '显示某个命令的帮助', en: 'show help for a command' },
  'help.Usage:': { 'zh-CN': '用法：', en: 'Usage:' },
  'help.Arguments:': { 'zh-CN': '参数：', en: 'Arguments:' },
  'help.Options:': { 'zh-CN': '选项：', en: 'Options:' },
  'help.Global Options:': { 'zh-CN': '全局选项：', en: 'Global Options:' },
  'help.Commands:': { 'zh-CN': '命令：', en: 'Commands:' },

  // Administration: serve, db, demo.
  'cmd.serve': { 'zh-CN': '启动 API 服务（Ctrl-C 停止）', en: 'Start the API server (Ctrl-C stops it)' },
  'opt.port': { 'zh-CN': '监听端口（0 表示任选空闲端口）', en: 'port to listen on (0 picks a free one)' },
  'opt.host': { 'zh-CN': '监听地址', en: 'address to listen on' },
  'opt.db': {
    'zh-CN': '数据库：SQLite 文件路径或 postgres://…（默认：CRM_DB，其次 ./data/crm.sqlite）',
    en: 'database: a SQLite file path or postgres://… (default: CRM_DB, else ./data/crm.sqlite)',
  },
  'cmd.db': { 'zh-CN': '数据库管理（直接打开数据库）', en: 'Database administration (opens the database directly)' },
  'cmd.db.migrate': { 'zh-CN': '执行尚未执行的迁移', en: 'Apply the pending migrations' },
  'cmd.db.backup': { 'zh-CN': '在线备份 SQLite 数据库到 FILE', en: 'Copy the SQLite database to FILE while it is in use' },
  'arg.file': { 'zh-CN': '备份文件', en: 'the backup file to write' },
  'cmd.demo': { 'zh-CN': '写入演示用户和客户', en: 'Fill a database with demo users and customers' },
  'opt.customers': { 'zh-CN': '客户数量', en: 'how many customers' },
  'opt.seed': { 'zh-CN': '随机种子（相同种子得到相同数据）', en: 'random seed (the same seed gives the same data)' },
  'serve.listening': { 'zh-CN': 'CRM 服务已启动：{url}', en: 'CRM server listening on {url}' },
  'serve.docs': { 'zh-CN': '接口文档：{url}', en: 'API reference: {url}' },
  'serve.stopping': { 'zh-CN': '正在停止……', en: 'Stopping…' },
  'db.migrated': { 'zh-CN': '已对 {db} 执行 {count} 个迁移：', en: 'Applied {count} migration(s) to {db}:' },
  'db.upToDate': { 'zh-CN': '{db} 已是最新，无需迁移。', en: '{db} is up to date: no migration to apply.' },
  'db.backedUp': { 'zh-CN': '已将 {db} 备份到 {file}。', en: 'Backed up {db} to {file}.' },
  'demo.done': {
    'zh-CN': '已在 {db} 写入演示公司「{company}」，共 {customers} 个客户。',
    en: 'Wrote the demo company "{company}" with {customers} customers to {db}.',
  },
  'demo.progress': { 'zh-CN': '正在写入演示客户', en: 'Writing demo customers' },
  'demo.users': { 'zh-CN': '演示用户（密码只显示这一次）：', en: 'Demo users (their passwords are shown this once):' },
  'demo.usersKept': { 'zh-CN': '演示用户已存在，密码未改变。', en: 'The demo users existed already: their passwords are unchanged.' },

  // Login.
  'cmd.login': { 'zh-CN': '登录，并把令牌保存在配置目录', en: 'Log in and keep the token in the config directory' },
  'opt.username': { 'zh-CN': '用户名（在终端上会询问）', en: 'user name (asked for on a terminal)' },
  'opt.password': {
    'zh-CN': '密码（在终端上会询问，否则从标准输入读取）',
    en: 'password (asked for on a terminal, else read from stdin)',
  },
  'cmd.logout': { 'zh-CN': '退出登录并删除保存的令牌', en: 'Log out and forget the stored token' },
  'cmd.whoami': { 'zh-CN': '显示当前登录的用户', en: 'Show the logged-in user' },
  'login.askUsername': { 'zh-CN': '用户名：', en: 'Username: ' },
  'login.askPassword': { 'zh-CN': '密码：', en: 'Password: ' },
  'login.done': {
    'zh-CN': '已登录 {server}，用户 {name}（{username}），令牌有效期至 {expiresAt}。',
    en: 'Logged in to {server} as {name} ({username}); the token expires at {expiresAt}.',
  },
  'login.saved': { 'zh-CN': '令牌已保存到 {file}。', en: 'The token is kept in {file}.' },
  'logout.done': { 'zh-CN': '已退出 {server}。', en: 'Logged out of {server}.' },
  'logout.notLoggedIn': { 'zh-CN': '尚未登录，无需退出。', en: 'Not logged in: nothing to do.' },

  // Customers.
  'cmd.customers': { 'zh-CN': '客户', en: 'Customers' },
  'cmd.customers.list': { 'zh-CN': '列出客户', en: 'List customers' },
  'opt.q': { 'zh-CN': '快速搜索：名称、电话（任意格式）或微信', en: 'quick search: name, phone (any format) or WeChat' },
  'opt.view': { 'zh-CN': '视图 ID（已保存的或内置的）', en: 'a view id (saved or built in)' },
  'opt.filter': {
    'zh-CN': '筛选条件 JSON，如 {"field":"source","op":"eq","value":"展会"}',
    en: 'a filter as JSON, e.g. {"field":"source","op":"eq","value":"Expo"}',
  },
  'opt.sort': { 'zh-CN': '排序：字段:asc 或 字段:desc', en: 'sort as field:asc or field:desc' },
  'opt.limit': { 'zh-CN': '每页条数', en: 'page size' },
  'opt.all': { 'zh-CN': '翻页直到最后一页', en: 'follow the pages to the end' },
  'opt.cursor': { 'zh-CN': '从这个分页游标开始', en: 'start at this page cursor' },
  'opt.deleted': { 'zh-CN': '列出回收站', en: 'list the recycle bin' },
  'cmd.customers.show': { 'zh-CN': '显示一个客户', en: 'Show one customer' },
  'cmd.customers.add': { 'zh-CN': '新建客户（负责人为自己）', en: 'Create a customer (owned by you)' },
  'cmd.customers.edit': { 'zh-CN': '修改客户：只改给出的字段', en: 'Change a customer: only the given fields change' },
  'cmd.customers.rm': { 'zh-CN': '把客户移入回收站', en: 'Move a customer to the recycle bin' },
  'cmd.customers.restore': { 'zh-CN': '从回收站恢复客户', en: 'Bring a customer back from the recycle bin' },
  'cmd.customers.purge': { 'zh-CN': '彻底删除回收站中的客户', en: 'Delete a customer in the recycle bin for good' },
  'cmd.customers.merge': {
    'zh-CN': '把 MERGED 合并到 SURVIVOR（MERGED 移入回收站）',
    en: 'Merge MERGED into SURVIVOR (MERGED goes to the recycle bin)',
  },
  'cmd.customers.focus': { 'zh-CN': '标记重点关注，或用 --off 取消', en: 'Mark a customer as focus, or unmark it with --off' },
  'arg.id': { 'zh-CN': '客户 ID', en: 'customer id' },
  'arg.survivor': { 'zh-CN': '保留的客户 ID', en: 'id of the customer that stays' },
  'arg.merged': { 'zh-CN': '被合并的客户 ID', en: 'id of the customer merged into it' },
  'opt.field.name': { 'zh-CN': '客户名称', en: 'name' },
  'opt.field.company': { 'zh-CN': '公司', en: 'company' },
  'opt.field.source': { 'zh-CN': '来源（下拉列表的值）', en: 'source (a picklist value)' },
  'opt.field.industry': { 'zh-CN': '行业（下拉列表的值）', en: 'industry (a picklist value)' },
  'opt.field.region': { 'zh-CN': '地区（下拉列表的值）', en: 'region (a picklist value)' },
  'opt.field.status': { 'zh-CN': '客户状态（下拉列表的值）', en: 'status (a picklist value)' },
  'opt.field.stage': { 'zh-CN': '成熟度（下拉列表的值）', en: 'stage (a picklist value)' },
  'opt.field.level': { 'zh-CN': '客户级别（下拉列表的值）', en: 'level (a picklist value)' },
  'opt.field.wechat': { 'zh-CN': '微信', en: 'WeChat' },
  'opt.field.email': { 'zh-CN': '邮箱', en: 'email' },
  'opt.field.remark': { 'zh-CN': '备注', en: 'remark' },
  'opt.phone': {
    'zh-CN': '电话，可重复；第一个为主号码（修改时替换全部号码）',
    en: 'phone number, repeatable; the first is the primary (edit: replaces all numbers)',
  },
  'opt.tag': { 'zh-CN': '标签，可重复（修改时替换全部标签）', en: 'tag, repeatable (edit: replaces all tags)' },
  'opt.custom': {
    'zh-CN': '自定义字段：key=文本 或 key:=JSON，可重复',
    en: 'custom field as key=text or key:=JSON, repeatable',
  },
  'opt.jsonBody': { 'zh-CN': '请求体 JSON；其他选项覆盖其中的字段', en: 'the request body as JSON; other options override its fields' },
  'opt.clear': { 'zh-CN': '清空字段，可重复（如 company、tags、custom.budget）', en: 'clear a field, repeatable (e.g. company, tags, custom.budget)' },
  'opt.colour': { 'zh-CN': '颜色：{colours}', en: 'colour: {colours}' },
  'opt.off': { 'zh-CN': '取消重点关注', en: 'remove the focus mark' },
  'customers.more': {
    'zh-CN': '已显示 {count} 条；还有更多，可用 --all 或 --cursor {cursor}',
    en: '{count} shown; there are more: use --all, or --cursor {cursor}',
  },
  'customers.none': { 'zh-CN': '没有符合条件的客户。', en: 'No customers match.' },
  'customers.deleted': {
    'zh-CN': '已把「{name}」移入回收站（恢复：crm customers restore {id}）。',
    en: 'Moved "{name}" to the recycle bin (undo: crm customers restore {id}).',
  },
  'customers.restored': { 'zh-CN': '已恢复「{name}」。', en: 'Restored "{name}".' },
  'customers.purged': { 'zh-CN': '已彻底删除 {id}。', en: 'Deleted {id} for good.' },
  'customers.merged': { 'zh-CN': '已把 {merged} 合并到「{name}」。', en: 'Merged {merged} into "{name}".' },
  'customers.focusOn': { 'zh-CN': '已把「{name}」标为重点关注（{colour}）。', en: 'Marked "{name}" as focus ({colour}).' },
  'customers.focusOff': { 'zh-CN': '已取消「{name}」的重点关注。', en: 'Removed the focus mark from "{name}".' },

  // Views.
  'cmd.views': { 'zh-CN': '视图（常用筛选）', en: 'Saved views' },
  'cmd.views.list': { 'zh-CN': '列出视图', en: 'List the views' },
  'cmd.views.add': { 'zh-CN': '保存一个视图', en: 'Save a view' },
  'opt.viewName': { 'zh-CN': '视图名称', en: 'view name' },
  'opt.shared': { 'zh-CN': '所有人可见', en: 'shared with everyone' },
  'opt.default': { 'zh-CN': '设为我的默认视图', en: 'make it my default view' },
  'opt.columns': { 'zh-CN': '列，逗号分隔，如 name,company,phones', en: 'columns, comma separated, e.g. name,company,phones' },
  'views.none': { 'zh-CN': '没有视图。', en: 'No views.' },
  'views.created': { 'zh-CN': '已保存视图「{name}」（{id}）。', en: 'Saved the view "{name}" ({id}).' },

  // Labels of columns and record fields that the core's field catalogue does not name.
  'label.id': { 'zh-CN': 'ID', en: 'ID' },
  'label.primaryPhone': { 'zh-CN': '主号码', en: 'Primary phone' },
  'label.focus': { 'zh-CN': '重点关注', en: 'Focus' },
  'label.custom': { 'zh-CN': '自定义字段', en: 'Custom fields' },
  'label.contacts': { 'zh-CN': '联系人', en: 'Contacts' },
  'label.username': { 'zh-CN': '用户名', en: 'Username' },
  'label.displayName': { 'zh-CN': '姓名', en: 'Name' },
  'label.isAdmin': { 'zh-CN': '管理员', en: 'Admin' },
  'label.departmentId': { 'zh-CN': '部门', en: 'Department' },
  'label.userStatus': { 'zh-CN': '状态', en: 'Status' },
  'label.viewName': { 'zh-CN': '名称', en: 'Name' },
  'label.builtIn': { 'zh-CN': '内置', en: 'Built in' },
  'label.shared': { 'zh-CN': '共享', en: 'Shared' },
  'label.isDefault': { 'zh-CN': '默认', en: 'Default' },
  'label.filter': { 'zh-CN': '筛选', en: 'Filter' },
  'label.sort': { 'zh-CN': '排序', en: 'Sort' },
  'label.columns': { 'zh-CN': '列', en: 'Columns' },
  'label.password': { 'zh-CN': '密码', en: 'Password' },
  'label.role': { 'zh-CN': '角色', en: 'Role' },
  'value.yes': { 'zh-CN': '是', en: 'yes' },
  'value.no': { 'zh-CN': '否', en: 'no' },

  // Failures.
  'error.prefix': { 'zh-CN': '错误：{message}', en: 'error: {message}' },
  'error.unreachable': {
    'zh-CN': '无法连接服务器 {url}（{reason}）。服务是否已启动？可用 crm serve 启动，或用 --server 指定地址。',
    en: 'Cannot reach the server at {url} ({reason}). Is it running? Start one with crm serve, or pass --server.',
  },
  'error.notLoggedIn': {
    'zh-CN': '尚未登录 {server}：请先运行 crm login（或设置 CRM_TOKEN）。',
    en: 'Not logged in to {server}: run crm login first (or set CRM_TOKEN).',
  },
  'error.loginAgain': { 'zh-CN': '请运行 crm login 重新登录。', en: 'Run crm login to log in again.' },
  'error.http': { 'zh-CN': '服务器返回 {status} {title}', en: 'The server answered {status} {title}' },
  'error.badResponse': { 'zh-CN': '服务器返回的内容无法解析（{status}）', en: 'The server sent an answer that cannot be read ({status})' },
  'error.badServerUrl': { 'zh-CN': '服务器地址应为 http(s) URL：{value}', en: 'The server must be an http(s) URL: {value}' },
  'error.badJson': { 'zh-CN': '{option} 不是有效的 JSON：{reason}', en: '{option} is not valid JSON: {reason}' },
  'error.badOption': { 'zh-CN': '{option}：{reason}', en: '{option}: {reason}' },
  'error.badSort': { 'zh-CN': '{option} 应为 字段:asc 或 字段:desc：{value}', en: '{option} must be field:asc or field:desc: {value}' },
  'error.badInteger': { 'zh-CN': '{option} 应为不小于 {min} 的整数：{value}', en: '{option} must be a whole number of at least {min}: {value}' },
  'error.badRange': { 'zh-CN': '{option} 应为 {min} 到 {max} 之间的整数：{value}', en: '{option} must be a whole number from {min} to {max}: {value}' },
  'error.badCustom': { 'zh-CN': '--custom 应为 key=文本 或 key:=JSON：{value}', en: '--custom must be key=text or key:=JSON: {value}' },
  'error.badClear': { 'zh-CN': '--clear {value}：不能清空这个字段（可选：{fields}、custom.KEY）', en: '--clear {value}: not a field that can be cleared (one of {fields}, custom.KEY)' },
  'error.nothingToChange': {
    'zh-CN': '没有要修改的内容：请给出字段选项、--clear 或 --json-body。',
    en: 'Nothing to change: give a field option, --clear or --json-body.',
  },
  'error.invalidInput': { 'zh-CN': '输入有误：', en: 'The input is not valid:' },
  'error.usernameRequired': {
    'zh-CN': '请用 -u 给出用户名：没有可交互的终端。',
    en: 'Give the user name with -u: there is no terminal to ask on.',
  },
  'error.passwordRequired': {
    'zh-CN': '请用 -p 给出密码，或从标准输入传入。',
    en: 'Give the password with -p, or pipe it on stdin.',
  },
  'error.focusOffColour': { 'zh-CN': '--off 与 --colour 不能同时使用。', en: '--off and --colour cannot be used together.' },
  'error.backupPostgres': {
    'zh-CN': 'crm db backup 只能备份 SQLite 数据库；PostgreSQL（{url}）请用 pg_dump。',
    en: 'crm db backup copies a SQLite database; for PostgreSQL ({url}) use pg_dump.',
  },
  'error.cancelled': { 'zh-CN': '已取消。', en: 'Cancelled.' },
  'error.unexpected': { 'zh-CN': '意外错误：{reason}', en: 'Unexpected failure: {reason}' },
} as const satisfies Record<string, Template>;

export type MessageKey = keyof typeof CLI_MESSAGES;

/** The message `key` in `lang`, with `{name}` placeholders filled from `params`. */
export function msg(lang: Lang, key: MessageKey, params: Record<string, unknown> = {}): string {
  return fillTemplate(CLI_MESSAGES[key][lang], params);
}
