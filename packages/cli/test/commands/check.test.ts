import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorLines, jsonLines, userSchemaFile, userSchemaWith, Workspace } from '../support/cli-process.js';
import { startStubRegistry } from '../support/stub-registry.js';

describe('cli > check', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await Workspace.create();
    await ws.registerUser();
  });
  afterAll(() => ws.remove());

  it('exits 0 with no messages when the schema is compatible', async () => {
    const file = await ws.file(
      'user-v2.avsc',
      userSchemaWith({ name: 'email', type: ['null', 'string'], default: null }),
    );
    const run = await ws.run(['check', file, '--subject', 'user-value']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(jsonLines(run)).toEqual([{ compatible: true, messages: [] }]);
  });

  it('exits 1 with the reasons when the schema is incompatible', async () => {
    const file = await ws.file('user-breaking.avsc', userSchemaWith({ name: 'email', type: 'string' }));
    const run = await ws.run(['check', file, '--subject', 'user-value']);
    expect(run.code).toBe(1);
    const [result] = jsonLines(run) as { compatible: boolean; messages: string[] }[];
    expect(result!.compatible).toBe(false);
    expect(result!.messages.join('\n')).toContain('email');
  });

  it('does not register what it checks', async () => {
    const file = await ws.file(
      'user-v3.avsc',
      userSchemaWith({ name: 'nick', type: ['null', 'string'], default: null }),
    );
    await ws.run(['check', file, '--subject', 'user-value']);
    const registered = await ws.run(['register', file, '--subject', 'user-value']);
    expect((jsonLines(registered)[0] as { version: number }).version).toBe(2);
  });

  describe('cli > check > a subject with no versions', () => {
    it('embedded registry: compatible, saying the subject has no versions', async () => {
      const run = await ws.run(['check', userSchemaFile, '--subject', 'nobody-value']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(jsonLines(run)).toEqual([{ compatible: true, messages: ['subject has no versions'] }]);
    });

    it('a misspelt subject: compatible, with a warning naming the subject meant', async () => {
      const run = await ws.run(['check', userSchemaFile, '--subject', 'user-valeu']);
      expect(run.code).toBe(0);
      expect(jsonLines(run)).toEqual([{ compatible: true, messages: ['subject has no versions'] }]);
      expect(errorLines(run)).toEqual([
        'warning: subject "user-valeu" has no versions (did you mean "user-value"?)',
      ]);
    });

    it('a registry answering as Karapace 6.2 does (40402 for the latest version): the same', async () => {
      const registry = await startStubRegistry((_method, path) =>
        path.startsWith('/compatibility/')
          ? [404, { error_code: 40402, message: 'Version -1 not found.' }]
          : [404, { error_code: 40401, message: "Subject 'nobody-value' not found." }],
      );
      try {
        const run = await ws.run([
          'check',
          userSchemaFile,
          '--subject',
          'nobody-value',
          '--registry',
          registry.url,
        ]);
        expect(run).toMatchObject({ code: 0, stderr: '' });
        expect(jsonLines(run)).toEqual([{ compatible: true, messages: ['subject has no versions'] }]);
      } finally {
        await registry.close();
      }
    });
  });

  describe('cli > check > a registry that gives no reasons', () => {
    // Apicurio Registry answers {"is_compatible":false,"messages":[]}: the reasons are computed locally,
    // with the embedded registry's checker, against the versions the subject's level compares with.
    it("prints the local checker's reasons, marked local, exit 1", async () => {
      const { readFile } = await import('node:fs/promises');
      const v1 = await readFile(userSchemaFile, 'utf8');
      const requests: string[] = [];
      const registry = await startStubRegistry((method, path) => {
        requests.push(`${method} ${path.split('?')[0]}`);
        if (path.startsWith('/compatibility/')) return [200, { is_compatible: false, messages: [] }];
        if (path.startsWith('/config/')) return [200, { compatibilityLevel: 'BACKWARD' }];
        if (path === '/subjects/user-value/versions') return [200, [1]];
        if (path === '/subjects/user-value/versions/1') {
          return [200, { subject: 'user-value', version: 1, id: 7, schema: v1 }];
        }
        return [404, { error_code: 40401, message: 'not found' }];
      });
      try {
        const file = await ws.file('user-email.avsc', userSchemaWith({ name: 'email', type: 'string' }));
        const run = await ws.run(['check', file, '--subject', 'user-value', '--registry', registry.url]);
        expect(run).toMatchObject({ code: 1, stderr: '' });
        expect(jsonLines(run)).toEqual([
          {
            compatible: false,
            messages: [
              'backward: new schema cannot read data written with version 1: field "email" has no default and the writer schema does not have it',
            ],
            local: true,
          },
        ]);
        expect(requests).toContain('GET /subjects/user-value/versions/1');
      } finally {
        await registry.close();
      }
    });
  });

  it('rejects a missing subject or file as usage errors', async () => {
    for (const args of [
      ['check', 'user.avsc'],
      ['check', '--subject', 'user-value'],
    ]) {
      const run = await ws.run(args);
      expect(run.code).toBe(2);
      expect(errorLines(run)).toEqual([expect.stringMatching(/^error: /), "see 'schemawire check --help'"]);
    }
  });
});
