import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readKafkaConfig } from '../dist/kafka-config.js';
import { platformaticConnection } from '../dist/platformatic-option.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'schemawire-platformatic-option-'));
  await writeFile(join(dir, 'ca.pem'), 'CA PEM');
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const connection = (...overrides: string[]) =>
  platformaticConnection(readKafkaConfig({ cwd: dir, brokers: 'b1:9093,b2:9093', overrides }));

describe('cli > platformatic option', () => {
  it('plaintext: the brokers and the default client id, no TLS, no SASL', () => {
    expect(connection()).toEqual({ clientId: 'schemawire-cli', bootstrapBrokers: ['b1:9093', 'b2:9093'] });
  });

  it('client.id names the client', () => {
    expect(connection('client.id=shop').clientId).toBe('shop');
  });

  it('SASL_SSL with SCRAM: the mechanism as Kafka spells it, the credentials and the CA', () => {
    const mapped = connection(
      'security.protocol=SASL_SSL',
      'sasl.mechanism=scram-sha-512',
      'sasl.username=alice',
      'sasl.password=s3cret',
      'ssl.ca.location=ca.pem',
    );
    expect(mapped.sasl).toEqual({ mechanism: 'SCRAM-SHA-512', username: 'alice', password: 's3cret' });
    expect(mapped.tls?.ca).toEqual(Buffer.from('CA PEM'));
    expect(mapped.tls?.checkServerIdentity).toBeUndefined();
  });

  it('PLAIN from a JAAS line', () => {
    const jaas =
      'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="bob" password="p\\"w";';
    expect(connection('security.protocol=SASL_PLAINTEXT', 'sasl.mechanism=PLAIN', jaas).sasl).toEqual({
      mechanism: 'PLAIN',
      username: 'bob',
      password: 'p"w',
    });
  });

  it('OAUTHBEARER: the given token, through a provider', async () => {
    const { sasl } = connection(
      'security.protocol=SASL_SSL',
      'sasl.mechanism=OAUTHBEARER',
      'sasl.oauthbearer.token=tok.en',
    );
    expect(sasl?.mechanism).toBe('OAUTHBEARER');
    const token = sasl?.token;
    expect(typeof token === 'function' ? await token() : token).toBe('tok.en');
  });

  it('ssl.endpoint.identification.algorithm=none turns the host name check off, not the chain check', () => {
    const { tls } = connection('security.protocol=SSL', 'ssl.endpoint.identification.algorithm=none');
    expect(tls?.checkServerIdentity?.('b1', {} as never)).toBeUndefined();
    expect(tls?.rejectUnauthorized).not.toBe(false);
  });
});
