import type { PicklistName } from '../picklist/picklist.schema.js';

// Demo data: realistic Chinese customers for demos and benchmarks. Pure and deterministic: every
// random choice comes from the random source the caller passes in, and every phone number is derived
// from the customer's sequence number, so numbers never repeat and never need a retry.

/** A source of uniform numbers in [0, 1), like `Math.random`. */
export type RandomSource = () => number;

/**
 * A small, fast, seeded pseudo-random generator (mulberry32). Not for secrets.
 *
 * @example
 * const rng = createSeededRandom(42);
 * rng(); // the same sequence for the same seed, in [0, 1)
 */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
const randomInt = (rng: RandomSource, n: number): number => Math.floor(rng() * n);

/** One element of a non-empty list. */
const pickOne = <T>(rng: RandomSource, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

/** Picks by relative weights; built once per table so a pick is a binary search. */
function weightedTable<T>(entries: readonly (readonly [T, number])[]): (rng: RandomSource) => T {
  const values = entries.map((e) => e[0]);
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of entries) cumulative.push((total += weight));
  return (rng) => {
    const target = rng() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return values[lo]!;
  };
}

// ---------------------------------------------------------------------------------------------------
// Phones

/** Mobile prefixes in use (130-139, 145, 147, 150-153, 155-159, 166, 170-173, 175-178, 180-189, 198, 199). */
export const DEMO_MOBILE_PREFIXES: readonly string[] = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139',
  '145', '147',
  '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '166',
  '170', '171', '172', '173', '175', '176', '177', '178',
  '180', '181', '182', '183', '184', '185', '186', '187', '188', '189',
  '198', '199',
];

const MOBILE_SUFFIXES = 100_000_000;
/** How many distinct mobile numbers `demoMobile` can make: every prefix times 8 free digits. */
export const DEMO_MOBILE_SPACE = DEMO_MOBILE_PREFIXES.length * MOBILE_SUFFIXES;

/** Landline areas: Beijing, Shanghai, Shenzhen, Hangzhou; local numbers are 8 digits starting 2-7. */
export const DEMO_LANDLINE_AREAS: readonly { code: string; city: string }[] = [
  { code: '10', city: '北京' },
  { code: '21', city: '上海' },
  { code: '755', city: '深圳' },
  { code: '571', city: '杭州' },
];
const LANDLINE_LOCALS = 60_000_000;
export const DEMO_LANDLINE_SPACE = DEMO_LANDLINE_AREAS.length * LANDLINE_LOCALS;

export interface DemoPhone {
  /** The dedup key, e.g. `+8613800138000`. */
  e164: string;
  /** As people write it, e.g. `138 0013 8000` or `010-6234 5678`. */
  display: string;
}


// A fixed bijection on [0, 10^8): affine steps (multipliers prime to 10) between swaps of the two
// four-digit halves. Fixed on purpose: numbers depend only on the index, so separate runs that use
// separate index ranges can never collide.
function scramble8(x: number): number {
  x = (x * 7_919 + 13_579_246) % MOBILE_SUFFIXES;
  x = (x % 10_000) * 10_000 + Math.floor(x / 10_000);
  x = (x * 104_729 + 86_420_135) % MOBILE_SUFFIXES;
  x = (x % 10_000) * 10_000 + Math.floor(x / 10_000);
  x = (x * 3_571 + 24_681_357) % MOBILE_SUFFIXES;
  return x;
}

/**
 * The mobile number at `index` of a fixed permutation of all demo mobile numbers: distinct indexes
 * give distinct numbers, so a counter yields unique numbers without checking.
 *
 * @example demoMobile(0).e164 // '+86130........', always the same number for 0
 */
export function demoMobile(index: number): DemoPhone {
  if (!Number.isSafeInteger(index) || index < 0 || index >= DEMO_MOBILE_SPACE) {
    throw new RangeError(`mobile index out of range: ${index}`);
  }
  const p = index % DEMO_MOBILE_PREFIXES.length;
  const k = Math.floor(index / DEMO_MOBILE_PREFIXES.length);
  // Shifting by the prefix keeps neighbouring indexes (different prefixes) from sharing a suffix.
  const suffix = String(MOBILE_SUFFIXES + scramble8((k + p * 2_380_951) % MOBILE_SUFFIXES)).slice(1);
  const prefix = DEMO_MOBILE_PREFIXES[p]!;
  return { e164: `+86${prefix}${suffix}`, display: `${prefix} ${suffix.slice(0, 4)} ${suffix.slice(4)}` };
}

