import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Deserializer } from '@schemawire/core-client';
import { consumerRetry, SchemaConsumer } from '@schemawire/kafkajs';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';
import type { Consumer, ConsumerConfig, RetryOptions } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';

// kafkajs's own retrier, which its consumer runs its fetch loop and its group joins under; Jest runs
// with NODE_ENV=test, under which kafkajs's defaults retry 6 times faster.
const createRetry = createRequire(import.meta.url)('kafkajs/src/retry/index.js') as (
  options: RetryOptions,
) => (fn: () => Promise<void>) => Promise<void>;

/** How long kafkajs's retrier keeps retrying an error that never goes, in ms, and how often it tries. */
async function retrySpan(options: RetryOptions): Promise<{ ms: number; attempts: number }> {
  let attempts = 0;
  const start = Date.now();
  const retried = createRetry(options)(async () => {
    attempts++;
    throw Object.assign(new Error('The coordinator is loading'), { retriable: true });
  });
  let settled = false;
  const failed = retried.catch(() => {
    settled = true;
  });
  while (!settled) await jest.advanceTimersByTimeAsync(100);
  await failed;
  return { ms: Date.now() - start, attempts };
}

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

describe('kafkajs > consumer retry', () => {
  it('outlasts a broker killed and started again, about 80 s, under NODE_ENV=test too', async () => {
    expect(process.env.NODE_ENV).toBe('test');
    const { ms, attempts } = await retrySpan(consumerRetry);
    expect(attempts).toBe(13);
    expect(ms).toBeGreaterThan(60_000);
    expect(ms).toBeLessThan(100_000);
  });

  it("is patient where kafkajs's default consumer retries are not", async () => {
    const { ms } = await retrySpan({ retries: 5 });
    expect(ms).toBeLessThan(1_000);
  });
});

describe('kafkajs > consumer retry > SchemaConsumer.create', () => {
  /** A real kafkajs client (that never connects here) that records the consumers it makes and their configs. */
  function recordingKafka() {
    const kafka = new Kafka({ brokers: ['localhost:9'], logLevel: logLevel.NOTHING });
    const configs: ConsumerConfig[] = [];
    const consumers: Consumer[] = [];
    return {
      configs,
      consumers,
      consumer(config: ConsumerConfig) {
        configs.push(config);
        consumers.push(kafka.consumer(config));
        return consumers.at(-1)!;
      },
    };
  }
  const formats = [avroFormat()];
  const options = () => ({
    value: new Deserializer({ registry: new EmbeddedRegistry({ formats }), formats }),
  });

  it('makes the consumer with consumerRetry and the rest of the config as given', () => {
    const kafka = recordingKafka();
    const consumer = SchemaConsumer.create(kafka, { groupId: 'users-app', maxWaitTimeInMs: 250 }, options());
    expect(kafka.configs).toEqual([{ groupId: 'users-app', maxWaitTimeInMs: 250, retry: consumerRetry }]);
    expect(consumer.consumer).toBe(kafka.consumers[0]);
  });

  it('lets the fields of a retry given win, and keeps consumerRetry for the others', () => {
    const kafka = recordingKafka();
    const restartOnFailure = async () => false;
    SchemaConsumer.create(
      kafka,
      { groupId: 'users-app', retry: { retries: 3, restartOnFailure } },
      options(),
    );
    expect(kafka.configs[0]!.retry).toEqual({ ...consumerRetry, retries: 3, restartOnFailure });
  });

  it('gives the consumer retries that outlast a loading coordinator, about 80 s, under NODE_ENV=test too', async () => {
    const kafka = recordingKafka();
    SchemaConsumer.create(kafka, { groupId: 'users-app' }, options());
    const { ms, attempts } = await retrySpan(kafka.configs[0]!.retry!);
    expect(attempts).toBe(13);
    expect(ms).toBeGreaterThan(60_000);
  });
});
