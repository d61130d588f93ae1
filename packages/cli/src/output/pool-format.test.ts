import { describe, expect, it } from 'vitest';
import { DEFAULT_POOL_RULES } from '@telecrm/core';
import { aPoolEvent } from '../test-support/fixtures.js';
import { journeyRow, moveRows, moveSummary, overrideSummary, poolRulesFields, ruleText, usageCell } from './pool-format.js';

describe('pool formatting for people', () => {
  it('draws the usage of a limit as a bar, and nothing without a limit', () => {
    expect(usageCell(5, 10)).toEqual({ text: '█████░░░░░ 50%', colour: 'green' });
    expect(usageCell(9, 10)).toEqual({ text: '█████████░ 90%', colour: 'yellow' });
    expect(usageCell(12, 10)).toEqual({ text: '██████████ 120%', colour: 'red' });
    expect(usageCell(0, 0).colour).toBe('red');
    expect(usageCell(3, null)).toEqual({ text: '' });
  });

  it('says what became of each customer, and counts them', () => {
    const report = {
      moved: 1,
      results: [
        { customerId: 'c-1', name: '张三', ok: true },
        { customerId: 'c-2', name: '李四', ok: false, error: { code: 'POOL.COOLDOWN', message: '冷却中' } },
        { customerId: 'c-3', ok: false, error: { code: 'CUSTOMER.NOT_FOUND', message: '客户不存在' } },
      ],
    };
    expect(moveRows(report, 'release', 'zh-CN').map((r) => [r.name!.text, r.customer!.text, r.result!.text])).toEqual([
      ['张三', 'c-1', '已放弃'],
      ['李四', 'c-2', '冷却中'],
      ['', 'c-3', '客户不存在'],
    ]);
    expect(moveSummary(report, 'transfer', 'en')).toBe('Transferred 1 of 3 customers.');
  });

  it('writes the rules in words: none for null, every field of the company, only the overrides of a department', () => {
    expect(poolRulesFields(DEFAULT_POOL_RULES, 'en').map((f) => `${f.label}=${f.value.text}`)).toEqual([
      'Holding limit=none',
      'Daily claim limit=none',
      'Protection (days)=none',
      'Return without follow-up (days)=none',
      'Return without a deal (days)=none',
      'By level=none',
      'Won never returned=yes',
      'Locked never returned=yes',
      'Reminder (days ahead)=3',
      'Claim cooldown (days)=none',
      'Roles that may claim=everyone with the claim permission',
    ]);
    expect(overrideSummary({ holdingLimit: 5, exemptWon: false }, 'zh-CN')).toBe('客户数上限 5；成交不回收 否');
    expect(ruleText('claimRoleIds', ['r-1'], 'en', { roles: new Map([['r-1', '销售员']]) })).toBe('销售员');
  });

  it('shows a journey step without pools or owners as empty, not as arrows', () => {
    const row = journeyRow(aPoolEvent({ action: 'delete', fromPool: null, toPool: null, fromOwnerId: null, toOwnerId: null, actorId: null }), 'en');
    expect(row.pool!.text).toBe('');
    expect(row.owner!.text).toBe('');
    expect(row.action!.text).toBe('deleted');
    expect(row.actor!.text).toBe('system');
  });
});
