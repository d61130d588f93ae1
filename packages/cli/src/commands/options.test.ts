import { describe, expect, it } from 'vitest';
import { CliError } from '../output/errors.js';
import { exitCodeFor, ExitCode } from '../output/exit-codes.js';
import { buildCustomerCreate, buildCustomerUpdate } from './customers.options.js';
import { listQuery } from './customers.command.js';
import { buildImportOptions } from './import.options.js';
import { parseCustomOptions, parseFilterOption, parseInteger, parseSortOption } from './options.js';

/** The CliError a function throws, to look at its code and lines. */
function failure(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
}
const text = (error: CliError) => [error.message, ...error.details].join('\n');

describe('--sort', () => {
  it('reads field:asc, field:desc and a bare field (descending)', () => {
    expect(parseSortOption('name:asc', 'en')).toEqual({ field: 'name', direction: 'asc' });
    expect(parseSortOption('updatedAt:DESC', 'en')).toEqual({ field: 'updatedAt', direction: 'desc' });
    expect(parseSortOption('createdAt', 'en')).toEqual({ field: 'createdAt', direction: 'desc' });
    expect(parseSortOption(undefined, 'en')).toBeUndefined();
  });

  it('rejects anything else as a usage error', () => {
    const error = failure(() => parseSortOption('name:up', 'en'));
    expect(exitCodeFor(error.code)).toBe(ExitCode.USAGE);
    expect(error.message).toContain('--sort');
  });
});

describe('--filter', () => {
  it('accepts a filter tree', () => {
    const tree = { and: [{ field: 'source', op: 'eq', value: '展会' }, { field: 'tags', op: 'hasAny', value: ['VIP'] }] };
    expect(parseFilterOption(JSON.stringify(tree), 'en')).toEqual(tree);
  });

  it('says when the JSON does not parse', () => {
    const error = failure(() => parseFilterOption('{field:', 'en'));
    expect(error.message).toMatch(/^--filter is not valid JSON/);
    expect(exitCodeFor(error.code)).toBe(ExitCode.USAGE);
  });

  it('names the part of the tree that is wrong, in the chosen language', () => {
    const bad = JSON.stringify({ and: [{ field: 'source', op: 'like', value: 'x' }] });
    expect(text(failure(() => parseFilterOption(bad, 'en')))).toContain('and.0.op');
    expect(text(failure(() => parseFilterOption(bad, 'zh-CN')))).toContain('格式不对');
  });
});

describe('numbers and custom values', () => {
  it('takes whole numbers at or above the minimum', () => {
    expect(parseInteger('--limit', '50', 'en', 1)).toBe(50);
    expect(parseInteger('--limit', undefined, 'en', 1)).toBeUndefined();
    for (const bad of ['0', '-1', '1.5', 'ten', '']) {
      expect(failure(() => parseInteger('--limit', bad, 'en', 1)).message).toContain('--limit');
    }
    expect(parseInteger('--port', '65535', 'en', 0, 65535)).toBe(65535);
    expect(failure(() => parseInteger('--port', '65536', 'en', 0, 65535)).message).toBe('--port must be a whole number from 0 to 65535: 65536');
  });

  it('reads key=text as text and key:=JSON as JSON', () => {
    expect(parseCustomOptions(['budget:=5000', 'note=a=b', 'areas:=["north","south"]', 'code=007'], 'en')).toEqual({
      budget: 5000,
      note: 'a=b',
      areas: ['north', 'south'],
      code: '007',
    });
    expect(parseCustomOptions(undefined, 'en')).toBeUndefined();
    expect(failure(() => parseCustomOptions(['budget'], 'en')).message).toContain('--custom');
  });
});

describe('crm customers list options', () => {
  it('become the query string values', () => {
    expect(
      listQuery({ q: '138', sort: 'name:asc', limit: '20', filter: '{"field":"hot","op":"eq","value":true}', deleted: true }, 'en'),
    ).toEqual({
      q: '138',
      view: undefined,
      filter: '{"field":"hot","op":"eq","value":true}',
      sort: 'name:asc',
      limit: 20,
      cursor: undefined,
      deleted: true,
    });
  });
});

