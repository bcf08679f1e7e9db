import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import type { SchemaFile } from '@schemawire/codegen';
import { generateTypes, readSchemaFiles } from '@schemawire/codegen';
import { ErrorCode } from '@schemawire/core-client';

const here = dirname(fileURLToPath(import.meta.url));
/** The fixtures, one folder a format: each folder is the root its files' imports and `$ref`s start from. */
const fixtureFolders = ['avro', 'protobuf', 'json'].map((folder) => join(here, 'fixtures', folder));

function schemaFile(path: string, text: unknown): SchemaFile {
  const schemaType = path.endsWith('.avsc') ? 'AVRO' : path.endsWith('.proto') ? 'PROTOBUF' : 'JSON';
  return { path, schemaType, text: typeof text === 'string' ? text : JSON.stringify(text) };
}

describe('codegen > generateTypes', () => {
  it('writes test/generated from test/fixtures (run `schemawire codegen` on the fixtures to update it)', async () => {
    const modules = generateTypes(await readSchemaFiles(fixtureFolders, here));
    expect(modules.map((module) => module.path)).toEqual([
      'address.ts',
      'common/money.ts',
      'customer.ts',
      'order.ts',
      'person.ts',
      'postal-address.ts',
    ]);
    for (const module of modules) {
      expect(module.text).toBe(await readFile(join(here, 'generated', module.path), 'utf8'));
    }
  });

  it('gives the same text for the same files, whatever their order', async () => {
    const files = await readSchemaFiles(fixtureFolders, here);
    const first = generateTypes(files);
    expect(generateTypes([...files].reverse())).toEqual(first);
  });

  it('types longs as the longs option says', () => {
    const file = schemaFile('id.avsc', {
      type: 'record',
      name: 'Id',
      fields: [{ name: 'id', type: 'long' }],
    });
    const decoded = (longs: 'bigint' | 'string' | 'number-or-bigint') =>
      /export interface Id \{\n {2}id: ([^;]*);/.exec(generateTypes([file], { longs })[0]!.text)?.[1];
    expect([decoded('number-or-bigint'), decoded('bigint'), decoded('string')]).toEqual([
      'number | bigint',
      'bigint',
      'string',
    ]);
  });

  it('names Protobuf fields by their .proto names with fieldNames proto', () => {
    const file = schemaFile('m.proto', 'syntax = "proto3"; message M { string first_name = 1; }');
    expect(generateTypes([file])[0]!.text).toContain('  firstName: string;');
    expect(generateTypes([file], { fieldNames: 'proto' })[0]!.text).toContain('  first_name: string;');
  });

  it('refuses a named type no file defines', () => {
    const file = schemaFile('a.avsc', { type: 'record', name: 'A', fields: [{ name: 'b', type: 'B' }] });
    expect(() => generateTypes([file])).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidSchema,
        message: 'cannot generate types of "a.avsc": no schema file defines "B"',
      }),
    );
  });

  it('refuses an import no file is', () => {
    const file = schemaFile('a.proto', 'syntax = "proto3"; import "b.proto"; message A { B b = 1; }');
    expect(() => generateTypes([file])).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidSchema,
        message: 'cannot generate types of "a.proto": no schema file is its import "b.proto"',
      }),
    );
  });

  it('refuses a $ref to a file it was not given', () => {
    const file = schemaFile('a.json', { type: 'object', properties: { b: { $ref: 'b.json' } } });
    expect(() => generateTypes([file])).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidSchema,
        message: 'cannot generate types of "a.json": no schema file is its $ref "b.json"',
      }),
    );
  });

  it('refuses a JSON schema the format refuses', () => {
    expect(() => generateTypes([schemaFile('a.json', { type: 'strng' })])).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidSchema }),
    );
  });

  it('refuses two files that would give one module', () => {
    const files = [schemaFile('a.avsc', '"string"'), schemaFile('a.json', { type: 'string' })];
    expect(() => generateTypes(files)).toThrow(
      expect.objectContaining({
        code: ErrorCode.Config,
        message: 'cannot generate types: "a.avsc" and "a.json" would both be "a.ts"',
      }),
    );
  });

  it('refuses a file that is not JSON', () => {
    expect(() => generateTypes([schemaFile('a.avsc', '{')])).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidSchema,
        message: expect.stringMatching(/^cannot parse schema file "a.avsc": invalid json: /),
      }),
    );
  });

  it('names a type after its full name when its own name is one the generated types use', () => {
    const schema = {
      type: 'record',
      name: 'Date',
      namespace: 'cal',
      fields: [{ name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } }],
    };
    const text = generateTypes([schemaFile('date.avsc', schema)])[0]!.text;
    expect(text).toContain('export interface cal_Date {\n  at: Date;\n}');
  });

  it('types a schema whose top level is no named type under the file name', () => {
    const text = generateTypes([schemaFile('user-ids.avsc', { type: 'array', items: 'long' })])[0]!.text;
    expect(text).toContain('export type UserIds = (number | bigint)[];');
    expect(text).toContain('export type UserIdsInput = readonly (number | bigint | string)[];');
    expect(text).toContain("export const UserIds: SchemaHandle<UserIds, UserIdsInput, 'UserIds'> = {");
  });
});
