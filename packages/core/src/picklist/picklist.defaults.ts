import type { PicklistName } from './picklist.schema.js';

/** The values a new company starts with, in the words the manuals' users know. */
export const DEFAULT_PICKLISTS: Record<PicklistName, readonly string[]> = {
  source: ['电话营销', '网络推广', '客户介绍', '展会', '广告', '独立开发', '购买名单', '其他'],
  industry: ['金融', '教育培训', '房地产', '制造业', '互联网', '医疗健康', '零售', '物流', '政府机构', '其他'],
  status: ['未联系', '已联系', '有意向', '无意向', '已成交', '已流失'],
  stage: ['初步接触', '需求确认', '方案报价', '谈判审核', '赢单', '输单'],
  level: ['A 重点客户', 'B 普通客户', 'C 一般客户', 'D 潜在客户'],
  region: ['北京', '上海', '广东', '浙江', '江苏', '四川', '湖北', '山东', '福建', '其他'],
  tags: ['老客户', '高意向', '价格敏感', '决策人', '需回访', '竞品用户'],
  releaseReason: ['无法联系', '无意向', '号码错误', '已有供应商', '预算不足', '其他'],
};
