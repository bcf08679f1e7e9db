import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { kafkaError } from '@schemawire/kafkajs';
import { KafkaJSConnectionError, KafkaJSNonRetriableError } from 'kafkajs';

describe('kafkajs > kafka error', () => {
  it("says what failed and why, keeps kafkajs's error and whether it is retriable", () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1');
    const error = kafkaError('cannot connect to Kafka', refused, { topic: 'orders' });
    expect(error).toMatchObject({
      code: ErrorCode.Kafka,
      message: 'cannot connect to Kafka: Connection error: connect ECONNREFUSED 127.0.0.1:1',
      retriable: true,
      topic: 'orders',
      cause: refused,
    });
    expect(kafkaError('cannot send', new KafkaJSNonRetriableError('gave up')).retriable).toBe(false);
    expect(kafkaError('cannot send', 'text').message).toBe('cannot send: text');
  });
});
