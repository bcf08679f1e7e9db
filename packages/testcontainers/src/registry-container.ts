import type { StartedTestContainer } from 'testcontainers';
import { GenericContainer, getContainerRuntimeClient, Wait } from 'testcontainers';

/** Options of {@link startSchemaRegistry}. */
export interface RegistryContainerOptions {
  /** An Apicurio Registry 3.x image. */
  readonly image: string;
  /** How long the registry may take to start; default 120 s. */
  readonly startupTimeoutMs?: number;
}

/** A running Apicurio Registry with its two APIs. */
export interface StartedSchemaRegistry {
  /** The Confluent-compatible API (`/apis/ccompat/v7`). */
  readonly confluentApiUrl: string;
  /** Apicurio's native API (`/apis/registry/v3`). */
  readonly apicurioApiUrl: string;
  readonly container: StartedTestContainer;
  /** Freezes the registry (`docker pause`): connections stay open and requests go unanswered. */
  pause(): Promise<void>;
  /** Lets a paused registry run on. */
  unpause(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts Apicurio Registry with in-memory storage and waits until its API answers. */
export async function startSchemaRegistry(options: RegistryContainerOptions): Promise<StartedSchemaRegistry> {
  const container = await new GenericContainer(options.image)
    .withExposedPorts(8080)
    .withWaitStrategy(Wait.forHttp('/apis/registry/v3/system/info', 8080).forStatusCode(200))
    .withStartupTimeout(options.startupTimeoutMs ?? 120_000)
    .start();
  const docker = async () => (await getContainerRuntimeClient()).container.getById(container.getId());
  const base = `http://${container.getHost()}:${container.getMappedPort(8080)}`;
  return {
    confluentApiUrl: `${base}/apis/ccompat/v7`,
    apicurioApiUrl: `${base}/apis/registry/v3`,
    container,
    pause: async () => {
      await (await docker()).pause();
    },
    unpause: async () => {
      await (await docker()).unpause();
    },
    stop: async () => {
      await container.stop();
    },
  };
}
