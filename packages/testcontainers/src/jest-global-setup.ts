import type { SchemaRegistryClient } from '@schemawire/core-client';
import { ApicurioRestClient, ConfluentRestClient } from '@schemawire/registry-adapter';
import type { Stack, StackOptions } from './stack.js';
import { startStack } from './stack.js';

/** Environment variables through which a Jest global setup hands the stack to the test files. */
export const STACK_ENV = {
  brokers: 'SCHEMAWIRE_TEST_BROKERS',
  confluentApiUrl: 'SCHEMAWIRE_TEST_REGISTRY_URL',
  apicurioApiUrl: 'SCHEMAWIRE_TEST_APICURIO_URL',
} as const;

let running: Stack | undefined;

/**
 * A Jest `globalSetup` function: starts one stack for the whole run and hands it to the test files
 * through {@link STACK_ENV} (Jest workers inherit the environment). Pair with {@link jestGlobalTeardown}.
 */
export function jestGlobalSetup(options: StackOptions = {}): () => Promise<void> {
  return async () => {
    running = await startStack(options);
    process.env[STACK_ENV.brokers] = running.brokers.join(',');
    process.env[STACK_ENV.confluentApiUrl] = running.confluentApiUrl;
    process.env[STACK_ENV.apicurioApiUrl] = running.apicurioApiUrl;
  };
}

/** A Jest `globalTeardown` function: stops the stack {@link jestGlobalSetup} started. */
export async function jestGlobalTeardown(): Promise<void> {
  await running?.stop();
  running = undefined;
}

/** What a test file needs of the stack a global setup started. */
export interface StackConnection {
  readonly brokers: string[];
  readonly confluentApiUrl: string;
  readonly apicurioApiUrl: string;
  /** A client of the registry's Confluent-compatible API. */
  readonly registry: SchemaRegistryClient;
  /** A client of Apicurio's native API. */
  readonly apicurioRegistry: SchemaRegistryClient;
}

/**
 * The stack a global setup started, read from the environment. Fails loudly when it is not there:
 * a suite that needs a broker must not pass without one.
 */
export function stackFromEnv(env: NodeJS.ProcessEnv = process.env): StackConnection {
  const read = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') {
      throw new Error(
        `cannot find the test stack: ${name} is not set; run the suite with the jestGlobalSetup of @schemawire/testcontainers`,
      );
    }
    return value;
  };
  const confluentApiUrl = read(STACK_ENV.confluentApiUrl);
  const apicurioApiUrl = read(STACK_ENV.apicurioApiUrl);
  return {
    brokers: read(STACK_ENV.brokers).split(','),
    confluentApiUrl,
    apicurioApiUrl,
    registry: new ConfluentRestClient({ baseUrl: confluentApiUrl }),
    apicurioRegistry: new ApicurioRestClient({ baseUrl: apicurioApiUrl }),
  };
}
