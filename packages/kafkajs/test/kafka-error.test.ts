import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { connectRefusal, isRetriableKafkaError, kafkaError } from '@schemawire/kafkajs';
import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSSASLAuthenticationError,
} from 'kafkajs';

// kafkajs's types give its constructor no message, which its code takes.
const SaslAuthenticationError = KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;

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

describe('kafkajs > kafka error > connect refusal', () => {
  const authFailure = () =>
    new SaslAuthenticationError('SASL SCRAM SHA512 authentication failed: Authentication failed');
  const tlsFailure = (code: string) =>
    new KafkaJSConnectionError('Connection error: self-signed certificate in certificate chain', {
      broker: 'localhost:9093',
      code,
    });

  it('finds a refused login through the retries kafkajs wraps it in, and makes it not retriable', () => {
    const wrapped = new KafkaJSNumberOfRetriesExceeded(authFailure(), { retryCount: 5, retryTime: 1 });
    expect(connectRefusal(wrapped)).toEqual({
      kind: 'authentication',
      message: 'SASL SCRAM SHA512 authentication failed: Authentication failed',
    });
    expect(isRetriableKafkaError(wrapped)).toBe(false);
    expect(kafkaError('cannot connect to Kafka', wrapped).retriable).toBe(false);
  });

  it('finds a certificate that does not verify, though kafkajs marks its connection error retriable', () => {
    const failure = tlsFailure('SELF_SIGNED_CERT_IN_CHAIN');
    expect(failure.retriable).toBe(true);
    expect(connectRefusal(failure)).toEqual({
      kind: 'tls',
      message: 'Connection error: self-signed certificate in certificate chain',
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
      broker: 'localhost:9093',
    });
    expect(isRetriableKafkaError(failure)).toBe(false);
    expect(kafkaError('cannot connect to Kafka', failure).retriable).toBe(false);
    expect(connectRefusal(tlsFailure('ERR_SSL_WRONG_VERSION_NUMBER'))?.kind).toBe('tls');
  });

  it('knows every certificate code the registry client knows, as both read one list', () => {
    for (const code of ['INVALID_CA', 'CERT_REVOKED', 'INVALID_PURPOSE', 'PATH_LENGTH_EXCEEDED', 'EPROTO']) {
      expect(connectRefusal(tlsFailure(code))).toMatchObject({ kind: 'tls', code });
    }
  });

  it('leaves other failures alone', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED', {
      code: 'ECONNREFUSED',
    });
    expect(connectRefusal(refused)).toBeUndefined();
    expect(connectRefusal('text')).toBeUndefined();
    expect(isRetriableKafkaError(refused)).toBe(true);
    expect(
      isRetriableKafkaError(new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 5, retryTime: 1 })),
    ).toBe(true);
  });
});
