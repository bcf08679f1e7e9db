import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSSASLAuthenticationError,
} from 'kafkajs';
import { openKafka } from '../dist/kafka-option.js';
import { errorLines, Workspace } from './support/cli-process.js';

// kafkajs's types give its constructor no message, which its code takes.
const SaslAuthenticationError = KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;

const SECRET = 'alice-s3cret';
const io = (env: Record<string, string> = {}) => ({
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env,
  cwd: process.cwd(),
});
const SASL_SSL = [
  'security.protocol=SASL_SSL',
  'sasl.mechanism=SCRAM-SHA-512',
  'sasl.username=alice',
  `sasl.password=${SECRET}`,
];

describe('cli > kafka option', () => {
  describe('cli > kafka option > connect errors', () => {
    it('says in one line that the login was refused, naming the broker and the user', () => {
      const { connectError } = openKafka(
        { brokers: 'b1:9093', 'kafka-property': SASL_SSL },
        io(),
        'cannot x',
      );
      const refused = new SaslAuthenticationError(
        'SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
      );
      const error = connectError(
        new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 0, retryTime: 1 }),
      );
      expect(error.message).toBe(
        'cannot connect to Kafka at b1:9093: SASL authentication failed for user "alice"',
      );
      expect(error).toMatchObject({ code: 'SCHEMAWIRE_KAFKA', retriable: false });
    });

    it('names the TLS failure and the setting that fixes it', () => {
      const untrusted = new KafkaJSConnectionError(
        'Connection error: self-signed certificate in certificate chain',
        {
          broker: 'localhost:9093',
          code: 'SELF_SIGNED_CERT_IN_CHAIN',
        } as never,
      );
      const noCa = openKafka({ brokers: 'b1:9093', 'kafka-property': SASL_SSL }, io(), 'cannot x');
      expect(noCa.connectError(untrusted).message).toBe(
        "cannot connect to Kafka at localhost:9093: TLS failed: self-signed certificate in certificate chain (the broker's certificate is not signed by a CA this machine trusts: give its CA with ssl.ca.location)",
      );
      const wrongHost = new KafkaJSConnectionError(
        "Connection error: Hostname/IP does not match certificate's altnames",
        {
          broker: 'b1:9093',
          code: 'ERR_TLS_CERT_ALTNAME_INVALID',
        } as never,
      );
      expect(noCa.connectError(wrongHost).message).toMatch(/ssl\.endpoint\.identification\.algorithm=none/);
    });

    it('keeps any other failure as it was', () => {
      const { connectError } = openKafka({ brokers: 'b1:9093' }, io(), 'cannot x');
      const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED', {
        code: 'ECONNREFUSED',
      } as never);
      expect(connectError(refused)).toMatchObject({
        message: 'cannot connect to Kafka: Connection error: connect ECONNREFUSED',
        retriable: true,
      });
    });

    it('reads the file SCHEMAWIRE_KAFKA_CONFIG names when --kafka-config is not given', () => {
      expect(() => openKafka({}, io({ SCHEMAWIRE_KAFKA_CONFIG: '/no/such.properties' }), 'cannot x')).toThrow(
        'cannot read Kafka config: cannot read /no/such.properties: ENOENT',
      );
      expect(() => openKafka({}, io(), 'cannot x')).toThrow(/cannot x: --brokers .* is required/);
    });
  });

  describe('cli > kafka option > command line', () => {
    it('exits 2 naming a misspelled property, and never prints the password', async () => {
      const ws = await Workspace.create();
      try {
        const config = await ws.file(
          'client.properties',
          `bootstrap.servers=localhost:1\nsasl.password=${SECRET}\nsecurity.protocl=SASL_SSL\n`,
        );
        const run = await ws.run(['consume', '--topic', 't', '--kafka-config', config]);
        expect(run.code).toBe(2);
        expect(errorLines(run)[0]).toBe(
          `error: cannot read Kafka config: ${config} line 3: unknown property "security.protocl" (did you mean "security.protocol"?)`,
        );
        const flagged = await ws.run([
          '-X',
          `sasl.password=${SECRET}`,
          'produce',
          '--topic',
          't',
          '--format',
          'json',
        ]);
        expect(flagged.code).toBe(2);
        expect(errorLines(flagged)[0]).toBe(
          'error: cannot read Kafka config: sasl.password needs security.protocol SASL_PLAINTEXT or SASL_SSL, not PLAINTEXT',
        );
        for (const output of [run.stdout, run.stderr, flagged.stdout, flagged.stderr]) {
          expect(output).not.toContain(SECRET);
        }
      } finally {
        await ws.remove();
      }
    });
  });

  describe('cli > kafka option > tls check', () => {
    let dir: string;
    let tls: Server;
    let plain: Server;
    const file = (name: string) => join(dir, name);
    const listen = async (server: Server) => {
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `localhost:${(server.address() as AddressInfo).port}`;
    };
    // A CA, a second one, and a certificate for localhost that the first signed.
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'schemawire-tls-check-'));
      const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-noenc'];
      for (const ca of ['ca', 'other-ca']) {
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            ...ec,
            '-keyout',
            file(`${ca}.key`),
            '-out',
            file(`${ca}.pem`),
            '-subj',
            `/CN=${ca}`,
          ],
          { stdio: 'ignore' },
        );
      }
      execFileSync(
        'openssl',
        ['req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost'],
        { stdio: 'ignore' },
      );
      writeFileSync(file('server.ext'), 'subjectAltName=DNS:localhost\n');
      execFileSync(
        'openssl',
        [
          'x509',
          '-req',
          '-in',
          file('server.csr'),
          '-CA',
          file('ca.pem'),
          '-CAkey',
          file('ca.key'),
          '-CAcreateserial',
          '-extfile',
          file('server.ext'),
          '-out',
          file('server.pem'),
        ],
        { stdio: 'ignore' },
      );
      tls = createTlsServer(
        { cert: readFileSync(file('server.pem')), key: readFileSync(file('server.key')) },
        (socket) => socket.end(),
      );
      plain = createTcpServer((socket) => socket.destroy());
    });
    afterAll(() => {
      tls.close();
      plain.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const check = (broker: string, ...properties: string[]) =>
      openKafka(
        { brokers: broker, 'kafka-property': ['security.protocol=SSL', ...properties] },
        io(),
        'cannot x',
      ).checkTls();

    it('passes a broker whose certificate the CA of ssl.ca.location signed', async () => {
      await expect(check(await listen(tls), `ssl.ca.location=${file('ca.pem')}`)).resolves.toBeUndefined();
    });

    it('fails at once, naming ssl.ca.location, when another CA signed it', async () => {
      const broker = await listen(tls);
      const started = Date.now();
      await expect(check(broker, `ssl.ca.location=${file('other-ca.pem')}`)).rejects.toMatchObject({
        message: `cannot connect to Kafka at ${broker}: TLS failed: unable to verify the first certificate (the broker's certificate is not signed by the CA of ssl.ca.location)`,
        retriable: false,
      });
      expect(Date.now() - started).toBeLessThan(2_000);
      await expect(check(broker)).rejects.toThrow(
        /not signed by a CA this machine trusts: give its CA with ssl\.ca\.location/,
      );
    });

    it('leaves a broker that does not answer TLS to the client, and does nothing without TLS', async () => {
      const broker = await listen(plain);
      await expect(check(broker, `ssl.ca.location=${file('ca.pem')}`)).resolves.toBeUndefined();
      await expect(openKafka({ brokers: broker }, io(), 'cannot x').checkTls()).resolves.toBeUndefined();
    });
  });
});