/** The landline at `index` of a fixed permutation of the demo landlines (distinct for distinct indexes). */
export function demoLandline(index: number): DemoPhone & { city: string } {
  if (!Number.isSafeInteger(index) || index < 0 || index >= DEMO_LANDLINE_SPACE) {
    throw new RangeError(`landline index out of range: ${index}`);
  }
  const area = DEMO_LANDLINE_AREAS[index % DEMO_LANDLINE_AREAS.length]!;
  const k = Math.floor(index / DEMO_LANDLINE_AREAS.length);
  // 7_919 is prime to 60,000,000 (= 2^8 * 3 * 5^7), so this is a bijection on the local numbers.
  const x = (k * 7_919 + 31_415_926) % LANDLINE_LOCALS;
  const local = String(20_000_000 + x);
  return {
    e164: `+86${area.code}${local}`,
    display: `0${area.code}-${local.slice(0, 4)} ${local.slice(4)}`,
    city: area.city,
  };
}

/** A random mobile number, for one-off demo records (not guaranteed unique). */
export function randomMobile(rng: RandomSource): DemoPhone {
  return demoMobile(randomInt(rng, DEMO_MOBILE_SPACE));
}

// ---------------------------------------------------------------------------------------------------
// People and companies

// Common surnames with rough relative frequencies (per 10,000), and their pinyin for ids and emails.
const SURNAMES: readonly (readonly [string, string, number])[] = [
  ['王', 'wang', 710], ['李', 'li', 700], ['张', 'zhang', 670], ['刘', 'liu', 540], ['陈', 'chen', 450],
  ['杨', 'yang', 310], ['赵', 'zhao', 230], ['黄', 'huang', 220], ['周', 'zhou', 210], ['吴', 'wu', 200],
  ['徐', 'xu', 130], ['孙', 'sun', 120], ['胡', 'hu', 110], ['朱', 'zhu', 100], ['高', 'gao', 100],
  ['林', 'lin', 97], ['何', 'he', 95], ['郭', 'guo', 93], ['马', 'ma', 89], ['罗', 'luo', 86],
  ['梁', 'liang', 70], ['宋', 'song', 60], ['郑', 'zheng', 60], ['谢', 'xie', 55], ['韩', 'han', 50],
  ['唐', 'tang', 50], ['冯', 'feng', 50], ['于', 'yu', 48], ['董', 'dong', 46], ['萧', 'xiao', 44],
  ['程', 'cheng', 40], ['曹', 'cao', 40], ['袁', 'yuan', 39], ['邓', 'deng', 38], ['许', 'xu', 37],
  ['傅', 'fu', 36], ['沈', 'shen', 35], ['曾', 'zeng', 34], ['彭', 'peng', 33], ['吕', 'lv', 32],
  ['苏', 'su', 30], ['卢', 'lu', 30], ['蒋', 'jiang', 30], ['蔡', 'cai', 30], ['贾', 'jia', 28],
  ['丁', 'ding', 27], ['魏', 'wei', 26], ['薛', 'xue', 25], ['叶', 'ye', 25], ['阎', 'yan', 24],
  ['余', 'yu', 24], ['潘', 'pan', 23], ['杜', 'du', 22], ['戴', 'dai', 21], ['夏', 'xia', 20],
  ['钟', 'zhong', 20], ['汪', 'wang', 20], ['田', 'tian', 20], ['任', 'ren', 20], ['姜', 'jiang', 20],
  ['范', 'fan', 20], ['方', 'fang', 20], ['石', 'shi', 20], ['姚', 'yao', 20], ['谭', 'tan', 19],
  ['廖', 'liao', 18], ['邹', 'zou', 18], ['熊', 'xiong', 18], ['金', 'jin', 18], ['陆', 'lu', 17],
  ['郝', 'hao', 17], ['孔', 'kong', 17], ['白', 'bai', 17], ['崔', 'cui', 16], ['康', 'kang', 16],
  ['毛', 'mao', 16], ['邱', 'qiu', 16], ['秦', 'qin', 15], ['江', 'jiang', 15], ['史', 'shi', 15],
  ['顾', 'gu', 15], ['侯', 'hou', 14], ['邵', 'shao', 14], ['孟', 'meng', 14], ['龙', 'long', 14],
  ['万', 'wan', 13], ['段', 'duan', 13], ['雷', 'lei', 13], ['钱', 'qian', 13], ['汤', 'tang', 13],
  ['尹', 'yin', 12], ['黎', 'li', 12], ['易', 'yi', 12], ['常', 'chang', 12], ['武', 'wu', 12],
  ['乔', 'qiao', 12], ['贺', 'he', 12], ['赖', 'lai', 11], ['龚', 'gong', 11], ['文', 'wen', 11],
  ['欧阳', 'ouyang', 5], ['司马', 'sima', 2], ['上官', 'shangguan', 1], ['诸葛', 'zhuge', 1],
];

