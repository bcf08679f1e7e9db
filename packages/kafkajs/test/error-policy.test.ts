import { describe, expect, it } from '@jest/globals';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import type { ErrorPolicy } from '@schemawire/kafkajs';
import { checkErrorPolicy, errorAction } from '@schemawire/kafkajs';
import type { Producer } from 'kafkajs';

const producer = { send: async () => [] } as unknown as Producer;
const deadLetter: ErrorPolicy = { deadLetter: { topic: 'orders.dlq', producer } };
const unreadable = new SchemaWireError(ErrorCode.DeserializationFailed, 'cannot deserialize payload: bad');
const unavailable = new SchemaWireError(
  ErrorCode.RegistryUnavailable,
  'cannot complete registry request: 503',
);

describe('kafkajs > error policy > action', () => {
  it('follows the policy for an error that will not go away', () => {
    expect(errorAction(unreadable, 'fail')).toBe('fail');
    expect(errorAction(unreadable, 'skip')).toBe('skip');
    expect(errorAction(unreadable, deadLetter)).toBe('dead-letter');
  });

  it('retries a retriable error under every policy', () => {
    for (const policy of ['fail', 'skip', deadLetter] as const) {
      expect(errorAction(unavailable, policy)).toBe('retry');
    }
  });

  it('goes by the retriable flag, not the code', () => {
    const timedOut = new SchemaWireError(
      ErrorCode.DeserializationFailed,
      'cannot resolve schema 1: timeout',
      {
        retriable: true,
      },
    );
    const refused = new SchemaWireError(ErrorCode.RegistryUnavailable, 'cannot complete registry request', {
      retriable: false,
    });
    expect(errorAction(timedOut, 'skip')).toBe('retry');
    expect(errorAction(refused, 'skip')).toBe('skip');
  });

  it('treats a foreign error as one that will not go away', () => {
    expect(errorAction(new Error('boom'), 'skip')).toBe('skip');
    expect(errorAction(Object.assign(new Error('boom'), { retriable: true }), 'fail')).toBe('fail');
  });
});

describe('kafkajs > error policy > check', () => {
  it('takes the three policies', () => {
    expect(checkErrorPolicy('fail')).toBe('fail');
    expect(checkErrorPolicy('skip')).toBe('skip');
    expect(checkErrorPolicy(deadLetter)).toBe(deadLetter);
  });

  it.each([
    ['an unknown name', 'ignore', /"ignore" is not "fail", "skip" or \{ deadLetter \}/],
    ['nothing', undefined, /undefined is not/],
    ['a dead letter without target', { deadLetter: null }, /deadLetter needs a topic and a producer/],
    [
      'a dead letter without topic',
      { deadLetter: { producer } },
      /deadLetter\.topic must be a topic name, not undefined/,
    ],
    ['a dead letter with an empty topic', { deadLetter: { topic: '', producer } }, /not ""/],
    [
      'a dead letter without producer',
      { deadLetter: { topic: 't' } },
      /deadLetter\.producer must be a kafkajs producer/,
    ],
  ])('refuses %s', (_name, policy, message) => {
    expect(() => checkErrorPolicy(policy)).toThrow(
      expect.objectContaining({ code: ErrorCode.Config, message: expect.stringMatching(message) }),
    );
  });
});
