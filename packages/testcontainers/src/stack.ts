import type { SchemaRegistryClient } from '@schemawire/core-client';
import type { RegisteredSchemaFile } from '@schemawire/registry-adapter';
import { ApicurioRestClient, ConfluentRestClient, registerSchemaFolder } from '@schemawire/registry-adapter';
import { resolveImages } from './images.js';
import type { StartedKafka } from './kafka-container.js';
import { startKafka } from './kafka-container.js';
import type { KafkaSecurity } from './kafka-security.js';
import type { RegistryTlsOptions, StartedSchemaRegistry } from './registry-container.js';
import { startSchemaRegistry } from './registry-container.js';

/** Options of {@link startStack}. */
export interface StackOptions {
  /** The Kafka image; default env SCHEMAWIRE_KAFKA_IMAGE, else apache/kafka. */
  readonly kafkaImage?: string;
  /** The Apicurio Registry image; default env SCHEMAWIRE_REGISTRY_IMAGE, else apicurio/apicurio-registry. */
  readonly registryImage?: string;
  /** Which registry API the returned client speaks: Confluent-compatible (default) or Apicurio's own. */
  readonly registryApi?: 'confluent' | 'apicurio';
  /** Register every schema file of this folder (`.avsc`, `.proto`, `.json`) once the registry is up. */
  readonly schemasDir?: string;
  /**
   * How many Kafka brokers; default 1. With 3, topics default to replication factor 3 and
   * `min.insync.replicas` 2, and `kafka.nodes` can kill and restart each broker.
   */
  readonly brokers?: number;
  /** How long each container may take to start; default 120 s. */
  readonly startupTimeoutMs?: number;
  /**
   * Serve the registry over HTTPS only (with `mutual`, asking for a client certificate); the returned
   * client trusts its CA and sends the client certificate, and `schemaRegistry.tls` has the PEM files.
   */
  readonly registryTls?: RegistryTlsOptions;
  /** Secures Kafka's client listener (see startKafka); `kafka.security` then says how to connect. */
  readonly security?: KafkaSecurity;
}

/** A running Kafka broker and schema registry. */
export interface Stack {
  /** Bootstrap servers, one per broker, e.g. `["localhost:32791"]`. */
  readonly brokers: string[];
  /** The base URL of the registry API the client speaks. */
  readonly registryUrl: string;
  /** The Confluent-compatible API, whichever API the client speaks. */
  readonly confluentApiUrl: string;
  /** Apicurio's native API. */
  readonly apicurioApiUrl: string;
  /** A registry client for the chosen API. */
  readonly registry: SchemaRegistryClient;
  /** What `schemasDir` registered. */
  readonly registered: readonly RegisteredSchemaFile[];
  readonly kafka: StartedKafka;
  readonly schemaRegistry: StartedSchemaRegistry;
  /** Stops both containers. */
  stop(): Promise<void>;
}

/**
 * Starts Kafka and Apicurio Registry side by side, optionally registers a folder of schemas, and
 * returns where they listen with a ready registry client. A container that cannot start fails the call.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const { kafkaImage, registryImage } = resolveImages(options);
  const timeout =
    options.startupTimeoutMs === undefined ? {} : { startupTimeoutMs: options.startupTimeoutMs };
  const [kafka, schemaRegistry] = await startBoth(
    () =>
      startKafka({
        image: kafkaImage,
        brokers: options.brokers ?? 1,
        ...timeout,
        ...(options.security === undefined ? {} : { security: options.security }),
      }),
    () =>
      startSchemaRegistry({
        image: registryImage,
        ...timeout,
        ...(options.registryTls === undefined ? {} : { tls: options.registryTls }),
      }),
  );
  const stop = async () => {
    await Promise.allSettled([kafka.stop(), schemaRegistry.stop()]);
  };
  try {
    const apicurio = options.registryApi === 'apicurio';
    const registryUrl = apicurio ? schemaRegistry.apicurioApiUrl : schemaRegistry.confluentApiUrl;
    const pem = schemaRegistry.tls;
    const client = {
      baseUrl: registryUrl,
      ...(pem === undefined ? {} : { tls: { ca: pem.ca, cert: pem.cert, key: pem.key } }),
    };
    const registry = apicurio ? new ApicurioRestClient(client) : new ConfluentRestClient(client);
    const registered =
      options.schemasDir === undefined ? [] : await registerSchemaFolder(registry, options.schemasDir);
    return {
      brokers: kafka.brokers,
      registryUrl,
      confluentApiUrl: schemaRegistry.confluentApiUrl,
      apicurioApiUrl: schemaRegistry.apicurioApiUrl,
      registry,
      registered,
      kafka,
      schemaRegistry,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// Starts both at once; when one fails, stops the other before failing, so no container is left behind.
async function startBoth<A extends { stop(): Promise<void> }, B extends { stop(): Promise<void> }>(
  first: () => Promise<A>,
  second: () => Promise<B>,
): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first(), second()]);
  if (a.status === 'fulfilled' && b.status === 'fulfilled') return [a.value, b.value];
  await Promise.allSettled([
    a.status === 'fulfilled' ? a.value.stop() : undefined,
    b.status === 'fulfilled' ? b.value.stop() : undefined,
  ]);
  throw a.status === 'rejected' ? a.reason : (b as PromiseRejectedResult).reason;
}