const GIVEN: readonly (readonly [string, string])[] = [
  ['伟', 'wei'], ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['强', 'qiang'],
  ['磊', 'lei'], ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['艳', 'yan'], ['杰', 'jie'], ['娟', 'juan'],
  ['涛', 'tao'], ['明', 'ming'], ['超', 'chao'], ['秀', 'xiu'], ['霞', 'xia'], ['平', 'ping'], ['刚', 'gang'],
  ['桂', 'gui'], ['英', 'ying'], ['华', 'hua'], ['建', 'jian'], ['文', 'wen'], ['辉', 'hui'], ['玲', 'ling'],
  ['红', 'hong'], ['鹏', 'peng'], ['飞', 'fei'], ['宇', 'yu'], ['浩', 'hao'], ['婷', 'ting'], ['雪', 'xue'],
  ['琳', 'lin'], ['晨', 'chen'], ['欣', 'xin'], ['怡', 'yi'], ['佳', 'jia'], ['子', 'zi'], ['涵', 'han'],
  ['梓', 'zi'], ['轩', 'xuan'], ['博', 'bo'], ['思', 'si'], ['雨', 'yu'], ['萱', 'xuan'], ['俊', 'jun'],
  ['嘉', 'jia'], ['凯', 'kai'], ['志', 'zhi'], ['海', 'hai'], ['斌', 'bin'], ['波', 'bo'], ['亮', 'liang'],
  ['宁', 'ning'], ['晓', 'xiao'], ['燕', 'yan'], ['慧', 'hui'], ['颖', 'ying'], ['梅', 'mei'], ['兰', 'lan'],
  ['凤', 'feng'], ['春', 'chun'], ['成', 'cheng'], ['国', 'guo'], ['东', 'dong'], ['林', 'lin'], ['峰', 'feng'],
  ['立', 'li'], ['新', 'xin'], ['德', 'de'], ['永', 'yong'], ['健', 'jian'], ['世', 'shi'], ['光', 'guang'],
  ['天', 'tian'], ['一', 'yi'], ['诗', 'shi'], ['梦', 'meng'], ['瑶', 'yao'], ['欢', 'huan'], ['琪', 'qi'],
  ['晶', 'jing'], ['倩', 'qian'], ['萍', 'ping'], ['蕾', 'lei'], ['露', 'lu'], ['洁', 'jie'], ['莉', 'li'],
  ['鑫', 'xin'], ['昊', 'hao'], ['然', 'ran'], ['泽', 'ze'], ['睿', 'rui'], ['航', 'hang'], ['彤', 'tong'],
  ['悦', 'yue'], ['馨', 'xin'], ['瑞', 'rui'], ['振', 'zhen'], ['龙', 'long'], ['清', 'qing'], ['安', 'an'],
  ['家', 'jia'], ['金', 'jin'], ['玉', 'yu'], ['云', 'yun'], ['斐', 'fei'], ['帆', 'fan'], ['毅', 'yi'],
];

