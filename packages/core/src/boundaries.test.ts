import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkPackage, checkSource, importsOf } from '../../../scripts/lint-boundaries.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SCRIPT = resolve(ROOT, 'scripts/lint-boundaries.mjs');

describe('package boundaries (scripts/lint-boundaries.mjs)', () => {
  it('core imports only zod, luxon, libphonenumber-js and its own files, and reads no clock or randomness', () => {
    expect(checkPackage('core')).toEqual([]);
  });

  it('the script exits 0 for core from the command line', () => {
    const run = spawnSync(process.execPath, [SCRIPT, 'core'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('the script refuses an unknown package name', () => {
    const run = spawnSync(process.execPath, [SCRIPT, 'web'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(2);
  });
});

describe('checkSource: core', () => {
  const core = (text: string, file = 'packages/core/src/x/x.rules.ts') => checkSource('core', file, text, ROOT);

  it('allows the three libraries, their subpaths and relative files inside core', () => {
    const text = [
      "import { z } from 'zod';",
      "import { DateTime } from 'luxon';",
      "import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';",
      "import type { Foo } from '../y/y.schema.js';",
      "export * from './z.js';",
    ].join('\n');
    expect(core(text)).toEqual([]);
  });

  it.each([
    ["import { readFileSync } from 'node:fs';", 'node:fs'],
    ["import fs from 'fs';", 'fs'],
    ["import { randomUUID } from 'node:crypto';", 'node:crypto'],
    ["import { Hono } from 'hono';", 'hono'],
    ["import type { Kysely } from 'kysely';", 'kysely'],
    ["import Database from 'better-sqlite3';", 'better-sqlite3'],
    ["import pg from 'pg';", 'pg'],
    ["import { render } from 'ink';", 'ink'],
    ["import { WebSocket } from 'ws';", 'ws'],
    ["import 'reflect-metadata';", 'reflect-metadata'],
    ["const m = await import('node:os');", 'node:os'],
    ["const m = require('pg');", 'pg'],
    ["export { x } from 'zodiac';", 'zodiac'],
    ["import { x } from '@telecrm/api';", '@telecrm/api'],
  ])('refuses %s', (text, specifier) => {
    const problems = core(`// header\n${text}`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'packages/core/src/x/x.rules.ts', line: 2 });
    expect(problems[0]!.message).toContain(`'${specifier}'`);
  });

  it('refuses a relative import that leaves core', () => {
    expect(core("import { db } from '../../../api/src/db.js';")).toMatchObject([{ line: 1 }]);
  });

  it('reads imports that span several lines and reports the line of the module name', () => {
    const problems = core("import {\n  Kysely,\n  sql,\n} from 'kysely';\n");
    expect(problems).toMatchObject([{ line: 4 }]);
  });

  it.each([
    ['const t = Date.now();', 'Date.now()'],
    ['const t = Date . now ( );', 'Date.now()'],
    ['const d = new Date();', 'new Date()'],
    ['const d = new Date( );', 'new Date()'],
    ['const d = new Date;', 'new Date'],
    ['const r = Math.random();', 'Math.random()'],
    ['const id = crypto.randomUUID();', 'crypto'],
  ])('refuses %s', (text, what) => {
    const problems = core(`const a = 1;\n\n${text}`);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(3);
    expect(problems[0]!.message).toContain(what);
  });

  it('allows dates built from a given value, and mentions in comments and strings', () => {
    const text = [
      'const d = new Date(input.nextFollowUpAt).toISOString();',
      'const e = new Date(0);',
      '// never call Date.now() or Math.random() here; import x from "pg"',
      '/* new Date() */',
      "const s = 'Date.now() and Math.random()';",
      "const url = 'http://example.com'; const t = Date.UTC(2026, 0, 1);",
    ].join('\n');
    expect(core(text)).toEqual([]);
  });

  it('leaves test files to their own devices', () => {
    expect(core("import { it } from 'vitest';\nimport fs from 'node:fs';\nDate.now();", 'packages/core/src/x/x.test.ts')).toEqual([]);
  });
});

describe('checkSource: api and cli', () => {
  it.each(['api', 'cli'])('%s may import @telecrm/core and anything else', (pkg) => {
    const text = "import { normalisePhone } from '@telecrm/core';\nimport { Hono } from 'hono';\nimport x from './x.js';\nconst t = Date.now();";
    expect(checkSource(pkg, `packages/${pkg}/src/main.ts`, text, ROOT)).toEqual([]);
  });

  it.each(['api', 'cli'])('%s may not import deep core paths', (pkg) => {
    const text = [
      "import { a } from '@telecrm/core';",
      "import { normalisePhone } from '@telecrm/core/phone/phone.rules.js';",
      "import type { X } from '@telecrm/core/dist/index.js';",
      "import { y } from '../../../core/src/index.js';",
      "import { z } from '../../../core/package.json';",
      "import { ok } from '../../../core-utils/x.js';",
    ].join('\n');
    const problems = checkSource(pkg, `packages/${pkg}/src/routes/x.ts`, text, ROOT);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5]);
    expect(problems[0]).toMatchObject({ file: `packages/${pkg}/src/routes/x.ts` });
  });

  it('checks api and cli test files too', () => {
    expect(checkSource('api', 'packages/api/src/x.test.ts', "import { a } from '@telecrm/core/x.js';", ROOT)).toHaveLength(1);
  });
});

describe('importsOf', () => {
  it('finds every import form once, ignoring comments', () => {
    const text = [
      "import a from 'a';",
      "import b, { c } from 'b';",
      "import * as d from 'd';",
      "import e, * as f from 'e';",
      "import type { G } from 'g';",
      "export * from 'h';",
      "export { i } from 'i';",
      "import 'j';",
      "const k = await import('k');",
      "// import l from 'l';",
      "/* import m from 'm'; */",
    ].join('\n');
    expect(importsOf(text).map((i) => i.specifier)).toEqual(['a', 'b', 'd', 'e', 'g', 'h', 'i', 'j', 'k']);
  });
});
