import { describe, expect, it } from '@jest/globals';
import type { Stack, StackConnection, StartedKafka } from '@schemawire/testcontainers';
import { Kafka } from 'kafkajs';

// Type tests: `tsc -p tsconfig.test.json` fails when a stack's addresses cannot go to the Kafka
// clients as they are (measured before: `new Kafka({ brokers: stack.brokers })` did not type-check,
// as `readonly string[]` is not assignable to kafkajs's `string[]`).
describe('testcontainers > types > brokers', () => {
  const brokers = ['localhost:9092'];

  it("a stack's brokers go to new Kafka() as they are", () => {
    const stack: Pick<Stack, 'brokers'> = { brokers };
    expect(new Kafka({ brokers: stack.brokers })).toBeInstanceOf(Kafka);
  });

  it("a started Kafka's brokers, and the global setup's, do too", () => {
    const kafka: Pick<StartedKafka, 'brokers'> = { brokers };
    const env: Pick<StackConnection, 'brokers'> = { brokers };
    expect(new Kafka({ brokers: kafka.brokers })).toBeInstanceOf(Kafka);
    expect(new Kafka({ brokers: env.brokers })).toBeInstanceOf(Kafka);
  });
});