const pickSurname = weightedTable(SURNAMES.map(([s, p, w]) => [[s, p] as const, w] as const));

export interface DemoPerson {
  name: string;
  surnamePinyin: string;
  givenPinyin: string;
}

/** A Chinese personal name: a common surname (by frequency) and a given name of one or two characters. */
export function demoPersonName(rng: RandomSource): DemoPerson {
  const [surname, surnamePinyin] = pickSurname(rng);
  const [g1, p1] = pickOne(rng, GIVEN);
  if (rng() < 0.35) return { name: surname + g1, surnamePinyin, givenPinyin: p1 };
  const [g2, p2] = pickOne(rng, GIVEN);
  return { name: surname + g1 + g2, surnamePinyin, givenPinyin: p1 + p2 };
}

interface City {
  name: string;
  region: string;
  weight: number;
}

const CITIES: readonly City[] = [
  { name: '北京', region: '北京', weight: 12 }, { name: '上海', region: '上海', weight: 12 },
  { name: '深圳', region: '广东', weight: 10 }, { name: '广州', region: '广东', weight: 9 },
  { name: '杭州', region: '浙江', weight: 8 }, { name: '东莞', region: '广东', weight: 3 },
  { name: '佛山', region: '广东', weight: 3 }, { name: '宁波', region: '浙江', weight: 3 },
  { name: '温州', region: '浙江', weight: 2 }, { name: '南京', region: '江苏', weight: 5 },
  { name: '苏州', region: '江苏', weight: 5 }, { name: '无锡', region: '江苏', weight: 2 },
  { name: '成都', region: '四川', weight: 6 }, { name: '武汉', region: '湖北', weight: 5 },
  { name: '青岛', region: '山东', weight: 3 }, { name: '济南', region: '山东', weight: 3 },
  { name: '厦门', region: '福建', weight: 3 }, { name: '福州', region: '福建', weight: 2 },
  { name: '西安', region: '其他', weight: 4 }, { name: '重庆', region: '其他', weight: 4 },
  { name: '天津', region: '其他', weight: 3 }, { name: '长沙', region: '其他', weight: 3 },
  { name: '郑州', region: '其他', weight: 3 }, { name: '合肥', region: '其他', weight: 2 },
];
const pickCity = weightedTable(CITIES.map((c) => [c, c.weight] as const));
const CITY_BY_NAME = new Map(CITIES.map((c) => [c.name, c]));

const BRANDS: readonly (readonly [string, string])[] = [
  ['华信', 'huaxin'], ['博远', 'boyuan'], ['瑞丰', 'ruifeng'], ['鼎盛', 'dingsheng'], ['恒通', 'hengtong'],
  ['天成', 'tiancheng'], ['中科', 'zhongke'], ['金桥', 'jinqiao'], ['汇智', 'huizhi'], ['卓越', 'zhuoyue'],
  ['嘉禾', 'jiahe'], ['启明', 'qiming'], ['宏图', 'hongtu'], ['新锐', 'xinrui'], ['同创', 'tongchuang'],
  ['东方', 'dongfang'], ['星辰', 'xingchen'], ['银河', 'yinhe'], ['明德', 'mingde'], ['海纳', 'haina'],
  ['远航', 'yuanhang'], ['创新', 'chuangxin'], ['盛世', 'shengshi'], ['永泰', 'yongtai'], ['安达', 'anda'],
  ['联众', 'lianzhong'], ['易通', 'yitong'], ['云帆', 'yunfan'], ['智联', 'zhilian'], ['优品', 'youpin'],
  ['万象', 'wanxiang'], ['正和', 'zhenghe'], ['诚信', 'chengxin'], ['锦程', 'jincheng'], ['蓝海', 'lanhai'],
  ['慧聚', 'huiju'], ['腾越', 'tengyue'], ['鸿运', 'hongyun'], ['泰和', 'taihe'], ['华锐', 'huarui'],
];

