#!/usr/bin/env node
import { runCli } from './run-cli.js';

// kafkajs 2.2.4 sets timers with negative delays (tulios/kafkajs#1751), which Node 24 warns of on every
// connection; the warning means nothing to a user, so it alone is dropped and the rest print as usual.
const printWarning = process.listeners('warning')[0];
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') printWarning?.(warning);
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
