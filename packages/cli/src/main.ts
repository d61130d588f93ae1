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
  untilStopped: (abort) =>
    new Promise((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        forget();
        resolve(signal);
      };
      const forget = () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      abort?.addEventListener('abort', forget, { once: true });
    }),
});
