import { resolve } from 'node:path';
import type { SchemaRegistryClient } from '@schemawire/core-client';
import { ConfluentRestClient, EmbeddedRegistry } from '@schemawire/registry-adapter';
import type { CliIo } from './cli-io.js';
import { UsageError } from './command.js';
import { cliFormats } from './formats.js';

/** Where the embedded registry keeps its data when neither --registry nor --registry-dir is given. */
export const DEFAULT_REGISTRY_DIR = '.schemawire/registry';

/** The registry options every command accepts. */
export interface RegistryOptions {
  readonly registry?: string | undefined;
  readonly 'registry-dir'?: string | undefined;
}

/**
 * The registry the options name: a Confluent-API registry at --registry (or SCHEMA_REGISTRY_URL), else
 * the embedded one in --registry-dir, so every command works offline.
 */
export function openRegistry(options: RegistryOptions, io: CliIo): SchemaRegistryClient {
  const url = options.registry ?? io.env['SCHEMA_REGISTRY_URL'];
  if (url !== undefined && url !== '') {
    // The URL may hold credentials, so the message does not repeat it.
    if (!URL.canParse(url)) {
      throw new UsageError('cannot open registry: --registry (or SCHEMA_REGISTRY_URL) is not a URL');
    }
    return new ConfluentRestClient({ baseUrl: url });
  }
  return new EmbeddedRegistry({
    formats: [...cliFormats],
    dir: resolve(io.cwd, options['registry-dir'] ?? DEFAULT_REGISTRY_DIR),
  });
}

/** The help lines of the commands that talk to Kafka, on the registry they need. */
export const namedRegistryHelp = `As it talks to Kafka, it needs the registry named (--registry, SCHEMA_REGISTRY_URL or
--registry-dir): the schema ids of the default embedded registry would mean other schemas to the
registry of the topics.`;

/**
 * The registry of a command that talks to Kafka, which the options must name: messages written with
 * the default embedded registry's ids would read as other schemas in the real registry, and messages
 * read would decode with the wrong schemas. A usage error starting with `action` when none is named.
 */
export function openNamedRegistry(options: RegistryOptions, io: CliIo, action: string): SchemaRegistryClient {
  const url = options.registry ?? io.env['SCHEMA_REGISTRY_URL'];
  if ((url === undefined || url === '') && options['registry-dir'] === undefined) {
    throw new UsageError(
      `${action}: name the schema registry: --registry, SCHEMA_REGISTRY_URL or --registry-dir`,
    );
  }
  return openRegistry(options, io);
}
