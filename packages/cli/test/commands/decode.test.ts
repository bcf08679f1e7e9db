import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCli as runCliInProcess } from '@schemawire/cli';
import { escapeControlCharacters, parseJsonExactly, stringifyJsonExactly } from '@schemawire/core-client';
import fc from 'fast-check';
import type { CliRun } from '../support/cli-process.js';
import {
  errorLines,
  jsonLines,
  repoRoot,
  runCli,
  USER,
  userSchemaFile,
  userSchemaWith,
  Workspace,
} from '../support/cli-process.js';
import { startStubRegistry } from '../support/stub-registry.js';

const USER_JSON = JSON.stringify(USER);
const myMessageFile = join(repoRoot, 'schemas/my_message.proto');
const MY_MESSAGE = { id: 1, name: 'John Doe', age: 30 };
/** The tutorial's Avro producer's bytes: the bare body of USER, no schema id. */
const RAW_USER = Buffer.from([0x08, ...Buffer.from('John'), 0x06, ...Buffer.from('Doe'), 0x3c]);
/** The tutorial's Protobuf producer's bytes: MY_MESSAGE serialized, no schema id. */
const RAW_MY_MESSAGE = Buffer.from([0x08, 0x01, 0x12, 0x08, ...Buffer.from('John Doe'), 0x18, 0x1e]);
const NOT_UTF8 = Buffer.from([0xff, 0xfe, 0x00, 0x41]);

// A run with no registry option at all, in `cwd`.
const runWithoutRegistry = (args: readonly string[], cwd: string) => runCli(args, { cwd });

interface Framed {
  readonly value: string;
  readonly key: string | null;
  readonly headers: Record<string, string>;
}

/** The decode arguments that hand a framed message (value, key, headers) back to the CLI. */
function decodeArgs(framed: Framed): string[] {
  const args = ['decode', framed.value];
  if (framed.key !== null) args.push('--key', framed.key, '--key-carrier');
  for (const [name, value] of Object.entries(framed.headers)) args.push('--header', `${name}=${value}`);
  return args;
}

