import type { ServerOptions } from 'node:https';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@schemawire/core-client';
import { ApicurioRestClient, ConfluentRestClient } from '@schemawire/registry-adapter';
import type { TestCertificates } from './support/certificates.js';
import { makeCertificates } from './support/certificates.js';
import { failure } from './support/failures.js';
import type { StubServer } from './support/stub-server.js';
import { json, startStubServer } from './support/stub-server.js';

/** An HTTPS registry that answers every request, counting the connections that reach it. */
async function startHttpsServer(options: ServerOptions) {
  let connections = 0;
  const server = createServer(options, (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('[]');
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let certificates: TestCertificates;
beforeAll(async () => {
  certificates = await makeCertificates();
});
afterAll(() => certificates.remove());

describe('registry > http client > certificates', () => {
  it.each([
    ['a self-signed certificate', 'selfSigned', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['a chain to a CA no one trusts', 'server', 'SELF_SIGNED_CERT_IN_CHAIN'],
  ] as const)('%s: fails at once, not retriable, naming the code and the option', async (_, pair, code) => {
    const server = await startHttpsServer(certificates[pair]);
    try {
      const client = new ConfluentRestClient({ baseUrl: server.url, retries: 3, retryBackoffMs: 1 });
      const error = await failure(client.listSubjects());
      expect(error).toMatchObject({ code: ErrorCode.RegistryUnavailable, retriable: false });
      expect(error.message).toBe(
        `cannot connect to registry securely: GET /subjects: the registry's certificate is not trusted (${code}): give the CA that signed it (tls.ca / --registry-ca)`,
      );
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('trusts a private CA given as tls.ca, for this client only', async () => {
    const server = await startHttpsServer(certificates.server);
    try {
      const trusting = new ConfluentRestClient({ baseUrl: server.url, tls: { ca: certificates.ca } });
      await expect(trusting.listSubjects()).resolves.toEqual([]);
      const other = new ConfluentRestClient({ baseUrl: server.url, retries: 0 });
      expect(await failure(other.listSubjects())).toMatchObject({ retriable: false });
    } finally {
      await server.close();
    }
  });

  it('names the host a certificate does not name, and the names it has', async () => {
    const server = await startHttpsServer(certificates.server);
    try {
      const url = server.url.replace('127.0.0.1', 'localhost');
      const client = new ConfluentRestClient({ baseUrl: url, tls: { ca: certificates.ca }, retries: 3 });
      const error = await failure(client.listSubjects());
      expect(error).toMatchObject({ code: ErrorCode.RegistryUnavailable, retriable: false });
      expect(error.message).toBe(
        `cannot connect to registry securely: GET /subjects: the registry's certificate does not name the host "localhost" of the URL (ERR_TLS_CERT_ALTNAME_INVALID): use a host name the certificate names (it names IP Address:127.0.0.1)`,
      );
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });
});

describe('registry > http client > client certificates', () => {
  let server: Awaited<ReturnType<typeof startHttpsServer>>;
  beforeAll(async () => {
    server = await startHttpsServer({
      ...certificates.server,
      ca: certificates.ca,
      requestCert: true,
      rejectUnauthorized: true,
    });
  });
  afterAll(() => server.close());

  it('sends tls.cert and tls.key to a registry that asks for a client certificate', async () => {
    const client = new ConfluentRestClient({
      baseUrl: server.url,
      tls: { ca: certificates.ca.toString('utf8'), ...certificates.client },
    });
    await expect(client.listSubjects()).resolves.toEqual([]);
  });

  it('without a client certificate: says the registry asked for one, naming the options, at once', async () => {
    const before = server.connections();
    const client = new ConfluentRestClient({ baseUrl: server.url, tls: { ca: certificates.ca }, retries: 3 });
    const error = await failure(client.listSubjects());
    expect(error).toMatchObject({ code: ErrorCode.RegistryUnavailable, retriable: false });
    expect(error.message).toMatch(
      /^cannot connect to registry securely: GET \/subjects: the registry asked for a client certificate \([A-Z_/0-9]+\): give --registry-cert and --registry-key \(tls\.cert\/tls\.key\)$/,
    );
    expect(server.connections() - before).toBe(1);
  });

  it('with a certificate no CA of the registry signed: says it refused it, without the key', async () => {
    const client = new ConfluentRestClient({
      baseUrl: server.url,
      tls: { ca: certificates.ca, ...certificates.stranger, passphrase: 'pass-phrase-1' },
      retries: 3,
    });
    const error = await failure(client.listSubjects());
    expect(error).toMatchObject({ code: ErrorCode.RegistryUnavailable, retriable: false });
    expect(error.message).toContain('the registry refused the client certificate (');
    expect(error.message).toContain(
      'give one signed by a CA the registry trusts (tls.cert / --registry-cert)',
    );
    expect(error.message).not.toContain(certificates.stranger.key.toString('utf8').split('\n')[1]);
    expect(error.message).not.toContain('pass-phrase-1');
  });

  it('over TLS 1.2, where the server alerts handshake_failure: says it asked for a client certificate', async () => {
    const old = await startHttpsServer({
      ...certificates.server,
      ca: certificates.ca,
      requestCert: true,
      rejectUnauthorized: true,
      maxVersion: 'TLSv1.2',
    });
    try {
      const client = new ConfluentRestClient({ baseUrl: old.url, tls: { ca: certificates.ca }, retries: 3 });
      const error = await failure(client.listSubjects());
      expect(error).toMatchObject({ code: ErrorCode.RegistryUnavailable, retriable: false });
      expect(error.message).toContain(
        'the registry asked for a client certificate (ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE)',
      );
      expect(old.connections()).toBe(1);
    } finally {
      await old.close();
    }
  });

  it('refuses tls.cert without tls.key as a configuration error', () => {
    expect(
      () => new ConfluentRestClient({ baseUrl: server.url, tls: { cert: certificates.client.cert } }),
    ).toThrow(
      expect.objectContaining({ code: ErrorCode.Config, message: expect.stringContaining('tls.key') }),
    );
  });
});

describe('registry > http client > auth', () => {
  let stub: StubServer;
  beforeAll(async () => {
    // Accepts only alice's password and the token "fresh-2", as a registry behind auth would.
    stub = await startStubServer((request, _index, response) => {
      const authorization = request.headers.authorization;
      const accepted = [`Basic ${Buffer.from('alice:s3cret').toString('base64')}`, 'Bearer fresh-2'];
      if (accepted.includes(authorization ?? '')) json(response, 200, []);
      else json(response, 401, { error_code: 40101, message: `unauthorized: ${authorization}` });
    });
  });
  afterAll(() => stub.close());

  it('asks a token function for a fresh token for each request', async () => {
    let calls = 0;
    const client = new ConfluentRestClient({
      baseUrl: stub.url,
      auth: { token: async () => `fresh-${++calls}` },
    });
    const refused = await failure(client.listSubjects());
    expect(stub.requests.at(-1)!.headers.authorization).toBe('Bearer fresh-1');
    expect(refused.message).not.toContain('fresh-1');
    await expect(client.listSubjects()).resolves.toEqual([]);
    expect(stub.requests.at(-1)!.headers.authorization).toBe('Bearer fresh-2');
  });

  it('a 401 names the user whose credentials were refused, never the password', async () => {
    for (const client of [
      new ConfluentRestClient({ baseUrl: stub.url, auth: { username: 'alice', password: 'wrong-pw' } }),
      new ApicurioRestClient({ baseUrl: stub.url.replace('http://', 'http://alice:wrong-pw@') }),
    ]) {
      const error = await failure(client.listSubjects());
      expect(error.code).toBe(ErrorCode.RegistryUnauthorized);
      expect(error.message).toMatch(
        /answered 401.*; the registry did not accept the credentials, sent as user "alice"$/,
      );
      expect(error.message).not.toContain('wrong-pw');
      expect(error.message).not.toContain(Buffer.from('alice:wrong-pw').toString('base64'));
    }
  });

  it('a 401 without credentials names the options that give them', async () => {
    const error = await failure(new ConfluentRestClient({ baseUrl: stub.url }).listSubjects());
    expect(error.message).toMatch(
      /; the registry did not accept the credentials, sent without credentials: give --registry-auth USER:PASS or --registry-token TOKEN \(auth\)$/,
    );
  });

  it('a token function that fails is an unauthorized error, not retried, with its token hidden', async () => {
    const before = stub.requests.length;
    const client = new ConfluentRestClient({
      baseUrl: stub.url,
      auth: {
        token: () => {
          throw new Error('token service down');
        },
      },
    });
    const error = await failure(client.listSubjects());
    expect(error).toMatchObject({ code: ErrorCode.RegistryUnauthorized, retriable: false });
    expect(error.message).toBe('cannot get registry token: auth.token failed: token service down');
    expect(stub.requests.length).toBe(before);
  });
});
