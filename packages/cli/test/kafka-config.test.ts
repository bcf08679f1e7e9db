import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closestName, readKafkaConfig } from '../dist/kafka-config.js';

const SECRET = 'alice-s3cret=!';

describe('cli > kafka config', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'schemawire-kafka-config-'));
    await writeFile(join(dir, 'ca.pem'), 'CA PEM');
    await writeFile(join(dir, 'client.pem'), 'CERT PEM');
    await writeFile(join(dir, 'client.key'), 'KEY PEM');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const file = async (text: string) => {
    const path = join(dir, `config-${Math.random().toString(36).slice(2)}.properties`);
    await writeFile(path, text);
    return path;
  };
  // The message of the error `read` throws.
  const failure = (read: () => unknown): string => {
    try {
      read();
    } catch (error) {
      expect((error as Error).name).toBe('UsageError');
      return (error as Error).message;
    }
    throw new Error('expected a usage error');
  };

  describe('cli > kafka config > mapping', () => {
    it('maps SASL_SSL with SCRAM to kafkajs ssl and sasl options', async () => {
      const path = await file(
        [
          'bootstrap.servers=b1:9093, b2:9093',
          'security.protocol=SASL_SSL',
          'sasl.mechanism=SCRAM-SHA-512',
          'sasl.username=alice',
          `sasl.password=${SECRET}`,
          'ssl.ca.location=ca.pem',
          'client.id=shop',
        ].join('\n'),
      );
      const config = readKafkaConfig({ file: path, cwd: dir });
      expect(config.kafka).toEqual({
        brokers: ['b1:9093', 'b2:9093'],
        clientId: 'shop',
        ssl: { ca: Buffer.from('CA PEM') },
        sasl: { mechanism: 'scram-sha-512', username: 'alice', password: SECRET },
      });
      expect(config.username).toBe('alice');
    });

    it('maps client certificates, their key password and the host name check', async () => {
      const config = readKafkaConfig({
        cwd: dir,
        brokers: 'b:9093',
        overrides: [
          'security.protocol=ssl',
          'ssl.certificate.location=client.pem',
          'ssl.key.location=client.key',
          `ssl.key.password=${SECRET}`,
          'ssl.endpoint.identification.algorithm=none',
        ],
      });
      const ssl = config.kafka.ssl!;
      expect(ssl.cert).toEqual(Buffer.from('CERT PEM'));
      expect(ssl.key).toEqual(Buffer.from('KEY PEM'));
      expect(ssl.passphrase).toBe(SECRET);
      expect(ssl.ca).toBeUndefined();
      expect(ssl.checkServerIdentity?.('other-host', {} as never)).toBeUndefined();
      const checked = readKafkaConfig({ cwd: dir, brokers: 'b', overrides: ['security.protocol=SSL'] });
      expect(checked.kafka.ssl).toEqual({});
      expect(checked.kafka.sasl).toBeUndefined();
    });

    it('maps PLAIN and SCRAM-SHA-256, and reads the credentials of a Java JAAS line', () => {
      const jaas = `org.apache.kafka.common.security.plain.PlainLoginModule required username="bob" password="p\\"w";`;
      const config = readKafkaConfig({
        cwd: dir,
        brokers: 'b',
        overrides: ['security.protocol=SASL_PLAINTEXT', 'sasl.mechanisms=PLAIN', `sasl.jaas.config=${jaas}`],
      });
      expect(config.kafka.sasl).toEqual({ mechanism: 'plain', username: 'bob', password: 'p"w' });
      expect(config.kafka.ssl).toBeUndefined();
      const scram = readKafkaConfig({
        cwd: dir,
        brokers: 'b',
        overrides: [
          'security.protocol=SASL_SSL',
          'sasl.mechanism=scram-sha-256',
          'sasl.username=u',
          'sasl.password=',
        ],
      });
      expect(scram.kafka.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'u', password: '' });
    });

    it('hands OAUTHBEARER its token, and says what it needs without one', async () => {
      const base = ['security.protocol=SASL_SSL', 'sasl.mechanism=OAUTHBEARER'];
      const config = readKafkaConfig({
        cwd: dir,
        brokers: 'b',
        overrides: [...base, 'sasl.oauthbearer.token=tok'],
      });
      const sasl = config.kafka.sasl as { mechanism: string; oauthBearerProvider: () => Promise<unknown> };
      expect(sasl.mechanism).toBe('oauthbearer');
      await expect(sasl.oauthBearerProvider()).resolves.toEqual({ value: 'tok' });
      expect(failure(() => readKafkaConfig({ cwd: dir, brokers: 'b', overrides: base }))).toMatch(
        /sasl\.mechanism OAUTHBEARER needs sasl\.oauthbearer\.token/,
      );
    });

    it('reads the producer settings', () => {
      const config = readKafkaConfig({
        cwd: dir,
        brokers: 'b',
        overrides: ['acks=-1', 'enable.idempotence=FALSE', 'delivery.timeout.ms=30000'],
      });
      expect(config.producer).toEqual({ acks: 'all', idempotence: false, deliveryTimeoutMs: 30000 });
      expect(readKafkaConfig({ cwd: dir, brokers: 'b' }).producer).toEqual({});
    });

    it('accepts the registry client properties and hands them over as given', async () => {
      const path = await file(
        [
          'bootstrap.servers=b:9092',
          'schema.registry.url=https://registry:8081',
          'basic.auth.credentials.source=USER_INFO',
          `basic.auth.user.info=alice:${SECRET}`,
          'schema.registry.ssl.ca.location=/etc/ca.pem',
          'bearer.auth.token=tok',
        ].join('\n'),
      );
      expect(readKafkaConfig({ file: path, cwd: dir }).registry).toEqual({
        'schema.registry.url': 'https://registry:8081',
        'basic.auth.credentials.source': 'USER_INFO',
        'basic.auth.user.info': `alice:${SECRET}`,
        'schema.registry.ssl.ca.location': '/etc/ca.pem',
        'bearer.auth.token': 'tok',
      });
    });
  });

  describe('cli > kafka config > precedence', () => {
    it('takes -X over the file, a later -X over an earlier one, --brokers over both', async () => {
      const path = await file('bootstrap.servers=file:9092\nclient.id=from-file\nacks=1');
      const read = (overrides: string[], brokers?: string) =>
        readKafkaConfig({ file: path, overrides, brokers, envBrokers: 'env:9092', cwd: dir });
      expect(read([]).kafka).toMatchObject({ brokers: ['file:9092'], clientId: 'from-file' });
      expect(read(['client.id=x', 'client.id=y', 'bootstrap.servers=x:1']).kafka).toMatchObject({
        brokers: ['x:1'],
        clientId: 'y',
      });
      expect(read(['bootstrap.servers=x:1'], 'flag:9092').kafka.brokers).toEqual(['flag:9092']);
      expect(read(['acks=0']).producer.acks).toBe('0');
    });

    it('uses KAFKA_BROKERS only when no property names the brokers', () => {
      expect(readKafkaConfig({ envBrokers: 'env:9092', cwd: dir }).kafka.brokers).toEqual(['env:9092']);
      expect(readKafkaConfig({ cwd: dir }).kafka.brokers).toEqual([]);
    });
  });

  describe('cli > kafka config > mistakes', () => {
    it('names an unknown property with the closest known one', async () => {
      const path = await file('bootstrap.servers=b:9092\n\nsasl.mechansim=PLAIN');
      expect(failure(() => readKafkaConfig({ file: path, cwd: dir }))).toBe(
        `cannot read Kafka config: ${path} line 3: unknown property "sasl.mechansim" (did you mean "sasl.mechanism"?)`,
      );
      expect(failure(() => readKafkaConfig({ cwd: dir, overrides: ['frobnicate=1'] }))).toBe(
        'cannot read Kafka config: -X: unknown property "frobnicate"',
      );
      expect(closestName('bootstrap.server')).toBe('bootstrap.servers');
      expect(closestName('sasl.pasword')).toBe('sasl.password');
    });

    it('points Java keystore settings at the PEM ones', () => {
      expect(
        failure(() => readKafkaConfig({ cwd: dir, overrides: ['ssl.truststore.location=/x.jks'] })),
      ).toMatch(/ssl\.truststore\.location is a Java keystore setting.*ssl\.ca\.location/);
    });

    it('refuses a malformed line or -X, and values out of range, never quoting a secret', async () => {
      const path = await file(`security.protocol=SASL_SSL\n${SECRET.replace(/[=:]/g, '')}\n`);
      const lines = failure(() => readKafkaConfig({ file: path, cwd: dir }));
      expect(lines).toBe(`cannot read Kafka config: ${path} line 2 is not name=value`);
      expect(failure(() => readKafkaConfig({ cwd: dir, overrides: [SECRET.replace(/=/g, '')] }))).toMatch(
        /-X needs name=value/,
      );
      expect(failure(() => readKafkaConfig({ cwd: dir, overrides: ['acks=most'] }))).toBe(
        'cannot read Kafka config: acks must be one of all, -1, 1, 0, got "most"',
      );
      expect(failure(() => readKafkaConfig({ cwd: dir, overrides: ['security.protocol=TLS'] }))).toMatch(
        /security\.protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL/,
      );
      expect(failure(() => readKafkaConfig({ cwd: dir, overrides: ['delivery.timeout.ms=-5'] }))).toMatch(
        /delivery\.timeout\.ms must be a positive integer/,
      );
    });

    it('refuses settings that contradict each other or lack a partner, without the password', () => {
      const sasl = ['security.protocol=SASL_SSL', `sasl.password=${SECRET}`];
      const messages = [
        failure(() =>
          readKafkaConfig({
            cwd: dir,
            overrides: ['sasl.mechanism=PLAIN', 'sasl.username=a', `sasl.password=${SECRET}`],
          }),
        ),
        failure(() => readKafkaConfig({ cwd: dir, overrides: ['ssl.ca.location=ca.pem'] })),
        failure(() => readKafkaConfig({ cwd: dir, overrides: sasl })),
        failure(() => readKafkaConfig({ cwd: dir, overrides: [...sasl, 'sasl.mechanism=GSSAPI'] })),
        failure(() => readKafkaConfig({ cwd: dir, overrides: [...sasl, 'sasl.mechanism=PLAIN'] })),
        failure(() =>
          readKafkaConfig({ cwd: dir, overrides: ['security.protocol=SSL', 'ssl.key.location=client.key'] }),
        ),
        failure(() =>
          readKafkaConfig({ cwd: dir, overrides: ['security.protocol=SSL', 'ssl.ca.location=missing.pem'] }),
        ),
        failure(() =>
          readKafkaConfig({
            cwd: dir,
            overrides: [
              'security.protocol=SASL_SSL',
              'sasl.mechanism=PLAIN',
              `sasl.jaas.config=x password="${SECRET}"`,
            ],
          }),
        ),
      ];
      expect(messages).toEqual([
        'cannot read Kafka config: sasl.mechanism needs security.protocol SASL_PLAINTEXT or SASL_SSL, not PLAINTEXT',
        'cannot read Kafka config: ssl.ca.location needs security.protocol SSL or SASL_SSL, not PLAINTEXT',
        'cannot read Kafka config: a SASL security.protocol needs sasl.mechanism: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER',
        'cannot read Kafka config: sasl.mechanism must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, got "GSSAPI"',
        'cannot read Kafka config: sasl.mechanism PLAIN needs sasl.username',
        'cannot read Kafka config: ssl.certificate.location and ssl.key.location go together: give both or neither',
        `cannot read Kafka config: ssl.ca.location: cannot read ${join(dir, 'missing.pem')}: ENOENT`,
        'cannot read Kafka config: sasl.jaas.config needs username="..." and password="..."',
      ]);
      for (const message of messages) expect(message).not.toContain('s3cret');
    });

    it('says which file it cannot read', () => {
      expect(failure(() => readKafkaConfig({ file: 'nope.properties', cwd: dir }))).toBe(
        `cannot read Kafka config: cannot read ${join(dir, 'nope.properties')}: ENOENT`,
      );
    });
  });
});