function expectNoStack(run: CliRun): void {
  expect(errorLines(run)).toHaveLength(1);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

describe('cli > decode', () => {
  let ws: Workspace;
  let id: number;
  beforeAll(async () => {
    ws = await Workspace.create();
    id = await ws.registerUser();
  });
  afterAll(() => ws.remove());

  describe('cli > decode > round trip', () => {
    it('prefix: decodes what encode printed', async () => {
      const encoded = await ws.run(['encode', '--subject', 'user-value', USER_JSON]);
      const run = await ws.run(['decode', encoded.stdout.trim()]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(jsonLines(run)).toEqual([
        { schemaId: id, schemaType: 'AVRO', subject: 'user-value', value: USER },
      ]);
    });

    it('prefix in hex: decodes with --format hex', async () => {
      const encoded = await ws.run(['encode', '--subject', 'user-value', '--format', 'hex', USER_JSON]);
      const run = await ws.run(['decode', '--format', 'hex', encoded.stdout.trim()]);
      expect(jsonLines(run)).toEqual([
        { schemaId: id, schemaType: 'AVRO', subject: 'user-value', value: USER },
      ]);
    });

    for (const carrier of ['header', 'apicurio', 'key'] as const) {
      it(`${carrier}: decodes with the key and headers encode printed`, async () => {
        const encoded = await ws.run(['encode', '--subject', 'user-value', '--carrier', carrier, USER_JSON]);
        const [framed] = jsonLines(encoded) as Framed[];
        const run = await ws.run(decodeArgs(framed!));
        expect(run).toMatchObject({ code: 0, stderr: '' });
        expect(jsonLines(run)).toEqual([
          { schemaId: id, schemaType: 'AVRO', subject: 'user-value', value: USER },
        ]);
      });
    }

    it('key in hex: --format hex applies to the key too', async () => {
      const encoded = await ws.run([
        'encode',
        '--subject',
        'user-value',
        '--carrier',
        'key',
        '--format',
        'hex',
        USER_JSON,
      ]);
      const [framed] = jsonLines(encoded) as Framed[];
      const run = await ws.run([...decodeArgs(framed!), '--format', 'hex']);
      expect(jsonLines(run)).toEqual([
        { schemaId: id, schemaType: 'AVRO', subject: 'user-value', value: USER },
      ]);
    });
  });

  describe('cli > decode > key carrier', () => {
    it('does not read the schema id from --key without --key-carrier, and says how to', async () => {
      const encoded = await ws.run(['encode', '--subject', 'user-value', '--carrier', 'key', USER_JSON]);
      const [framed] = jsonLines(encoded) as Framed[];
      const run = await ws.run(['decode', framed!.value, '--key', framed!.key!]);
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(errorLines(run)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^error: cannot find schema id: .*; if the key "${id}" is the schema id, give --key-carrier$`,
          ),
        ),
      ]);
    });

    it('decodes a key that is no schema id as a key of its own, with --fallback', async () => {
      const run = await ws.run([
        'decode',
        Buffer.from('message number 1').toString('base64'),
        '--key',
        Buffer.from(String(id)).toString('base64'),
        '--fallback',
        'string',
      ]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(jsonLines(run)).toEqual([{ schemaType: 'STRING', value: 'message number 1' }]);
    });

    it('--help tells that the key carrier is off unless --key-carrier', async () => {
      const run = await ws.run(['decode', '--help']);
      expect(run.stdout).toMatch(/--key-carrier +read the value's schema id from the key/);
    });
  });

  it('prints bytes in a decoded value as base64', async () => {
    const file = await ws.file(
      'blob.avsc',
      JSON.stringify({ type: 'record', name: 'Blob', fields: [{ name: 'data', type: 'bytes' }] }),
    );
    const blobId = (jsonLines(await ws.run(['register', file]))[0] as { id: number }).id;
    // Avro body: zig-zag length 3 (0x06), then the bytes 01 02 03.
    const wire = Buffer.concat([Buffer.from([0]), Buffer.alloc(4), Buffer.from([0x06, 1, 2, 3])]);
    wire.writeUInt32BE(blobId, 1);
    const run = await ws.run(['decode', '--format', 'hex', wire.toString('hex')]);
    expect(jsonLines(run)).toEqual([
      { schemaId: blobId, schemaType: 'AVRO', subject: 'blob', value: { data: 'AQID' } },
    ]);
  });

  describe('cli > decode > the subject', () => {
    // The registry serves schema 1, but cannot say (or says in a shape of its own) which subject holds it.
    it.each([
      ['fails', [500, { error_code: 50001, message: 'store down' }]],
      ['answers something other than a list', [200, { subjects: ['user-value'] }]],
      ['answers an entry without a subject', [200, [{ version: 1 }]]],
      ['answers an empty list', [200, []]],
    ] as const)(
      'decodes the value, with the subject null, when the lookup %s',
      async (_, versionsAnswer) => {
        const schema = (await readFile(userSchemaFile, 'utf8')).trim();
        const registry = await startStubRegistry((_method, path) =>
          path === '/schemas/ids/1/versions' ? versionsAnswer : [200, { schema }],
        );
        try {
          const wire = Buffer.concat([
            Buffer.from([0, 0, 0, 0, 1]),
            Buffer.from('CEpvaG4GRG9lPA==', 'base64'),
          ]);
          const run = await ws.run(['decode', wire.toString('base64'), '--registry', registry.url]);
          expect(run).toMatchObject({ code: 0, stderr: '' });
          expect(jsonLines(run)).toEqual([{ schemaId: 1, schemaType: 'AVRO', subject: null, value: USER }]);
        } finally {
          await registry.close();
        }
      },
      15_000,
    );
  });

  describe('cli > decode > failures', () => {
    it('garbage: fails with one line and no stack trace', async () => {
      const run = await ws.run(['decode', Buffer.from('garbage').toString('base64')]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(errorLines(run)[0]).toMatch(/^error: cannot /);
      expectNoStack(run);
    });

    it('an unknown schema id: fails naming the id', async () => {
      const wire = Buffer.from([0, 0, 0, 0x03, 0xe7, 0x02]);
      const run = await ws.run(['decode', wire.toString('base64')]);
      expect(run.code).toBe(1);
      expect(errorLines(run)[0]).toMatch(/^error: .*\b999\b/);
      expectNoStack(run);
    });

    it('a body that does not fit the schema: fails with one line', async () => {
      const wire = Buffer.from([0, 0, 0, 0, 0, 0xff, 0xff]);
      wire.writeUInt32BE(id, 1);
      const run = await ws.run(['decode', wire.toString('base64')]);
      expect(run.code).toBe(1);
      expectNoStack(run);
    });

    it('text that is not base64 or hex: fails naming the encoding', async () => {
      const base64 = await ws.run(['decode', '!!not base64!!']);
      expect(base64.code).toBe(1);
      expect(errorLines(base64)).toEqual([
        expect.stringMatching(/^error: cannot read payload: .* is not base64$/),
      ]);
      const hex = await ws.run(['decode', '--format', 'hex', 'abc']);
      expect(hex.code).toBe(1);
      expect(errorLines(hex)).toEqual([expect.stringMatching(/^error: cannot read payload: .* is not hex$/)]);
    });
  });

  it('any bytes decode to one JSON line or fail with one error line, never a crash', async () => {
    const prefixed = fc.uint8Array({ maxLength: 32 }).map((body) => {
      const wire = Buffer.concat([Buffer.alloc(5), body]);
      wire.writeUInt32BE(id, 1);
      return wire;
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 32 }), prefixed), async (bytes) => {
        const stdout = new PassThrough();
        const stderr = new PassThrough();
        const io = { stdin: new PassThrough(), stdout, stderr, env: {}, cwd: ws.dir };
        const args = ['decode', Buffer.from(bytes).toString('base64'), '--registry-dir', 'registry'];
        const code = await runCliInProcess(args, io);
        const out = String(stdout.read() ?? '');
        const err = String(stderr.read() ?? '');
        if (code === 0) {
          expect(err).toBe('');
          expect(JSON.parse(out)).toMatchObject({ schemaId: id, schemaType: 'AVRO' });
        } else {
          expect(code).toBe(1);
          expect(out).toBe('');
          expect(err).toMatch(/^error: [^\n]+\n$/);
        }
      }),
      { numRuns: 200 },
    );
  });

  describe("cli > decode > raw payloads (the tutorial's producers: no schema id)", () => {
    it('--schema .avsc: decodes a bare Avro body with the file', async () => {
      const run = await ws.run(['decode', '--schema', userSchemaFile, RAW_USER.toString('base64')]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(jsonLines(run)).toEqual([{ schemaType: 'AVRO', value: USER }]);
    });

    it('--schema .proto --message: decodes a bare Protobuf body as that message', async () => {
      const run = await ws.run([
        'decode',
        '--schema',
        myMessageFile,
        '--message',
        'io.schemawire.example.MyMessage',
        RAW_MY_MESSAGE.toString('hex'),
        '--format',
        'hex',
      ]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(jsonLines(run)).toEqual([{ schemaType: 'PROTOBUF', value: MY_MESSAGE }]);
    });

    it('--schema .json: reads a bare JSON body, and fails on one that is not JSON', async () => {
      const schema = await ws.file('id.json', '{"type":"object","properties":{"id":{"type":"integer"}}}');
      const good = await ws.run(['decode', '--schema', schema, Buffer.from('{"id":7}').toString('base64')]);
      const bad = await ws.run(['decode', '--schema', schema, Buffer.from('{"id":').toString('base64')]);
      expect(jsonLines(good)).toEqual([{ schemaType: 'JSON', value: { id: 7 } }]);
      expect(bad.code).toBe(1);
      expectNoStack(bad);
    });

    it('--schema: a payload that carries a schema id still decodes with the registry', async () => {
      const encoded = await ws.run(['encode', '--subject', 'user-value', USER_JSON]);
      const run = await ws.run(['decode', '--schema', myMessageFile, encoded.stdout.trim()]);
      expect(jsonLines(run)).toEqual([
        { schemaId: id, schemaType: 'AVRO', subject: 'user-value', value: USER },
      ]);
    });

    it('--schema: needs no registry for a raw payload', async () => {
      const empty = await Workspace.create();
      try {
        const run = await runWithoutRegistry(
          ['decode', '--schema', userSchemaFile, RAW_USER.toString('base64')],
          empty.dir,
        );
        expect(jsonLines(run)).toEqual([{ schemaType: 'AVRO', value: USER }]);
        expect(await readdir(empty.dir)).toEqual([]);
      } finally {
        await empty.remove();
      }
    });

    it('--schema: a body the schema cannot read fails with exit 1, naming the file', async () => {
      const run = await ws.run([
        'decode',
        '--schema',
        userSchemaFile,
        Buffer.from([0x08]).toString('base64'),
      ]);
      expect(run.code).toBe(1);
      expectNoStack(run);
      expect(errorLines(run)[0]).toContain('user.avsc');
    });

    it("--reader-schema: reads the writer's record into the reader's (Avro schema resolution)", async () => {
      const reader = await ws.file(
        'user-v2.avsc',
        userSchemaWith({ name: 'email', type: ['null', 'string'], default: null }),
      );
      const raw = await ws.run([
        'decode',
        '--schema',
        userSchemaFile,
        '--reader-schema',
        reader,
        RAW_USER.toString('base64'),
      ]);
      const encoded = await ws.run(['encode', '--subject', 'user-value', USER_JSON]);
      const prefixed = await ws.run(['decode', '--reader-schema', reader, encoded.stdout.trim()]);
      expect(jsonLines(raw)).toEqual([{ schemaType: 'AVRO', value: { ...USER, email: null } }]);
      expect(jsonLines(prefixed)).toEqual([
        { schemaId: id, schemaType: 'AVRO', subject: 'user-value', value: { ...USER, email: null } },
      ]);
    });

    it('--fallback string: prints bytes that are not UTF-8 as base64, labelled BYTES', async () => {
      const run = await ws.run(['decode', '--fallback', 'string', NOT_UTF8.toString('base64')]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(jsonLines(run)).toEqual([{ schemaType: 'BYTES', value: NOT_UTF8.toString('base64') }]);
    });

    it.each([
      ['JSON', Buffer.from('{"id": 1, "name": "John Doe", "age": 30}'), { id: 1, name: 'John Doe', age: 30 }],
      ['STRING', Buffer.from('message number 0'), 'message number 0'],
      ['BYTES', NOT_UTF8, NOT_UTF8.toString('base64')],
    ])('--fallback auto: reads a payload as %s', async (schemaType, payload, value) => {
      const run = await ws.run(['decode', '--fallback', 'auto', payload.toString('base64')]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(jsonLines(run)).toEqual([{ schemaType, value }]);
    });
  });

  describe('cli > decode > schemaless fallback', () => {
    it('string: prints the payload as text, without a schema id', async () => {
      const run = await ws.run(['decode', '--fallback', 'string', Buffer.from('hello').toString('base64')]);
      expect(run.code).toBe(0);
      expect(jsonLines(run)).toEqual([{ schemaType: 'STRING', value: 'hello' }]);
    });

    it('json: prints the payload parsed', async () => {
      const run = await ws.run([
        'decode',
        '--fallback',
        'json',
        Buffer.from('{"a":[1,2]}').toString('base64'),
      ]);
      expect(run.code).toBe(0);
      expect(jsonLines(run)).toEqual([{ schemaType: 'JSON', value: { a: [1, 2] } }]);
    });

    it('json: quotes a payload that is not JSON with its control characters escaped', async () => {
      const payload = Buffer.from('\u001b]0;owned\u0007\u001b[2J').toString('base64');
      const run = await ws.run(['decode', '--fallback', 'json', payload]);
      expect(run.code).toBe(1);
      // Nothing left to escape but the line end.
      expect(escapeControlCharacters(run.stderr.trimEnd())).toBe(run.stderr.trimEnd());
      expect(errorLines(run)).toEqual([expect.stringContaining('\\u001b]0;owned\\u0007\\u001b[2J')]);
    });

    it('json: fails with one line when the payload is not JSON', async () => {
      const run = await ws.run(['decode', '--fallback', 'json', Buffer.from('hello').toString('base64')]);
      expect(run.code).toBe(1);
      expectNoStack(run);
    });
  });

  it('rejects a missing payload, a bad header and an unknown fallback as usage errors', async () => {
    for (const args of [
      ['decode'],
      ['decode', 'AA==', '--header', 'no-equals'],
      ['decode', 'AA==', '--fallback', 'xml'],
      ['decode', 'AA==', '--format', 'octal'],
    ]) {
      const run = await ws.run(args);
      expect(run.code).toBe(2);
      expect(errorLines(run)).toEqual([expect.stringMatching(/^error: /), "see 'schemawire decode --help'"]);
    }
  });
});

/** A format's schema, and values of its 64-bit fields at the edges, one JSON line each as written. */
interface LongCase {
  readonly type: string;
  readonly file: string;
  readonly schema: string;
  readonly lines: readonly string[];
  /** Whether --longs string prints every 64-bit integer as text (a typed field) or only the unsafe ones. */
  readonly typed: boolean;
}

const MAX = '9223372036854775807';
const MIN = '-9223372036854775808';
const NEAR = '9007199254740993';
const UMAX = '18446744073709551615';

const LONG_CASES: readonly LongCase[] = [
  {
    type: 'avro',
    file: 'row.avsc',
    schema: JSON.stringify({
      type: 'record',
      name: 'Row',
      fields: [
        { name: 'id', type: 'long' },
        { name: 'maybe', type: ['null', 'long'] },
      ],
    }),
    lines: [`{"id":${MAX},"maybe":${MIN}}`, `{"id":${NEAR},"maybe":null}`, `{"id":-${NEAR},"maybe":7}`],
    typed: true,
  },
  {
    type: 'protobuf',
    file: 'row.proto',
    schema:
      'syntax = "proto3"; message Row { int64 id = 1; uint64 count = 2; sint64 delta = 3; fixed64 mask = 4; sfixed64 low = 5; }',
    lines: [
      `{"id":${MAX},"count":${UMAX},"delta":${MIN},"mask":${UMAX},"low":${MIN}}`,
      `{"id":${NEAR},"count":${NEAR},"delta":-${NEAR},"mask":${NEAR},"low":-${NEAR}}`,
      // Not 0: the proto3 JSON mapping leaves out fields that hold their default.
      `{"id":5,"count":7,"delta":-5,"mask":1,"low":-1}`,
    ],
    typed: true,
  },
  {
    type: 'json',
    file: 'row.json',
    schema: JSON.stringify({
      type: 'object',
      properties: { id: { type: 'integer' }, n: { type: 'integer' } },
    }),
    lines: [`{"id":${MAX},"n":${UMAX}}`, `{"id":${MIN},"n":${NEAR}}`, `{"id":5,"n":-${NEAR}}`],
    typed: false,
  },
];

/** The value of each line decode printed, read exactly. */
function decodedValues(runs: readonly CliRun[]): unknown[] {
  return runs.map((run) => {
    expect(run).toMatchObject({ code: 0, stderr: '' });
    return (parseJsonExactly(run.stdout) as { value: unknown }).value;
  });
}

/** `value` with its integers (bigints, and numbers too when `all`) as decimal text. */
function longsAsText(value: unknown, all: boolean): unknown {
  if (typeof value === 'bigint' || (all && typeof value === 'number')) return String(value);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, longsAsText(item, all)]));
}

describe('cli > decode > 64-bit integers', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await Workspace.create();
  });
  afterAll(() => ws.remove());

  it.each(LONG_CASES)(
    '$type: decode prints what encode read, with all its digits, and encode reads it back into the same bytes',
    async ({ type, file, schema, lines, typed }) => {
      const subject = `${type}-rows-value`;
      expect((await ws.run(['register', await ws.file(file, schema), '--subject', subject])).code).toBe(0);
      const encoded = await ws.run(['encode', '--subject', subject, '-'], { input: `${lines.join('\n')}\n` });
      expect(encoded).toMatchObject({ code: 0, stderr: '' });
      const payloads = encoded.stdout.trim().split('\n');

      const values = decodedValues(await Promise.all(payloads.map((payload) => ws.run(['decode', payload]))));
      expect(values).toEqual(lines.map((line) => parseJsonExactly(line)));
      const again = await ws.run(['encode', '--subject', subject, '-'], {
        input: `${values.map((value) => stringifyJsonExactly(value)).join('\n')}\n`,
      });
      expect(again.stdout.trim().split('\n')).toEqual(payloads);

      const texts = decodedValues(
        await Promise.all(payloads.map((payload) => ws.run(['decode', '--longs', 'string', payload]))),
      );
      expect(texts).toEqual(values.map((value) => longsAsText(value, typed)));
      if (typed) {
        // Decimal text is what 64-bit fields also take.
        const fromText = await ws.run(['encode', '--subject', subject, '-'], {
          input: `${texts.map((value) => JSON.stringify(value)).join('\n')}\n`,
        });
        expect(fromText.stdout.trim().split('\n')).toEqual(payloads);
      }
    },
  );

  it('refuses a --longs it does not know', async () => {
    const run = await ws.run(['decode', '--longs', 'hex', 'AA==']);

    expect(run.code).toBe(2);
    expect(errorLines(run)[0]).toContain('--longs must be one of "number", "string", got "hex"');
  });

  it('names the field of a long out of range', async () => {
    const subject = 'avro-rows-value';
    await ws.run(['register', await ws.file('row.avsc', LONG_CASES[0]!.schema), '--subject', subject]);
    const run = await ws.run(['encode', '--subject', subject, '{"id":9223372036854775808,"maybe":null}']);

    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      expect.stringContaining('field "id" expected "long", got 9223372036854775808n'),
    ]);
  });
});

describe('cli > decode > proto3 JSON mapping', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await Workspace.create();
  });
  afterAll(() => ws.remove());

  it('prints a Timestamp as RFC 3339 text, and encode reads the line back into the same bytes', async () => {
    const schema = `syntax = "proto3";
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
message Visit { string page_id = 1; google.protobuf.Timestamp at = 2; google.protobuf.Duration took = 3; int64 id = 4; }`;
    expect(
      (await ws.run(['register', await ws.file('visit.proto', schema), '--subject', 'visits-value'])).code,
    ).toBe(0);
    const line = '{"pageId":"home","at":"2026-01-02T03:04:05.678Z","took":"1.500s","id":9007199254740993}';
    const encoded = await ws.run(['encode', '--subject', 'visits-value', line]);
    expect(encoded).toMatchObject({ code: 0, stderr: '' });

    const decoded = await ws.run(['decode', encoded.stdout.trim()]);
    expect(decoded).toMatchObject({ code: 0, stderr: '' });
    const printed = stringifyJsonExactly((parseJsonExactly(decoded.stdout) as { value: unknown }).value)!;
    expect(printed).toBe(line);
    const again = await ws.run(['encode', '--subject', 'visits-value', printed]);
    expect(again.stdout).toBe(encoded.stdout);
  });
});