describe('customer bodies', () => {
  it('builds a create body from options', () => {
    expect(
      buildCustomerCreate(
        { name: '张三', phone: ['13800138000', '010-6552 9988'], tag: ['VIP'], company: '星辰', custom: ['budget:=5000'] },
        'en',
      ),
    ).toEqual({
      name: '张三',
      company: '星辰',
      phones: [{ number: '13800138000' }, { number: '010-6552 9988' }],
      tags: ['VIP'],
      custom: { budget: 5000 },
    });
  });

  it('lets options override --json-body and merges custom values', () => {
    const body = buildCustomerCreate(
      { jsonBody: '{"name":"A","remark":"from json","custom":{"a":"1"}}', name: 'B', custom: ['b=2'] },
      'en',
    );
    expect(body).toEqual({ name: 'B', remark: 'from json', custom: { a: '1', b: '2' } });
  });

  it('requires a name, in the chosen language', () => {
    expect(text(failure(() => buildCustomerCreate({ company: 'x' }, 'en')))).toContain('name is required');
    expect(text(failure(() => buildCustomerCreate({ company: 'x' }, 'zh-CN')))).toContain('name 必填');
  });

  it('names unknown and malformed fields', () => {
    const error = failure(() => buildCustomerCreate({ jsonBody: '{"name":"A","colour":"red","email":"nope"}' }, 'en'));
    expect(exitCodeFor(error.code)).toBe(ExitCode.USAGE);
    expect(text(error)).toContain('Unknown field colour');
    expect(text(error)).toContain('email is malformed');
    expect(failure(() => buildCustomerCreate({ jsonBody: '[1]' }, 'en')).message).toContain('--json-body');
  });

  it('clears fields on edit: text to null, lists to empty, custom keys to null', () => {
    expect(buildCustomerUpdate({ clear: ['company', 'tags', 'custom.budget'], status: '成交' }, 'en')).toEqual({
      status: '成交',
      company: null,
      tags: [],
      custom: { budget: null },
    });
    expect(failure(() => buildCustomerUpdate({ clear: ['name'] }, 'en')).message).toContain('--clear name');
  });

  it('refuses an edit that changes nothing', () => {
    expect(failure(() => buildCustomerUpdate({}, 'en')).message).toMatch(/^Nothing to change/);
  });
});

describe('crm import options', () => {
  const base = { header: true, wait: true };

  it('sends only the options given, as the core schema reads them', () => {
    expect(buildImportOptions('a.csv', base, 'en')).toEqual({ fileName: 'a.csv' });
    expect(
      buildImportOptions('a.csv', { ...base, header: false, pool: 'lead', encoding: ' UTF-8 ', headerRow: '3', map: ['1=phones'], dryRun: true }, 'en'),
    ).toEqual({ fileName: 'a.csv', pool: 'lead', encoding: 'utf-8', header: false, headerRow: 3, map: ['1=phones'], dryRun: true });
  });

  it('names the option in what it refuses, one problem a line', () => {
    expect(failure(() => buildImportOptions('a.csv', { ...base, pool: 'x' }, 'en')).message).toBe('--pool is malformed: lead | pending | public | private');
    const two = failure(() => buildImportOptions('a.csv', { ...base, pool: 'x', duplicates: 'y' }, 'en'));
    expect(exitCodeFor(two.code)).toBe(ExitCode.USAGE);
    expect(text(two)).toBe(
      'The input is not valid:\n--pool is malformed: lead | pending | public | private\n--duplicates is malformed: skip | update | fill',
    );
    expect(failure(() => buildImportOptions('', base, 'en')).message).toContain('FILE');
    expect(failure(() => buildImportOptions('a.csv', { ...base, map: ['no-equals'] }, 'en')).message).toContain('COLUMN=FIELD');
  });
});
