import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A CA made for one run by openssl (never checked in), a server certificate it signed, and a client
 * certificate it signed, as PEM files in a folder of their own and as text: for a broker or a
 * registry served over TLS, and the clients that reach it.
 */
export interface TestCertificates {
  /** The folder of the files; {@link TestCertificates.remove} deletes it. */
  readonly dir: string;
  /** The CA that signed the server's and the client's certificates: what `--registry-ca` and `ssl.ca.location` take. */
  readonly caFile: string;
  /** A client certificate the registry accepts: what `--registry-cert` takes. */
  readonly certFile: string;
  /** Its key: what `--registry-key` takes. */
  readonly keyFile: string;
  /** The text of `caFile`. */
  readonly ca: string;
  /** The text of `certFile`. */
  readonly cert: string;
  /** The text of `keyFile`. */
  readonly key: string;
  /** The server's own certificate and key (unencrypted PKCS#8), for the host names given. */
  readonly server: { readonly cert: string; readonly key: string };
  /** Deletes the files. */
  remove(): Promise<void>;
}

const run = promisify(execFile);
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * Makes a CA, a server certificate it signs for `hosts` (names or IP addresses; localhost and
 * 127.0.0.1 always) and a client certificate it signs, with the openssl command. They last a day.
 */
export async function createTestCertificates(hosts: readonly string[] = []): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'schemawire-tls-'));
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  const names = [...new Set(['localhost', '127.0.0.1', ...hosts])].map((host) =>
    /^[0-9.]+$|:/.test(host) ? `IP:${host}` : `DNS:${host}`,
  );
  const sign = async (name: string, subject: string, extensions: string[]) => {
    await openssl(
      'req',
      ...EC_KEY,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
      ...extensions,
    );
    await openssl(
      ...['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial'],
      ...['-copy_extensions', 'copy', '-days', '1', '-out', `${name}.crt`],
    );
  };
  try {
    await openssl(
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '1',
      '-subj',
      '/CN=schemawire test CA',
    );
    await sign('server', '/CN=localhost', ['-addext', `subjectAltName=${names.join(',')}`]);
    await sign('client', '/CN=schemawire test client', []);
    const text = (name: string) => readFile(join(dir, name), 'utf8');
    return {
      dir,
      caFile: join(dir, 'ca.crt'),
      certFile: join(dir, 'client.crt'),
      keyFile: join(dir, 'client.key'),
      ca: await text('ca.crt'),
      cert: await text('client.crt'),
      key: await text('client.key'),
      server: { cert: await text('server.crt'), key: await text('server.key') },
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
