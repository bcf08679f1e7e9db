import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { RetryBackoff } from '@schemawire/kafkajs';
import fc from 'fast-check';

describe('kafkajs > retry backoff > delay', () => {
  it('doubles from the first wait up to the cap', () => {
    const backoff = new RetryBackoff({ initialMs: 100, maxMs: 1000 });
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoff.delayMs(attempt))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('waits as kafkajs retries do by default: 300 ms up to 30 s', () => {
    const backoff = new RetryBackoff();
    expect(backoff.delayMs(1)).toBe(300);
    expect(backoff.delayMs(1000)).toBe(30_000);
  });

  it('never shrinks and never passes the cap, however many attempts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 5000 }),
        (initialMs, extraMs, attempt) => {
          const backoff = new RetryBackoff({ initialMs, maxMs: initialMs + extraMs });
          const delay = backoff.delayMs(attempt);
          expect(delay).toBeGreaterThanOrEqual(initialMs);
          expect(delay).toBeLessThanOrEqual(initialMs + extraMs);
          expect(backoff.delayMs(attempt + 1)).toBeGreaterThanOrEqual(delay);
        },
      ),
    );
  });
});

describe('kafkajs > retry backoff > options', () => {
  it.each([
    ['a zero first wait', { initialMs: 0 }, /initialMs must be a positive number of milliseconds, not 0/],
    ['an endless first wait', { initialMs: Number.POSITIVE_INFINITY }, /initialMs must be/],
    [
      'a cap below the first wait',
      { initialMs: 500, maxMs: 100 },
      /maxMs must be at least initialMs \(500\), not 100/,
    ],
    ['a cap that is not a number', { maxMs: Number.NaN }, /maxMs must be/],
  ])('refuses %s', (_name, options, message) => {
    expect(() => new RetryBackoff(options)).toThrow(
      expect.objectContaining({ code: ErrorCode.Config, message: expect.stringMatching(message) }),
    );
  });
});
