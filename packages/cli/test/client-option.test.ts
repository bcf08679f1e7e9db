import { describe, expect, it } from '@jest/globals';
import { parseClient } from '../dist/client-option.js';
import { UsageError } from '../dist/command.js';

describe('cli > client option', () => {
  it('kafkajs unless --client names another', () => {
    expect(parseClient(undefined)).toBe('kafkajs');
    expect(parseClient('platformatic')).toBe('platformatic');
  });

  it('an unknown client is a usage error listing the clients', () => {
    expect(() => parseClient('rdkafka')).toThrow(
      new UsageError(
        'cannot parse arguments: --client must be one of "kafkajs", "platformatic", got "rdkafka"',
      ),
    );
  });
});
