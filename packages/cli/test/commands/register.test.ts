import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { errorLines, jsonLines, userSchemaFile, userSchemaWith, Workspace } from '../support/cli-process.js';

describe('cli > register', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await Workspace.create();
  });
  afterAll(() => ws.remove());

  it('names the subject after the file and prints subject, version and id', async () => {
    const run = await ws.run(['register', userSchemaFile]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(jsonLines(run)).toEqual([{ subject: 'user', version: 1, id: expect.any(Number) }]);
  });

  it('answers a second registration of the same schema with the same id and version', async () => {
    const first = jsonLines(await ws.run(['register', userSchemaFile, '--subject', 'again-value']));
    const second = jsonLines(await ws.run(['register', userSchemaFile, '--subject', 'again-value']));
    expect(second).toEqual(first);
    expect(first).toEqual([{ subject: 'again-value', version: 1, id: expect.any(Number) }]);
  });

  it('registers a compatible new schema as version 2 with a new id', async () => {
    const [v1] = jsonLines(await ws.run(['register', userSchemaFile, '--subject', 'evolve-value'])) as {
      id: number;
    }[];
    const v2File = await ws.file(
      'user-v2.avsc',
      userSchemaWith({ name: 'email', type: ['null', 'string'], default: null }),
    );
    const run = await ws.run(['register', v2File, '--subject', 'evolve-value']);
    expect(run.code).toBe(0);
    const [v2] = jsonLines(run) as { id: number; version: number }[];
    expect(v2).toEqual({ subject: 'evolve-value', version: 2, id: expect.any(Number) });
    expect(v2!.id).not.toBe(v1!.id);
  });

  it('fails with one error line when the new schema breaks compatibility', async () => {
    await ws.run(['register', userSchemaFile, '--subject', 'strict-value']);
    const breaking = await ws.file('user-breaking.avsc', userSchemaWith({ name: 'email', type: 'string' }));
    const run = await ws.run(['register', breaking, '--subject', 'strict-value']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(errorLines(run)).toEqual([expect.stringMatching(/^error: .*email/)]);
  });

  it('prints one line per file, each under its own name', async () => {
    const order = await ws.file(
      'order.avsc',
      JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'long' }] }),
    );
    const run = await ws.run(['register', userSchemaFile, order]);
    expect(run.code).toBe(0);
    expect(jsonLines(run).map((line) => (line as { subject: string }).subject)).toEqual(['user', 'order']);
  });

  it('takes the type from --type when the extension does not tell it', async () => {
    const text = await ws.file('user-schema.txt', userSchemaWith());
    const untyped = await ws.run(['register', text]);
    expect(untyped.code).toBe(2);
    expect(untyped.stderr).toContain('--type');
    const typed = await ws.run(['register', text, '--type', 'avro']);
    expect(typed.code).toBe(0);
    expect(jsonLines(typed)).toEqual([{ subject: 'user-schema', version: 1, id: expect.any(Number) }]);
  });

  it('registers a schema that references another registered one', async () => {
    const address = await ws.file(
      'address.avsc',
      JSON.stringify({
        type: 'record',
        name: 'Address',
        namespace: 'io.schemawire.example',
        fields: [{ name: 'city', type: 'string' }],
      }),
    );
    expect((await ws.run(['register', address])).code).toBe(0);
    const customer = await ws.file(
      'customer.avsc',
      JSON.stringify({
        type: 'record',
        name: 'Customer',
        namespace: 'io.schemawire.example',
        fields: [{ name: 'address', type: 'io.schemawire.example.Address' }],
      }),
    );
    const run = await ws.run([
      'register',
      customer,
      '--reference',
      'io.schemawire.example.Address=address:1',
    ]);
    expect(run.stderr).toBe('');
    expect(jsonLines(run)).toEqual([{ subject: 'customer', version: 1, id: expect.any(Number) }]);
  });

  it('registers Protobuf and JSON Schema files by their extensions', async () => {
    const proto = await ws.file('greeting.proto', 'syntax = "proto3"; message Greeting { string text = 1; }');
    const json = await ws.file('farewell.json', '{"type":"object","properties":{"text":{"type":"string"}}}');
    const run = await ws.run(['register', proto, json]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(jsonLines(run)).toEqual([
      { subject: 'greeting', version: 1, id: expect.any(Number) },
      { subject: 'farewell', version: 1, id: expect.any(Number) },
    ]);
    const encoded = await ws.run(['encode', '--subject', 'greeting', '{"text":"hi"}']);
    const decoded = await ws.run(['decode', encoded.stdout.trim()]);
    expect(jsonLines(decoded)).toEqual([
      { schemaId: expect.any(Number), schemaType: 'PROTOBUF', subject: 'greeting', value: { text: 'hi' } },
    ]);
  });

  it('fails naming the file when it does not exist', async () => {
    const run = await ws.run(['register', 'missing.avsc']);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual(['error: cannot read schema file "missing.avsc": no such file']);
  });

  it('rejects --subject with several files and malformed references as usage errors', async () => {
    const several = await ws.run(['register', userSchemaFile, userSchemaFile, '--subject', 's']);
    expect(several.code).toBe(2);
    expect(errorLines(several)[1]).toBe("see 'schemawire register --help'");
    const reference = await ws.run(['register', userSchemaFile, '--reference', 'no-version']);
    expect(reference.code).toBe(2);
    expect(reference.stderr).toContain('name=subject:version');
    expect((await ws.run(['register'])).code).toBe(2);
  });
});

