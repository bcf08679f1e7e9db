import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import { GenericContainer, getContainerRuntimeClient, Network, Wait } from 'testcontainers';
import type { KafkaClientSecurity, KafkaSecurity } from './kafka-security.js';
import { saslSslClient, saslSslEnvironment } from './kafka-security.js';
import { createTestCertificates } from './test-certificates.js';

/** Options of {@link startKafka}. */
export interface KafkaContainerOptions {
  /** The image; it must take apache/kafka's KAFKA_* environment convention. */
  readonly image: string;
  /**
   * How many brokers; default 1. With 3 or more, topics default to replication factor 3 and
   * `min.insync.replicas` 2, as production clusters are set up, so one broker can be lost.
   */
  readonly brokers?: number;
  /** How long the brokers may take to start; default 120 s. */
  readonly startupTimeoutMs?: number;
  /**
   * Secures the client listener: `sasl_ssl` is SCRAM-SHA-512 over TLS, with a CA made for this run;
   * {@link StartedKafka.security} tells clients how to connect. One broker only, and a run script that
   * creates the SCRAM user from KAFKA_SCRAM_USERS: the local schemawire-local/kafka image's; in this
   * repository that script also starts apache/kafka, whose own script ignores the variable.
   */
  readonly security?: KafkaSecurity;
}

/** One broker of a started cluster, which a test can kill and start again. */
export interface KafkaNode {
  /** The broker's node id, 1 for the first. */
  readonly nodeId: number;
  /** The address clients reach it at, e.g. `localhost:32791`; it stays the same across restarts. */
  readonly address: string;
  readonly container: StartedTestContainer;
  /** Kills the broker at once (SIGKILL), as a crash would: no controlled shutdown. */
  kill(): Promise<void>;
  /** Starts a killed broker again, with its data, and waits until it serves again. */
  start(): Promise<void>;
}

/** A running Kafka cluster of one or more KRaft brokers. */
export interface StartedKafka {
  /**
   * Bootstrap servers reachable from this process, one per broker, e.g. `["localhost:32791"]`; a
   * mutable array, as the Kafka clients' `brokers` options are.
   */
  readonly brokers: string[];
  /** The brokers, in node id order. */
  readonly nodes: readonly KafkaNode[];
  /** The first broker's container. */
  readonly container: StartedTestContainer;
  /** With `security`: the credentials, the CA and ready client settings. */
  readonly security?: KafkaClientSecurity;
  stop(): Promise<void>;
}

/**
 * Starts a KRaft cluster whose brokers are also its controllers. Kafka advertises the address clients
 * must use, so each host port is picked before its container starts and advertised as such; brokers
 * talk to each other on a network of their own.
 */
export async function startKafka(options: KafkaContainerOptions): Promise<StartedKafka> {
  const count = options.brokers ?? 1;
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`cannot start Kafka: brokers must be a positive integer, not ${JSON.stringify(count)}`);
  }
  const timeoutMs = options.startupTimeoutMs ?? 120_000;
  const host = await clientHost();
  if (options.security !== undefined) {
    return startSecured(options.image, options.security, timeoutMs, count, host);
  }
  const network = count === 1 ? undefined : await new Network().start();
  const ports = await Promise.all(Array.from({ length: count }, freePort));
  // A multi-node quorum forms only once every voter runs: the brokers start together.
  const started = await Promise.allSettled(
    ports.map((_, i) => startNode(options.image, i + 1, host, ports, network, timeoutMs)),
  );
  const containers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async () => {
    await Promise.allSettled(containers.map((container) => container.stop()));
    await network?.stop();
  };
  const failed = started.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await stop();
    throw failed.reason;
  }
  const nodes = containers.map((container, i) => node(container, i + 1, ports[i]!, timeoutMs));
  return { brokers: nodes.map((n) => n.address), nodes, container: containers[0]!, stop };
}

