import { describe, expect, it } from '@jest/globals';
import { MultipleErrors, NetworkError } from '@platformatic/kafka';
import { isRetriablePlatformaticError } from '@schemawire/platformatic-kafka';

describe('platformatic-kafka > kafka error > retriable', () => {
  it('retries a client error unless its chain says it cannot be', () => {
    expect(isRetriablePlatformaticError(new NetworkError('connection reset'))).toBe(true);
    expect(isRetriablePlatformaticError(new NetworkError('Client is closed.', { canRetry: false }))).toBe(
      false,
    );
    // What the client throws once its own retries ran out: every attempt's error.
    const exhausted = new MultipleErrors('failed', [
      new NetworkError('connection reset'),
      new NetworkError('Client is closed.', { canRetry: false }),
    ]);
    expect(isRetriablePlatformaticError(exhausted)).toBe(false);
    expect(isRetriablePlatformaticError(new MultipleErrors('failed', [new NetworkError('reset')]))).toBe(
      true,
    );
  });

  it('does not retry what is not a client error', () => {
    expect(isRetriablePlatformaticError(new TypeError('bad argument'))).toBe(false);
    expect(isRetriablePlatformaticError('nope')).toBe(false);
  });
});
