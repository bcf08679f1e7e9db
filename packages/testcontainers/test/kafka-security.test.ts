import { X509Certificate } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { createTestCertificates } from '@schemawire/testcontainers';
import { saslSslClient, saslSslEnvironment } from '../dist/kafka-security.js';

describe('testcontainers > kafka security', () => {
  it('makes a CA and a certificate it signed for localhost and 127.0.0.1', async () => {
    const certificates = await createTestCertificates();
    try {
      const ca = new X509Certificate(certificates.ca);
      const server = new X509Certificate(certificates.server.cert);
      expect(server.verify(ca.publicKey)).toBe(true);
      expect(server.checkHost('localhost')).toBe('localhost');
      expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(server.checkHost('example.com')).toBeUndefined();
      expect(certificates.server.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      // Each run has a CA of its own, so a test can hold one the broker does not know.
      const other = await createTestCertificates();
      expect(server.verify(new X509Certificate(other.ca).publicKey)).toBe(false);
      await rm(other.dir, { recursive: true, force: true });
    } finally {
      await rm(certificates.dir, { recursive: true, force: true });
    }
  });

  it('configures a SASL_SSL listener with the SCRAM user, and a client that matches it', async () => {
    const certificates = await createTestCertificates();
    try {
      const environment = saslSslEnvironment('172.17.0.1', 41234, certificates);
      expect(environment).toMatchObject({
        KAFKA_ADVERTISED_LISTENERS: 'SASL_SSL://172.17.0.1:41234,INTERNAL://localhost:19092',
        KAFKA_SASL_ENABLED_MECHANISMS: 'SCRAM-SHA-512',
        KAFKA_SCRAM_USERS: 'SCRAM-SHA-512=[name=alice,password=alice-secret]',
        KAFKA_SSL_KEYSTORE_TYPE: 'PEM',
      });
      // One line each, as the run script writes every variable as one properties line.
      for (const value of Object.values(environment)) expect(value).not.toContain('\n');
      expect(environment['KAFKA_SSL_KEYSTORE_KEY']).toContain('\\n');

      const client = await saslSslClient(['localhost:41234'], certificates);
      expect(client.properties.split('\n')).toEqual([
        'bootstrap.servers=localhost:41234',
        'security.protocol=SASL_SSL',
        'sasl.mechanism=SCRAM-SHA-512',
        'sasl.username=alice',
        'sasl.password=alice-secret',
        `ssl.ca.location=${certificates.caFile}`,
        '',
      ]);
      expect(client.sasl).toEqual({
        mechanism: 'scram-sha-512',
        username: 'alice',
        password: 'alice-secret',
      });
      expect(client.ssl).toEqual({ ca: [certificates.ca] });
    } finally {
      await rm(certificates.dir, { recursive: true, force: true });
    }
  });
});
