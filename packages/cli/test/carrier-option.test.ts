import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorLines, USER, Workspace } from './support/cli-process.js';

// Measured before: the README's carrier names were refused (`--carrier must be one of "prefix",
// "header", "apicurio", "key", got "confluent-header"`).
describe('cli > carrier option > names', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await Workspace.create();
    await ws.registerUser();
  });
  afterAll(() => ws.remove());

  const encode = (carrier: string) =>
    ws.run(['encode', '--subject', 'user-value', '--carrier', carrier, JSON.stringify(USER)]);

  it('confluent-header and its alias header write the same message', async () => {
    const [named, alias] = await Promise.all([encode('confluent-header'), encode('header')]);
    expect(named).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(named.stdout)).toMatchObject({ headers: { __value_schema_id: expect.any(String) } });
    expect(alias.stdout).toBe(named.stdout);
  });

  it('apicurio-header and its alias apicurio write the same message', async () => {
    const [named, alias] = await Promise.all([encode('apicurio-header'), encode('apicurio')]);
    expect(named).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(named.stdout)).toMatchObject({
      headers: { 'apicurio.value.contentId': expect.any(String) },
    });
    expect(alias.stdout).toBe(named.stdout);
  });

  it('--apicurio-id goes with either name of the Apicurio carrier', async () => {
    const run = await ws.run([
      'encode',
      '--subject',
      'user-value',
      '--carrier',
      'apicurio-header',
      '--apicurio-id',
      'content',
      JSON.stringify(USER),
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  it('an unknown carrier lists the names and the aliases', async () => {
    const run = await encode('pigeon');
    expect(run.code).toBe(2);
    expect(errorLines(run)[0]).toBe(
      'error: cannot parse arguments: --carrier must be one of "prefix", "confluent-header", "apicurio-header", "key", "header", "apicurio", got "pigeon"',
    );
  });
});
