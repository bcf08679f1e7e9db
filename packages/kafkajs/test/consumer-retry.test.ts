import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { consumerRetry } from '@schemawire/kafkajs';
import type { RetryOptions } from 'kafkajs';

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

describe('kafkajs > consumer retry', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

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