describe('cli > register > folder', () => {
  const address = JSON.stringify({
    type: 'record',
    name: 'Address',
    namespace: 'io.schemawire.example',
    fields: [{ name: 'city', type: 'string' }],
  });
  const customer = JSON.stringify({
    type: 'record',
    name: 'Customer',
    namespace: 'io.schemawire.example',
    fields: [{ name: 'address', type: 'io.schemawire.example.Address' }],
  });
  let ws: Workspace;
  beforeEach(async () => {
    ws = await Workspace.create();
    await mkdir(join(ws.dir, 'schemas'));
  });
  afterEach(() => ws.remove());

  it('registers every schema file under its name, referenced files first, as the manifest says', async () => {
    await ws.file('schemas/a-customer.avsc', customer);
    await ws.file('schemas/b-address.avsc', address);
    await ws.file('schemas/user.avsc', userSchemaWith());
    await ws.file(
      'schemas/schemas.json',
      JSON.stringify({
        'a-customer.avsc': {
          subject: 'customer-value',
          references: [{ name: 'io.schemawire.example.Address', file: 'b-address.avsc' }],
        },
      }),
    );
    const run = await ws.run(['register', '--dir', 'schemas']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(jsonLines(run)).toEqual([
      { file: join('schemas', 'b-address.avsc'), subject: 'b-address', version: 1, id: expect.any(Number) },
      {
        file: join('schemas', 'a-customer.avsc'),
        subject: 'customer-value',
        version: 1,
        id: expect.any(Number),
      },
      { file: join('schemas', 'user.avsc'), subject: 'user', version: 1, id: expect.any(Number) },
    ]);
    const again = await ws.run(['register', '--dir', 'schemas']);
    expect(jsonLines(again)).toEqual(jsonLines(run));
  });

  it('fails naming the manifest when it is wrong, registering nothing', async () => {
    await ws.file('schemas/user.avsc', userSchemaWith());
    await ws.file('schemas/schemas.json', JSON.stringify({ 'usr.avsc': { subject: 'user-value' } }));
    const run = await ws.run(['register', '--dir', 'schemas']);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^error: cannot read schema folder manifest .*"usr.avsc" is not a schema file/),
    ]);
  });

  it('fails with one line when the folder does not exist', async () => {
    const run = await ws.run(['register', '--dir', 'no-such-folder']);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^error: cannot read schema folder .*no-such-folder/),
    ]);
  });

  it('rejects files, --subject, --type and --reference beside --dir as usage errors', async () => {
    for (const extra of [
      [userSchemaFile],
      ['--subject', 's'],
      ['--type', 'avro'],
      ['--reference', 'a=b:1'],
    ]) {
      const run = await ws.run(['register', '--dir', 'schemas', ...extra]);
      expect(run.code).toBe(2);
      expect(errorLines(run)).toEqual([
        expect.stringMatching(/^error: cannot register schemas: --dir takes no files/),
        "see 'schemawire register --help'",
      ]);
    }
  });
});
