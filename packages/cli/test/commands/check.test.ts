import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorLines, jsonLines, userSchemaWith, Workspace } from '../support/cli-process.js';

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
