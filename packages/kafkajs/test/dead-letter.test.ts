import { describe, expect, it } from '@jest/globals';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import { DEAD_LETTER_HEADERS, deadLetterMessage } from '@schemawire/kafkajs';
import type { KafkaMessage } from 'kafkajs';

const error = new SchemaWireError(ErrorCode.UnknownMagicByte, 'cannot find schema id: first byte is 0x67');

function consumed(message: Partial<KafkaMessage>) {
  const base = { key: null, value: null, timestamp: '0', attributes: 0, offset: '42', headers: {} };
  return { topic: 'orders', partition: 3, message: { ...base, ...message } as KafkaMessage };
}

describe('kafkajs > dead letter > message', () => {
  it('keeps the key, value and headers as they came, and adds why and where', () => {
    const key = Buffer.from('order-1');
    const value = Buffer.from('garbage');
    const trace = Buffer.from('abc');
    const letter = deadLetterMessage(error, consumed({ key, value, headers: { trace } }));
    expect(letter.key).toBe(key);
    expect(letter.value).toBe(value);
    expect(letter.headers).toEqual({
      trace,
      'schemawire.error.code': 'SCHEMAWIRE_UNKNOWN_MAGIC_BYTE',
      'schemawire.error.message': 'cannot find schema id: first byte is 0x67',
      'schemawire.error.topic': 'orders',
      'schemawire.error.partition': '3',
      'schemawire.error.offset': '42',
    });
  });

  it('replaces the error headers of an earlier trip through a dead-letter topic', () => {
    const letter = deadLetterMessage(
      error,
      consumed({
        headers: { [DEAD_LETTER_HEADERS.offset]: Buffer.from('7'), [DEAD_LETTER_HEADERS.topic]: 'old' },
      }),
    );
    expect(letter.headers?.[DEAD_LETTER_HEADERS.offset]).toBe('42');
    expect(letter.headers?.[DEAD_LETTER_HEADERS.topic]).toBe('orders');
  });

  it('sends a tombstone with no key as such', () => {
    const letter = deadLetterMessage(error, consumed({}));
    expect(letter.key).toBeNull();
    expect(letter.value).toBeNull();
  });
});
