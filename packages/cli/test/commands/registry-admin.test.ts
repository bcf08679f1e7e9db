import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  errorLines,
  jsonLines,
  runCli,
  userSchemaFile,
  userSchemaWith,
  Workspace,
} from '../support/cli-process.js';

// subjects, versions, schema, delete and config against the embedded registry; integration-tests/cli
// runs the same against Apicurio's Confluent and native APIs.
describe('cli > registry administration', () => {
  let ws: Workspace;
  let v2: string;
  beforeAll(async () => {
    ws = await Workspace.create();
    await ws.registerUser('user');
    await ws.registerUser('order-value');
    v2 = await ws.file(
      'user-v2.avsc',
      userSchemaWith({ name: 'email', type: ['null', 'string'], default: null }),
    );
    const second = await ws.run(['register', v2, '--subject', 'user']);
    expect(second.code).toBe(0);
  });
  afterAll(() => ws.remove());

  describe('cli > registry administration > subjects', () => {
    it('lists the subjects, sorted, one JSON line each', async () => {
      const run = await ws.run(['subjects']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(jsonLines(run)).toEqual([{ subject: 'order-value' }, { subject: 'user' }]);
    });

    it('--prefix keeps the subjects that start with it', async () => {
      const run = await ws.run(['subjects', '--prefix', 'us']);
      expect(jsonLines(run)).toEqual([{ subject: 'user' }]);
    });

    it('SCHEMAWIRE_REGISTRY_DIR names the embedded registry, as --registry-dir does', async () => {
      const run = await runCli(['subjects'], { env: { SCHEMAWIRE_REGISTRY_DIR: join(ws.dir, 'registry') } });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(jsonLines(run)).toEqual([{ subject: 'order-value' }, { subject: 'user' }]);
    });

    it('takes no arguments', async () => {
      const run = await ws.run(['subjects', 'user']);
      expect(run.code).toBe(2);
      expect(errorLines(run)[0]).toBe('error: cannot list subjects: it takes no arguments');
    });
  });

  describe('cli > registry administration > versions', () => {
    it("lists a subject's versions with their ids", async () => {
      const run = await ws.run(['versions', 'user']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(jsonLines(run)).toEqual([
        { subject: 'user', version: 1, id: 1 },
        { subject: 'user', version: 2, id: 2 },
      ]);
    });

    it('a misspelt subject: exit 1, naming the subject meant', async () => {
      const run = await ws.run(['versions', 'users']);
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(errorLines(run)).toEqual([
        'error: cannot complete registry request: subject "users" not found (did you mean "user"?)',
      ]);
    });

    it('encode names the subject meant too', async () => {
      const run = await ws.run([
        'encode',
        '--subject',
        'users',
        '{"first_name":"a","last_name":"b","age":1}',
      ]);
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(run.stderr).toContain('subject "users" not found (did you mean "user"?)');
    });

    it('an unknown subject like none: no suggestion', async () => {
      const run = await ws.run(['versions', 'payments-value']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('subject "payments-value" not found');
      expect(run.stderr).not.toContain('did you mean');
    });
  });

  describe('cli > registry administration > schema', () => {
    it('prints the latest schema text as registered', async () => {
      const run = await ws.run(['schema', 'user']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toBe(
        `${userSchemaWith({ name: 'email', type: ['null', 'string'], default: null })}\n`,
      );
    });

    it('--version N prints that version', async () => {
      const run = await ws.run(['schema', 'user', '--version', '1']);
      const { readFile } = await import('node:fs/promises');
      expect(run.stdout.trimEnd()).toBe((await readFile(userSchemaFile, 'utf8')).trimEnd());
    });

    it('--id N --json prints the whole record with its references', async () => {
      const run = await ws.run(['schema', '--id', '2', '--json']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(jsonLines(run)).toEqual([
        {
          subject: 'user',
          version: 2,
          id: 2,
          schemaType: 'AVRO',
          schema: userSchemaWith({ name: 'email', type: ['null', 'string'], default: null }),
          references: [],
        },
      ]);
    });

    it('a subject and --id together: usage error', async () => {
      const run = await ws.run(['schema', 'user', '--id', '1']);
      expect(run.code).toBe(2);
      expect(errorLines(run)[0]).toBe('error: cannot get schema: name a subject or give --id, not both');
    });

    it('an id the registry does not have: exit 1', async () => {
      const run = await ws.run(['schema', '--id', '99']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('99');
    });

    it('a misspelt subject names the one meant', async () => {
      const run = await ws.run(['schema', 'usr']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('(did you mean "user"?)');
    });
  });

  describe('cli > registry administration > config', () => {
    it('prints the global level, sets it, and a subject falls back to it', async () => {
      expect(jsonLines(await ws.run(['config']))).toEqual([{ subject: null, compatibility: 'BACKWARD' }]);
      const set = await ws.run(['config', 'order-value', '--set', 'full_transitive']);
      expect(set).toMatchObject({ code: 0, stderr: '' });
      expect(jsonLines(set)).toEqual([{ subject: 'order-value', compatibility: 'FULL_TRANSITIVE' }]);
      expect(jsonLines(await ws.run(['config', 'order-value']))).toEqual([
        { subject: 'order-value', compatibility: 'FULL_TRANSITIVE' },
      ]);
      expect(jsonLines(await ws.run(['config', 'user']))).toEqual([
        { subject: 'user', compatibility: 'BACKWARD' },
      ]);
    });

    it('an unknown level: usage error naming the levels', async () => {
      const run = await ws.run(['config', '--set', 'sideways']);
      expect(run.code).toBe(2);
      expect(errorLines(run)[0]).toBe(
        'error: cannot parse arguments: --set must be one of "NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE", got "sideways"',
      );
    });
  });

  describe('cli > registry administration > delete', () => {
    it('soft then permanent, a version then the subject', async () => {
      const ws2 = await Workspace.create();
      try {
        await ws2.registerUser('user');
        const file = await ws2.file(
          'v2.avsc',
          userSchemaWith({ name: 'nick', type: ['null', 'string'], default: null }),
        );
        await ws2.run(['register', file, '--subject', 'user']);

        const version = await ws2.run(['delete', 'user', '--version', '2']);
        expect(version).toMatchObject({ code: 0, stderr: '' });
        expect(jsonLines(version)).toEqual([{ subject: 'user', versions: [2], permanent: false }]);
        expect(jsonLines(await ws2.run(['versions', 'user']))).toEqual([
          { subject: 'user', version: 1, id: 1 },
        ]);

        const hard = await ws2.run(['delete', 'user', '--version', '2', '--permanent']);
        expect(jsonLines(hard)).toEqual([{ subject: 'user', versions: [2], permanent: true }]);

        const early = await ws2.run(['delete', 'user', '--permanent']);
        expect(early.code).toBe(1);
        expect(early.stderr).toContain('user');

        expect(jsonLines(await ws2.run(['delete', 'user']))).toEqual([
          { subject: 'user', versions: [1], permanent: false },
        ]);
        expect(jsonLines(await ws2.run(['subjects']))).toEqual([]);
        expect(jsonLines(await ws2.run(['subjects', '--deleted']))).toEqual([
          { subject: 'user', deleted: true },
        ]);

        expect(jsonLines(await ws2.run(['delete', 'user', '--permanent']))).toEqual([
          { subject: 'user', versions: [1], permanent: true },
        ]);
        expect(jsonLines(await ws2.run(['subjects', '--deleted']))).toEqual([]);
      } finally {
        await ws2.remove();
      }
    });

    it('a misspelt subject names the one meant', async () => {
      const run = await ws.run(['delete', 'usre']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('(did you mean "user"?)');
      expect(jsonLines(await ws.run(['subjects']))).toEqual([
        { subject: 'order-value' },
        { subject: 'user' },
      ]);
    });
  });

  describe('cli > registry administration > compatibility', () => {
    it('is check under its Confluent API name', async () => {
      const breaking = await ws.file(
        'user-breaking.avsc',
        userSchemaWith({ name: 'email2', type: 'string' }),
      );
      const run = await ws.run(['compatibility', breaking, '--subject', 'user']);
      expect(run.code).toBe(1);
      const [result] = jsonLines(run) as { compatible: boolean; messages: string[] }[];
      expect(result!.compatible).toBe(false);
      expect(result!.messages.join('\n')).toContain('email2');
    });
  });
});
