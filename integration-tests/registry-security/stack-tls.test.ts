/**
 * startStack with registryTls: the registry answers over HTTPS only, asking for a client certificate,
 * and the stack's own client comes ready with the run's CA and client certificate.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfluentRestClient } from '@schemawire/registry-adapter';
import type { Stack } from '@schemawire/testcontainers';
import { startStack } from '@schemawire/testcontainers';

const schemasDir = fileURLToPath(new URL('../../schemas/', import.meta.url));
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ schemasDir, registryTls: { mutual: true } });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('registry security > stack tls', () => {
  it('registers the schemas folder through mTLS and gives https URLs', async () => {
    expect(stack.registryUrl).toMatch(/^https:\/\/[^/]+:\d+\/apis\/ccompat\/v7$/);
    expect(stack.apicurioApiUrl).toMatch(/^https:/);
    expect(stack.registered.map((entry) => entry.subject)).toContain('user');
    expect(await stack.registry.listSubjects()).toContain('user');
  });

  it('refuses a client without the client certificate', async () => {
    const { ca } = stack.schemaRegistry.tls!;
    const client = new ConfluentRestClient({ baseUrl: stack.registryUrl, tls: { ca }, retries: 0 });
    await expect(client.listSubjects()).rejects.toMatchObject({
      retriable: false,
      message: expect.stringContaining('the registry asked for a client certificate'),
    });
  });
});
