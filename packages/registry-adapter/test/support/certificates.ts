import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files made for one run, so no certificate or key is checked in. */
export interface TestCertificates {
  /** A CA that signed `server` and `client`. */
  readonly ca: Buffer;
  /** A certificate for 127.0.0.1 signed by `ca`, sent with `ca` as its chain, and its key. */
  readonly server: { readonly cert: Buffer; readonly key: Buffer };
  /** A client certificate signed by `ca`, and its key. */
  readonly client: { readonly cert: Buffer; readonly key: Buffer };
  /** A client certificate that signs itself, which no CA vouches for, and its key. */
  readonly stranger: { readonly cert: Buffer; readonly key: Buffer };
  /** A certificate for 127.0.0.1 that signs itself, and its key. */
  readonly selfSigned: { readonly cert: Buffer; readonly key: Buffer };
  remove(): Promise<void>;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const FOR_LOCALHOST = ['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];

/** Makes a CA, a server and client certificate it signs, and two that sign themselves, with openssl. */
export async function makeCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'schemawire-tls-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const selfSigned = (name: string, ...subject: string[]) =>
    openssl(
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      ...subject,
    );
  const signed = (name: string, ...subject: string[]) => {
    openssl('req', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, ...subject);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
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
      `${name}.pem`,
    );
  };
  selfSigned('ca', '-subj', '/CN=test CA');
  selfSigned('self', ...FOR_LOCALHOST);
  selfSigned('stranger', '-subj', '/CN=stranger');
  signed('server', ...FOR_LOCALHOST);
  signed('client', '-subj', '/CN=client');
  const pair = async (name: string) => ({
    cert: await readFile(join(dir, `${name}.pem`)),
    key: await readFile(join(dir, `${name}.key`)),
  });
  const ca = await readFile(join(dir, 'ca.pem'));
  const server = await pair('server');
  return {
    ca,
    server: { cert: Buffer.concat([server.cert, ca]), key: server.key },
    client: await pair('client'),
    stranger: await pair('stranger'),
    selfSigned: await pair('self'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
