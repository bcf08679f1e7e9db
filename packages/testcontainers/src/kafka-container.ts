import { createServer } from 'node:net';
import type { StartedTestContainer } from 'testcontainers';
import { GenericContainer, Wait } from 'testcontainers';

/** Options of {@link startKafka}. */
export interface KafkaContainerOptions {
  /** The image; it must take apache/kafka's KAFKA_* environment convention. */
  readonly image: string;
  /** How long the broker may take to start; default 120 s. */
  readonly startupTimeoutMs?: number;
}

/** A running single-node Kafka broker. */
export interface StartedKafka {
  /** Bootstrap servers reachable from this process, e.g. `["localhost:32791"]`. */
  readonly brokers: readonly string[];
  readonly container: StartedTestContainer;
  stop(): Promise<void>;
}

/**
 * Starts a single-node KRaft broker. Kafka advertises the address clients must use, so the host port is
 * picked before the container starts and advertised as such.
 */
export async function startKafka(options: KafkaContainerOptions): Promise<StartedKafka> {
  const hostPort = await freePort();
  const container = await new GenericContainer(options.image)
    .withExposedPorts({ container: 9092, host: hostPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://localhost:${hostPort}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_NUM_PARTITIONS: '1',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(options.startupTimeoutMs ?? 120_000)
    .start();
  return {
    brokers: [`${container.getHost()}:${hostPort}`],
    container,
    stop: async () => {
      await container.stop();
    },
  };
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
