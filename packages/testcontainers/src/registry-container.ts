import type { StartedTestContainer } from 'testcontainers';
import { GenericContainer, getContainerRuntimeClient, Wait } from 'testcontainers';
import { clientHost } from './kafka-container.js';
import type { TestCertificates } from './test-certificates.js';
import { createTestCertificates } from './test-certificates.js';
import { TLS_TERMINATOR_JAVA } from './tls-terminator.js';

/** How the registry is served over TLS. */
export interface RegistryTlsOptions {
  /** Ask every client for a certificate signed by the run's CA (mTLS); default false. */
  readonly mutual?: boolean;
}

/** Options of {@link startSchemaRegistry}. */
export interface RegistryContainerOptions {
  /** An Apicurio Registry 3.x image. */
  readonly image: string;
  /** How long the registry may take to start; default 120 s. */
  readonly startupTimeoutMs?: number;
  /**
   * Serve the APIs over HTTPS only, with a CA and certificates made for this run (and, with `mutual`,
   * asking for a client certificate); `tls` of the result has the PEM files.
   */
  readonly tls?: RegistryTlsOptions;
}

/** A running Apicurio Registry with its two APIs. */
export interface StartedSchemaRegistry {
  /** The Confluent-compatible API (`/apis/ccompat/v7`). */
  readonly confluentApiUrl: string;
  /** Apicurio's native API (`/apis/registry/v3`). */
  readonly apicurioApiUrl: string;
  /** With the `tls` option: the CA to trust and a client certificate the registry accepts. */
  readonly tls?: TestCertificates;
  readonly container: StartedTestContainer;
  /** Freezes the registry (`docker pause`): connections stay open and requests go unanswered. */
  pause(): Promise<void>;
  /** Lets a paused registry run on. */
  unpause(): Promise<void>;
  stop(): Promise<void>;
}

const HTTPS_PORT = 8443;

/** Starts Apicurio Registry with in-memory storage and waits until its API answers. */
export async function startSchemaRegistry(options: RegistryContainerOptions): Promise<StartedSchemaRegistry> {
  const timeout = options.startupTimeoutMs ?? 120_000;
  const host = await clientHost();
  const tls = options.tls === undefined ? undefined : await createTestCertificates([host]);
  let container: StartedTestContainer;
  try {
    container =
      tls === undefined
        ? await new GenericContainer(options.image)
            .withExposedPorts(8080)
            .withWaitStrategy(Wait.forHttp('/apis/registry/v3/system/info', 8080).forStatusCode(200))
            .withStartupTimeout(timeout)
            .start()
        : await startTls(options.image, tls, options.tls?.mutual === true, timeout);
  } catch (error) {
    await tls?.remove();
    throw error;
  }
  const docker = async () => (await getContainerRuntimeClient()).container.getById(container.getId());
  const base =
    tls === undefined
      ? `http://${host}:${container.getMappedPort(8080)}`
      : `https://${host}:${container.getMappedPort(HTTPS_PORT)}`;
  return {
    confluentApiUrl: `${base}/apis/ccompat/v7`,
    apicurioApiUrl: `${base}/apis/registry/v3`,
    ...(tls === undefined ? {} : { tls }),
    container,
    pause: async () => {
      await (await docker()).pause();
    },
    unpause: async () => {
      await (await docker()).unpause();
    },
    stop: async () => {
      await container.stop();
      await tls?.remove();
    },
  };
}

// Only the HTTPS port is published, so every request of a test goes through TLS. Without `mutual`,
// Quarkus serves HTTPS itself; with it, the Java terminator does (see tls-terminator.ts), since the
// image cannot make Quarkus ask for client certificates.
function startTls(
  image: string,
  tls: TestCertificates,
  mutual: boolean,
  timeout: number,
): Promise<StartedTestContainer> {
  const files = [
    { content: tls.server.cert, target: '/certs/server.crt' },
    { content: tls.server.key, target: '/certs/server.key', mode: 0o600 },
    { content: tls.ca, target: '/certs/ca.crt' },
  ];
  // Apicurio says it started once Quarkus listens on every port it was given.
  const started = Wait.forLogMessage(/apicurio-registry-app .* started in/);
  const container = new GenericContainer(image).withExposedPorts(HTTPS_PORT).withStartupTimeout(timeout);
  if (!mutual) {
    return container
      .withCopyContentToContainer(files)
      .withEnvironment({
        QUARKUS_HTTP_SSL_PORT: String(HTTPS_PORT),
        QUARKUS_HTTP_SSL_CERTIFICATE_FILES: '/certs/server.crt',
        QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES: '/certs/server.key',
      })
      .withWaitStrategy(started)
      .start();
  }
  const script = [
    `java /certs/Terminator.java /certs/server.crt /certs/server.key /certs/ca.crt ${HTTPS_PORT} 8080 &`,
    // The local image keeps Quarkus in /opt/apicurio, Apicurio's own in /deployments.
    'for jar in /opt/apicurio/quarkus-run.jar /deployments/quarkus-run.jar; do',
    // A later -Xmx in JAVA_OPTS_APPEND wins over the default.
    '  [ -f "$jar" ] && exec java -Xmx512m $JAVA_OPTS_APPEND -jar "$jar"',
    'done',
    'echo "no quarkus-run.jar in the image" >&2; exit 1',
  ].join('\n');
  return container
    .withCopyContentToContainer([
      ...files,
      { content: TLS_TERMINATOR_JAVA, target: '/certs/Terminator.java' },
    ])
    .withEntrypoint(['sh', '-c', script])
    .withWaitStrategy(Wait.forAll([started, Wait.forLogMessage(/tls terminator listening/)]))
    .start();
}