async function startSecured(
  image: string,
  security: KafkaSecurity,
  timeoutMs: number,
  count: number,
  host: string,
): Promise<StartedKafka> {
  if (security !== 'sasl_ssl' || count !== 1) {
    throw new Error(
      `cannot start Kafka: security ${JSON.stringify(security)} needs security "sasl_ssl" and 1 broker`,
    );
  }
  const certificates = await createTestCertificates([host]);
  const removeFiles = () => certificates.remove();
  let container: StartedTestContainer;
  const port = await freePort();
  try {
    container = await startNode(
      image,
      1,
      host,
      [port],
      undefined,
      timeoutMs,
      saslSslEnvironment(host, port, certificates),
      { runScript: existsSync(LOCAL_RUN_SCRIPT) ? LOCAL_RUN_SCRIPT : undefined },
    );
  } catch (error) {
    await removeFiles();
    throw error;
  }
  const stop = async () => {
    await container.stop();
    await removeFiles();
  };
  try {
    await checkScramUsers(container, image);
    const only = node(container, 1, port, timeoutMs);
    const security = await saslSslClient([only.address], certificates);
    return { brokers: [only.address], nodes: [only], container, security, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// The local image's run script, where this package runs from the repository (its tests, `make test`):
// started in place of an image's own, it creates SCRAM users whichever image holds the Kafka jars.
// Published, the package has no such file, and the image's own script runs.
const LOCAL_RUN_SCRIPT = fileURLToPath(new URL('../../../images/kafka/run', import.meta.url));

// apache/kafka's run script ignores KAFKA_SCRAM_USERS, and its broker would refuse every login: that
// is said here, once, rather than as an authentication failure in each test.
async function checkScramUsers(container: StartedTestContainer, image: string): Promise<void> {
  const { exitCode } = await container.exec(['sh', '-c', 'test -s /tmp/schemawire-scram-users']);
  if (exitCode !== 0) {
    throw new Error(
      `cannot start Kafka with security "sasl_ssl": image ${image} did not create the SCRAM user of KAFKA_SCRAM_USERS at format (schemawire-local/kafka from images/build-local.sh does; see its logs for why)`,
    );
  }
}

function startNode(
  image: string,
  nodeId: number,
  host: string,
  ports: readonly number[],
  network: StartedNetwork | undefined,
  timeoutMs: number,
  listeners?: Record<string, string>,
  { runScript }: { readonly runScript?: string | undefined } = {},
): Promise<StartedTestContainer> {
  const count = ports.length;
  const hostPort = ports[nodeId - 1]!;
  const replicas = String(Math.min(count, 3));
  const single = network === undefined;
  const environment: Record<string, string> = {
    KAFKA_NODE_ID: String(nodeId),
    KAFKA_PROCESS_ROLES: 'broker,controller',
    KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: replicas,
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: replicas,
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: count >= 3 ? '2' : '1',
    KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    KAFKA_NUM_PARTITIONS: '1',
  };
  if (listeners !== undefined) {
    Object.assign(environment, listeners);
  } else if (single) {
    Object.assign(environment, {
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${hostPort}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
    });
  } else {
    Object.assign(environment, {
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,INTERNAL://:19092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${hostPort},INTERNAL://${nodeName(nodeId)}:19092`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
      KAFKA_CONTROLLER_QUORUM_VOTERS: ports.map((_, i) => `${i + 1}@${nodeName(i + 1)}:9093`).join(','),
      KAFKA_DEFAULT_REPLICATION_FACTOR: replicas,
      KAFKA_MIN_INSYNC_REPLICAS: count >= 3 ? '2' : '1',
    });
  }
  let container = new GenericContainer(image)
    .withExposedPorts({ container: 9092, host: hostPort })
    .withEnvironment(environment)
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(timeoutMs);
  if (network !== undefined) container = container.withNetwork(network).withNetworkAliases(nodeName(nodeId));
  if (runScript !== undefined) {
    container = container
      .withCopyFilesToContainer([{ source: runScript, target: '/tmp/schemawire-kafka-run', mode: 0o755 }])
      .withEntrypoint(['/bin/sh'])
      .withCommand(['/tmp/schemawire-kafka-run']);
  }
  return container.start();
}

/**
 * The host this process reaches published ports at, as Testcontainers says (`localhost`, or the
 * bridge gateway when this process itself runs in a container): brokers advertise it, and test
 * certificates name it.
 */
export async function clientHost(): Promise<string> {
  return (await getContainerRuntimeClient()).info.containerRuntime.host;
}

function nodeName(nodeId: number): string {
  return `kafka-${nodeId}`;
}

function node(container: StartedTestContainer, nodeId: number, port: number, timeoutMs: number): KafkaNode {
  const docker = async () => (await getContainerRuntimeClient()).container.getById(container.getId());
  return {
    nodeId,
    address: `${container.getHost()}:${port}`,
    container,
    kill: async () => {
      await (await docker()).kill();
    },
    start: async () => {
      const since = Math.floor(Date.now() / 1000);
      await (await docker()).start();
      await waitForLog(container, /Kafka Server started/, since, timeoutMs);
    },
  };
}

// The container keeps its earlier logs across a restart: only lines written since it started count.
async function waitForLog(
  container: StartedTestContainer,
  pattern: RegExp,
  sinceSeconds: number,
  timeoutMs: number,
): Promise<void> {
  const stream = await container.logs({ since: sinceSeconds });
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string) =>
        reject(new Error(`cannot start Kafka broker ${container.getName()}: ${why}`));
      timer = setTimeout(() => fail(`not serving after ${timeoutMs} ms`), timeoutMs);
      // Lines may come split across chunks: the pattern is looked for in what came so far.
      let seen = '';
      stream.on('data', (chunk: Buffer | string) => {
        seen = (seen + chunk.toString()).slice(-4096);
        if (pattern.test(seen)) resolve();
      });
      stream.on('end', () => fail('it stopped before serving'));
      stream.on('error', (error: Error) => fail(error.message));
    });
  } finally {
    clearTimeout(timer);
    stream.removeAllListeners();
    (stream as { destroy?: () => void }).destroy?.();
  }
}

// A port free now; Docker binds it a moment later. The window is small and a clash fails loudly.
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('cannot pick a free port: the server has no address'));
      });
    });
  });
}
