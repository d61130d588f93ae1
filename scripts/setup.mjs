#!/usr/bin/env node
// Makes a checkout runnable: installs dependencies when they are missing or the lock file changed,
// then builds every package (incrementally). `npm start`, `npm test`, `npm run demo` and
// `npm run bench` run it first, so a fresh clone needs no other step. Uses nothing but Node itself.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const quiet = process.argv.includes('--quiet');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
  if (result.status !== 0) {
    console.error(`setup: ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

const lock = readFileSync(join(root, 'package-lock.json'));
const lockHash = createHash('sha256').update(lock).digest('hex');
const stamp = join(root, 'node_modules', '.telecrm-setup');
const installed = existsSync(stamp) && readFileSync(stamp, 'utf8') === lockHash;
if (!installed) {
  console.log('setup: installing dependencies (the SQLite driver compiles from source: about two minutes the first time)');
  run(npm, ['ci', '--no-audit', '--no-fund']);
  writeFileSync(stamp, lockHash);
}
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'packages/core', 'packages/api', 'packages/cli']);