// Words that say what a company does, by the default industry values; anything else gets GENERIC.
const INDUSTRY_WORDS: Readonly<Record<string, readonly string[]>> = {
  金融: ['投资', '资产管理', '金融服务', '融资租赁', '保险代理'],
  教育培训: ['教育咨询', '培训', '教育科技', '文化传播'],
  房地产: ['置业', '房地产开发', '物业管理', '房产经纪'],
  制造业: ['机械制造', '电子', '精密仪器', '新材料', '汽车配件'],
  互联网: ['网络科技', '信息技术', '软件', '数据科技', '科技'],
  医疗健康: ['医疗器械', '生物科技', '健康管理', '医药'],
  零售: ['商贸', '贸易', '电子商务', '百货'],
  物流: ['物流', '供应链管理', '货运代理', '国际货运'],
};
const GENERIC_WORDS: readonly string[] = ['实业', '企业管理', '商务咨询', '科技', '文化传媒', '贸易'];
const GOVERNMENT_OFFICES: readonly string[] = ['市场监督管理局', '教育局', '人力资源和社会保障局', '住房和城乡建设局', '交通运输局'];
const pickSuffix = weightedTable([
  ['有限公司', 60], ['有限责任公司', 14], ['股份有限公司', 14], ['集团有限公司', 8], ['工作室', 4],
] as const);

export interface DemoCompany {
  name: string;
  /** The brand's pinyin, for e-mail domains; undefined for public bodies. */
  domain?: string;
}

/** A company name `{city}{brand}{industry word}{suffix}`, e.g. 深圳华信科技有限公司. */
export function demoCompanyName(rng: RandomSource, city: string, industry?: string | null): DemoCompany {
  if (industry === '政府机构') return { name: `${city}市${pickOne(rng, GOVERNMENT_OFFICES)}` };
  const [brand, pinyin] = pickOne(rng, BRANDS);
  const words = (industry && INDUSTRY_WORDS[industry]) || GENERIC_WORDS;
  return { name: `${city}${brand}${pickOne(rng, words)}${pickSuffix(rng)}`, domain: `${pinyin}.com.cn` };
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const LOWER_DIGITS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const randomChars = (rng: RandomSource, alphabet: string, n: number): string => {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(rng() * alphabet.length)];
  return out;
};
const digits = (rng: RandomSource, n: number): string => randomChars(rng, '0123456789', n);

/** A WeChat id as people pick them: 6-20 characters, starting with a letter. */
export function demoWechat(rng: RandomSource, person: DemoPerson): string {
  const r = rng();
  let id: string;
  if (r < 0.35) id = person.surnamePinyin + person.givenPinyin + digits(rng, 2 + randomInt(rng, 3));
  else if (r < 0.6) id = `${person.surnamePinyin}_${person.givenPinyin}${digits(rng, 2)}`;
  else if (r < 0.8) id = `wxid_${randomChars(rng, LOWER_DIGITS, 10)}`;
  else id = randomChars(rng, LOWER, 1) + randomChars(rng, LOWER_DIGITS, 5 + randomInt(rng, 6));
  if (id.length < 6) id += digits(rng, 6 - id.length);
  return id.slice(0, 20);
}

const FREE_MAIL = ['163.com', '126.com', 'sina.com', 'foxmail.com', 'aliyun.com'];

/** An e-mail address: a company mailbox when the company has a domain, else QQ or another free one. */
export function demoEmail(rng: RandomSource, person: DemoPerson, company?: DemoCompany): string {
  if (company?.domain && rng() < 0.6) {
    const local = rng() < 0.5 ? `${person.surnamePinyin}.${person.givenPinyin}` : person.givenPinyin + person.surnamePinyin;
    return `${local}@${company.domain}`;
  }
  if (rng() < 0.45) return `${1 + randomInt(rng, 9)}${digits(rng, 5 + randomInt(rng, 5))}@qq.com`;
  return `${person.surnamePinyin}${person.givenPinyin}${digits(rng, 2 + randomInt(rng, 3))}@${pickOne(rng, FREE_MAIL)}`;
}

// ---------------------------------------------------------------------------------------------------
// Customers

export type DemoPicklists = Readonly<Partial<Record<PicklistName, readonly string[]>>>;

