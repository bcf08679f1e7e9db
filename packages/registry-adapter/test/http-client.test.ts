import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:https';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { ConfluentRestClient } from '@schemawire/registry-adapter';
import { failure } from './support/failures.js';

/** Runs openssl in `dir`; the certificates are made for each run, so none is checked in. */
function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const FOR_LOCALHOST = ['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];

/** An HTTPS registry that answers every request, counting the connections that reach it. */
async function startHttpsServer(
  key: Buffer,
  cert: Buffer,
): Promise<{ server: Server; url: string; connections: () => number }> {
  let connections = 0;
  const server = createServer({ key, cert }, (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('[]');
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `https://127.0.0.1:${port}`, connections: () => connections };
}

describe('registry > http client > certificates', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'schemawire-tls-'));
    // A certificate that signs itself.
    openssl(
      dir,
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      'self.key',
      '-out',
      'self.pem',
      '-days',
      '1',
      ...FOR_LOCALHOST,
    );
    // A certificate signed by a CA of its own, sent with the CA, which no one trusts.
    openssl(
      dir,
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '1',
      '-subj',
      '/CN=test CA',
    );
    openssl(dir, 'req', ...EC_KEY, '-keyout', 'leaf.key', '-out', 'leaf.csr', ...FOR_LOCALHOST);
    openssl(
      dir,
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-copy_extensions',
      'copy',
      '-days',
      '1',
      '-out',
      'leaf.pem',
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['a self-signed certificate', 'self.key', ['self.pem'], 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['a chain to a CA no one trusts', 'leaf.key', ['leaf.pem', 'ca.pem'], 'SELF_SIGNED_CERT_IN_CHAIN'],
  ])(
    '%s: fails at once, not retriable, naming the code and what to do',
    async (_, keyFile, certFiles, code) => {
      const key = await readFile(join(dir, keyFile));
      const cert = Buffer.concat(await Promise.all(certFiles.map((file) => readFile(join(dir, file)))));
      const { server, url, connections } = await startHttpsServer(key, cert);
      try {
        const client = new ConfluentRestClient({ baseUrl: url, retries: 3, retryBackoffMs: 1 });
        const error = await failure(client.listSubjects());
        expect(error).toMatchObject({ code: ErrorCode.RegistryUnavailable, retriable: false });
        expect(error.message).toBe(
          `cannot connect to registry securely: GET /subjects: the registry's certificate is not trusted (${code}): give the CA that signed it, as a PEM file in NODE_EXTRA_CA_CERTS`,
        );
        expect(connections()).toBe(1);
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  );
});
