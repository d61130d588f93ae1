import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

// Imports that run when the module loads: `import x from`, `import { a, type B } from`, `import 'm'`,
// `export ... from`; not `import type` / `export type` (erased) and not `import('m')` (lazy).
const STATIC = [/^\s*import\s+(?!type\s)[^'"]*?from\s*'([^']+)'/gm, /^\s*import\s*'([^']+)'/gm, /^\s*export\s+(?!type\s)[^'"]*?from\s*'([^']+)'/gm];

/** Every file and package that loading `entry` loads, following static imports only. */
function staticClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.tsx')) packages.add('react/jsx-runtime');
    for (const pattern of STATIC) {
      for (const [, specifier] of text.matchAll(pattern)) {
        if (!specifier!.startsWith('.')) {
          packages.add(specifier!);
          continue;
        }
        const base = resolve(dirname(file), specifier!).replace(/\.js$/, '');
        const target = [`${base}.ts`, `${base}.tsx`].find(existsSync);
        if (!target) throw new Error(`${file}: cannot resolve ${specifier}`);
        visit(target);
      }
    }
  };
  visit(entry);
  return { files, packages };
}

describe('what `crm` loads up front', () => {
  const { files, packages } = staticClosure(join(SRC, 'main.ts'));

  it('finds the command files (the scan works)', () => {
    expect([...files].some((f) => f.endsWith('customers.command.ts'))).toBe(true);
    expect(packages).toContain('commander');
    expect(packages).toContain('@telecrm/core');
  });

  it('loads no Ink or React: the non-TTY path stays plain and fast', () => {
    expect([...packages].filter((p) => p === 'ink' || p.startsWith('react'))).toEqual([]);
    expect([...files].filter((f) => f.endsWith('.tsx'))).toEqual([]);
  });

  it('loads no API server or database driver: only serve, db and demo need them', () => {
    expect([...packages].filter((p) => p.startsWith('@telecrm/api') || p === 'better-sqlite3' || p === 'pg')).toEqual([]);
  });
});