export interface DemoContact {
  name: string;
  title: string;
  /** E.164, from a range of numbers that customers' own phones never use. */
  phone: string;
}

/** A customer as plain values, ready to be checked or stored. */
export interface DemoCustomer {
  name: string;
  company: string | null;
  /** E.164; the first is the primary number. Unique across every generated customer. */
  phones: string[];
  wechat: string | null;
  email: string | null;
  source: string | null;
  industry: string | null;
  region: string | null;
  status: string | null;
  stage: string | null;
  level: string | null;
  tags: string[];
  hot: boolean;
  remark: string | null;
  contacts: DemoContact[];
}

/**
 * How many customers the sequence holds: customer `i` owns mobile indexes `i` and `i + 1/3 space`,
 * contact numbers in the last third, and landline index `i`, so every index below this is usable.
 */
export const DEMO_CUSTOMER_CAPACITY = DEMO_LANDLINE_SPACE;
const SECOND_MOBILES = Math.floor(DEMO_MOBILE_SPACE / 3);
const CONTACT_MOBILES = 2 * SECOND_MOBILES;

const TITLES = ['总经理', '采购经理', '财务主管', '行政主管', '技术总监', '市场经理', '董事长助理', '项目经理'];
const REMARKS = [
  '客户要求下周再联系',
  '对价格比较敏感，需要优惠方案',
  '已发送产品资料，待反馈',
  '决策人出差中，月底回来',
  '之前用过竞品，体验一般',
  '意向较强，约了面谈',
  '上午不方便接电话，下午联系',
  '需要先走内部审批流程',
  '老客户介绍过来的',
  '预算明年才下来',
];

/** Picks from a list weighted towards its start (statuses and stages early in the funnel are commoner). */
function frontLoaded(list: readonly string[] | undefined, steepness: number): (rng: RandomSource) => string | null {
  if (!list || list.length === 0) return () => null;
  return weightedTable(list.map((value, i) => [value, 1 / (i + 1) ** steepness] as const));
}

const pickFrom = (rng: RandomSource, list: readonly string[] | undefined): string | null =>
  list && list.length > 0 ? pickOne(rng, list) : null;

/**
 * Builds a maker of demo customers for the given picklist values (e.g. `DEFAULT_PICKLISTS`): every
 * picklist field it fills takes a value from these lists.
 */
export function demoCustomerFactory(picklists: DemoPicklists): (rng: RandomSource, index: number) => DemoCustomer {
  const regions = new Set(picklists.region ?? []);
  const tagList = picklists.tags ?? [];
  const stages = picklists.stage ?? [];
  const pickStatus = frontLoaded(picklists.status, 0.7);
  const pickStage = frontLoaded(stages, 0.8);
  // Few customers are top level: the list runs from A (best) down.
  const pickLevel = frontLoaded(picklists.level && [...picklists.level].reverse(), 0.6);
  return (rng, index) => {
    if (!Number.isSafeInteger(index) || index < 0 || index >= DEMO_CUSTOMER_CAPACITY) {
      throw new RangeError(`customer index out of range: ${index}`);
    }
    const person = demoPersonName(rng);
    const phones = [demoMobile(index).e164];
    const extra = rng();
    let city = pickCity(rng);
    if (extra < 0.1) {
      const landline = demoLandline(index);
      phones.push(landline.e164);
      city = CITY_BY_NAME.get(landline.city) ?? city;
    } else if (extra < 0.15) {
      phones.push(demoMobile(SECOND_MOBILES + index).e164);
    }

    const industry = pickFrom(rng, picklists.industry);
    const company = rng() < 0.85 ? demoCompanyName(rng, city.name, industry) : undefined;
    const region = regions.has(city.region) ? city.region : regions.has('其他') ? '其他' : pickFrom(rng, picklists.region);

    const status = pickStatus(rng);
    let stage = pickStage(rng);
    // Keep the obvious pairs consistent when the default values are in use.
    if (status === '已成交' && stages.includes('赢单')) stage = '赢单';
    else if (status === '已流失' && stages.includes('输单')) stage = '输单';
    else if (stage === '赢单' || stage === '输单') stage = stages[0] ?? null;
    const level = pickLevel(rng);

    const tags: string[] = [];
    const tagDraw = rng();
    const tagCount = Math.min(tagList.length, tagDraw < 0.4 ? 0 : tagDraw < 0.75 ? 1 : tagDraw < 0.93 ? 2 : 3);
    while (tags.length < tagCount) {
      const tag = pickOne(rng, tagList);
      if (!tags.includes(tag)) tags.push(tag);
    }

    const contacts: DemoContact[] = [];
    if (company) {
      const contactDraw = rng();
      const contactCount = contactDraw < 0.25 ? 1 : contactDraw < 0.33 ? 2 : 0;
      for (let j = 0; j < contactCount; j++) {
        contacts.push({
          name: demoPersonName(rng).name,
          title: pickOne(rng, TITLES),
          phone: demoMobile(CONTACT_MOBILES + 2 * index + j).e164,
        });
      }
    }

    return {
      name: person.name,
      company: company?.name ?? null,
      phones,
      wechat: rng() < 0.7 ? demoWechat(rng, person) : null,
      email: rng() < 0.6 ? demoEmail(rng, person, company) : null,
      source: pickFrom(rng, picklists.source),
      industry,
      region,
      status,
      stage,
      level,
      tags,
      hot: rng() < 0.08,
      remark: rng() < 0.25 ? pickOne(rng, REMARKS) : null,
      contacts,
    };
  };
}

