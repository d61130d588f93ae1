import { describe, expect, it } from 'vitest';
import { CLI_MESSAGES, msg } from './cli.messages.js';
import { resolveLang, scanLangFlag } from './cli.lang.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('CLI messages', () => {
  it('has every message in both languages, with the same placeholders', () => {
    for (const [key, template] of Object.entries(CLI_MESSAGES)) {
      expect(template['zh-CN'], key).not.toBe('');
      expect(template.en, key).not.toBe('');
      expect(placeholders(template['zh-CN']), key).toEqual(placeholders(template.en));
    }
  });

  it('fills placeholders', () => {
    expect(msg('en', 'logout.done', { server: 'http://x' })).toBe('Logged out of http://x.');
    expect(msg('zh-CN', 'logout.done', { server: 'http://x' })).toBe('已退出 http://x。');
  });
});

describe('language', () => {
  it('takes --lang first, then LC_ALL/LANG', () => {
    expect(resolveLang('en', 'zh_CN.UTF-8')).toBe('en');
    expect(resolveLang(undefined, 'zh_CN.UTF-8')).toBe('zh-CN');
    expect(resolveLang(undefined, 'zh_TW')).toBe('zh-CN');
    expect(resolveLang(undefined, 'de_DE.UTF-8')).toBe('en');
    expect(resolveLang(undefined, undefined)).toBe('en');
    expect(resolveLang('fr', 'zh_CN.UTF-8')).toBe('zh-CN');
  });

  it('finds --lang in raw argv before parsing', () => {
    expect(scanLangFlag(['customers', 'list', '--lang', 'zh-CN'])).toBe('zh-CN');
    expect(scanLangFlag(['--lang=en', 'whoami'])).toBe('en');
    expect(scanLangFlag(['whoami'])).toBeUndefined();
    expect(scanLangFlag(['customers', 'add', '--', '--lang', 'en'])).toBeUndefined();
  });
});
