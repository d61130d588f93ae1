#!/usr/bin/env node
// Keeps the package boundaries of STYLE.md habit 1:
// - core imports only zod, luxon, libphonenumber-js (and their subpaths) and its own relative files;
// - core source reads no clock and no randomness of its own (Date.now(), new Date(), Math.random());
// - api and cli import core through `@telecrm/core` only, never a deep path or core's files directly.
// Usage: node scripts/lint-boundaries.mjs [core|api|cli]   (no argument: all three)
// Test files (*.test.ts, *.test.tsx) are outside the core rules: tests may use vitest, fast-check and
// node:*; the api/cli deep-import rule applies to them too.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PACKAGES = ['core', 'api', 'cli'];
export const CORE_ALLOWED = ['zod', 'luxon', 'libphonenumber-js'];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Blanks out comments (keeping newlines so line numbers hold) and leaves string and template literals in
 * place, so that `// import x from 'pg'` is not an import and `'http://x'` is not a comment.
 */
export function stripComments(text) {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && text[i] !== '\n') { out += ' '; i++; }
    } else if (c === '/' && next === '*') {
      out += '  ';
      i += 2;
      while (i < n && !(text[i] === '*' && text[i + 1] === '/')) { out += text[i] === '\n' ? '\n' : ' '; i++; }
      if (i < n) { out += '  '; i += 2; }
    } else if (c === '"' || c === "'" || c === '`') {
      out += c;
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < n) { out += text[i] + text[i + 1]; i += 2; continue; }
        if (c !== '`' && text[i] === '\n') break; // an unterminated string: stop at the line end
        out += text[i];
        i++;
      }
      if (i < n) { out += text[i]; i++; }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

// `import x from 'm'`, `import type {...} from 'm'` (over several lines too), `export * from 'm'`,
// `import 'm'`, `import('m')`, `require('m')`.
const IMPORT_PATTERNS = [
  /\b(?:import|export)\b[^;'"`]*?\bfrom\s*(['"])([^'"\n]+)\1/g,
  /\bimport\s*(['"])([^'"\n]+)\1/g,
  /\bimport\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g,
  /\brequire\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g,
];

const lineOf = (text, index) => text.slice(0, index).split('\n').length;

/** Every module specifier a source imports, with its line. */
export function importsOf(text) {
  const code = stripComments(text);
  const found = new Map();
  for (const pattern of IMPORT_PATTERNS) {
    for (const m of code.matchAll(pattern)) {
      const index = m.index + m[0].lastIndexOf(m[2]);
      found.set(index, { specifier: m[2], line: lineOf(code, index) });
    }
  }
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

const isTest = (file) => /\.test\.tsx?$/.test(file);
const isAllowedCoreImport = (spec) => CORE_ALLOWED.some((name) => spec === name || spec.startsWith(`${name}/`));

const CLOCK_AND_RANDOM = [
  { pattern: /\bDate\s*\.\s*now\s*\(/g, what: 'Date.now() (the clock is passed in)' },
  { pattern: /\bnew\s+Date\s*\(\s*\)/g, what: 'new Date() with no arguments (the clock is passed in)' },
  { pattern: /\bnew\s+Date\b(?!\s*\()/g, what: 'new Date without arguments (the clock is passed in)' },
  { pattern: /\bMath\s*\.\s*random\s*\(/g, what: 'Math.random() (randomness is passed in)' },
  { pattern: /\bcrypto\s*\.\s*(?:randomUUID|getRandomValues)\s*\(/g, what: 'crypto randomness (randomness is passed in)' },
];

/**
 * The boundary violations of one source file.
 * @param {string} pkg core, api or cli
 * @param {string} file the file's path (absolute, or relative to the repository root)
 * @param {string} text the file's content
 * @param {string} [root] the repository root, to tell where relative imports land
 * @returns {{ file: string, line: number, message: string }[]}
 */
export function checkSource(pkg, file, text, root = ROOT) {
  const problems = [];
  const abs = resolve(root, file);
  const shown = relative(root, abs).split(sep).join('/');
  const coreDir = resolve(root, 'packages', 'core');
  const ownSrc = resolve(root, 'packages', pkg, 'src');
  const inside = (dir, p) => p === dir || p.startsWith(dir + sep);
  const add = (line, message) => problems.push({ file: shown, line, message });

  for (const { specifier, line } of importsOf(text)) {
    const relativeImport = specifier.startsWith('.');
    const target = relativeImport ? resolve(dirname(abs), specifier) : undefined;
    if (pkg === 'core') {
      if (isTest(file)) continue;
      if (relativeImport) {
        if (!inside(ownSrc, target)) add(line, `core imports '${specifier}', which is outside packages/core/src`);
      } else if (!isAllowedCoreImport(specifier)) {
        add(line, `core imports '${specifier}': core may import only ${CORE_ALLOWED.join(', ')} and its own files`);
      }
    } else {
      if (specifier.startsWith('@telecrm/core/')) {
        add(line, `${pkg} imports '${specifier}': import from '@telecrm/core' (its index) only`);
      } else if (relativeImport && inside(coreDir, target)) {
        add(line, `${pkg} imports core's file '${specifier}': import from '@telecrm/core' only`);
      }
    }
  }

  if (pkg === 'core' && !isTest(file)) {
    const code = stripCommentsAndStrings(text);
    for (const { pattern, what } of CLOCK_AND_RANDOM) {
      for (const m of code.matchAll(pattern)) add(lineOf(code, m.index), `core uses ${what}`);
    }
  }
  return problems.sort((a, b) => a.line - b.line);
}

/** Like stripComments, but also blanks the insides of string literals, for code patterns. */
function stripCommentsAndStrings(text) {
  const code = stripComments(text);
  return code.replace(/(['"])(?:\\.|(?!\1)[^\\\n])*\1/g, (s) => s[0] + ' '.repeat(s.length - 2) + s[0]);
}

function sourceFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const files = [];
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name)) files.push(path);
  }
  return files.sort();
}

/** The violations of one package's `src/**`. */
export function checkPackage(pkg, root = ROOT) {
  if (!PACKAGES.includes(pkg)) throw new Error(`unknown package '${pkg}': expected one of ${PACKAGES.join(', ')}`);
  return sourceFiles(join(root, 'packages', pkg, 'src')).flatMap((file) => checkSource(pkg, file, readFileSync(file, 'utf8'), root));
}

function main(args) {
  const wanted = args.length ? args : PACKAGES;
  const unknown = wanted.filter((p) => !PACKAGES.includes(p));
  if (unknown.length) {
    console.error(`lint-boundaries: unknown package ${unknown.join(', ')}; expected ${PACKAGES.join(', ')}`);
    return 2;
  }
  const problems = wanted.flatMap((pkg) => checkPackage(pkg));
  for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}`);
  if (problems.length) {
    console.error(`lint-boundaries: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    return 1;
  }
  console.log(`lint-boundaries: ${wanted.join(', ')} ok`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