export interface DemoCustomerOptions {
  /** Sequence number of the first customer (default 0); phones derive from it, so ranges that do not
   *  overlap give customers whose numbers never collide. */
  start?: number;
}

/**
 * `count` demo customers, deterministic for a given random source and start.
 *
 * @example
 * const customers = generateDemoCustomers(createSeededRandom(7), 1000, DEFAULT_PICKLISTS);
 */
export function generateDemoCustomers(
  rng: RandomSource,
  count: number,
  picklists: DemoPicklists,
  options: DemoCustomerOptions = {},
): DemoCustomer[] {
  const start = options.start ?? 0;
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`bad customer count: ${count}`);
  if (start + count > DEMO_CUSTOMER_CAPACITY) throw new RangeError(`demo customers run out after ${DEMO_CUSTOMER_CAPACITY}`);
  const make = demoCustomerFactory(picklists);
  const out = new Array<DemoCustomer>(count);
  for (let i = 0; i < count; i++) out[i] = make(rng, start + i);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The demo team

export type DemoRole = 'manager' | 'agent';

export interface DemoDepartment {
  key: string;
  name: string;
  /** The parent's key; null for the root. */
  parent: string | null;
}

export interface DemoUser {
  username: string;
  displayName: string;
  role: DemoRole;
  /** The department's key. */
  department: string;
}

/** A small sales team: a root department with two sales teams and customer service, a manager and eight agents. */
export const DEMO_ORG: { readonly departments: readonly DemoDepartment[]; readonly users: readonly DemoUser[] } = {
  departments: [
    { key: 'hq', name: '总部', parent: null },
    { key: 'sales1', name: '销售一部', parent: 'hq' },
    { key: 'sales2', name: '销售二部', parent: 'hq' },
    { key: 'service', name: '客服部', parent: 'hq' },
  ],
  users: [
    { username: 'manager', displayName: '王建国', role: 'manager', department: 'hq' },
    { username: 'agent01', displayName: '李娜', role: 'agent', department: 'sales1' },
    { username: 'agent02', displayName: '张伟', role: 'agent', department: 'sales1' },
    { username: 'agent03', displayName: '刘洋', role: 'agent', department: 'sales1' },
    { username: 'agent04', displayName: '陈静', role: 'agent', department: 'sales2' },
    { username: 'agent05', displayName: '杨帆', role: 'agent', department: 'sales2' },
    { username: 'agent06', displayName: '赵敏', role: 'agent', department: 'sales2' },
    { username: 'agent07', displayName: '黄磊', role: 'agent', department: 'service' },
    { username: 'agent08', displayName: '周婷', role: 'agent', department: 'service' },
  ],
};
