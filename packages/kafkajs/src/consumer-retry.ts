import type { RetryOptions } from 'kafkajs';

/**
 * kafkajs retry options for a consumer that rides out a broker's failure without crashing:
 * `SchemaConsumer.create` gives them to the consumer it makes (a plain kafkajs consumer takes them as
 * `kafka.consumer({ groupId, retry: consumerRetry })`). The consumer's retries (kafkajs's default
 * gives up after 5, about 9 s) are counted from the last time it joined its group, and span what a
 * cluster takes to move a killed broker's partitions and group coordinators: fetches from the dead
 * leader are refused, and the group's new coordinator answers "loading" until it has read the group's
 * offsets. Waits double from 300 ms up to 10 s, 12 times: about 80 s, then the consumer crashes and
 * kafkajs restarts it. Every field is set, so the timings do not change with `NODE_ENV=test`, under
 * which kafkajs retries 6 times faster.
 */
export const consumerRetry: Readonly<RetryOptions> = {
  initialRetryTime: 300,
  multiplier: 2,
  factor: 0.2,
  maxRetryTime: 10_000,
  retries: 12,
};
