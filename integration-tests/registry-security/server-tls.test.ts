/**
 * The CLI against Apicurio Registry serving HTTPS itself (Quarkus) with a certificate of a CA made for
 * this run: refused without --registry-ca, as the issue's users saw it, and working with it.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { StartedSchemaRegistry } from '@schemawire/testcontainers';
import { resolveImages, startSchemaRegistry } from '@schemawire/testcontainers';

const mainJs = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));
const userSchemaFile = fileURLToPath(new URL('../../schemas/user.avsc', import.meta.url));

jest.setTimeout(180_000);

let registry: StartedSchemaRegistry;
beforeAll(async () => {
  registry = await startSchemaRegistry({ image: resolveImages({}).registryImage, tls: {} });
});
afterAll(() => registry?.stop());

function register(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const all = ['register', userSchemaFile, '--subject', `tls-${randomUUID()}`, ...args];
  return new Promise((done) => {
    execFile(process.execPath, [mainJs, ...all], (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('registry security > server tls > cli', () => {
  it('without --registry-ca: exit 1 at once, naming the option; with it: registered', async () => {
    const refused = await register('--registry', registry.confluentApiUrl);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^error: cannot connect to registry securely: POST \/subjects\/[^:]+: the registry's certificate is not trusted \((?:SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\): give the CA that signed it \(tls\.ca \/ --registry-ca\)\n$/,
    );
    const url = registry.apicurioApiUrl;
    const registered = await register('--registry', url, '--registry-ca', registry.tls!.caFile);
    expect(registered).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(registered.stdout)).toMatchObject({ version: 1 });
  });
});
