#!/usr/bin/env node
import { runCli } from './cli.js';
import { createConfigStore } from './config/config.store.js';
import { readEnv } from './env.js';

// `crm customers list --all | head` closes the pipe early: that is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: readEnv(),
  config: createConfigStore(),
  loadApi: () => import('@telecrm/api'),
  untilStopped: () =>
    new Promise((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
    }),
});
