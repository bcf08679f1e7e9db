export type { CliIo } from './cli-io.js';
export type { RegistryOptions } from './registry-option.js';
export { withRegistryProperties } from './registry-option.js';
export { runCli } from './run-cli.js';
