import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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

const USER_JSON = JSON.stringify(USER);

interface Framed {
  readonly value: string;
  readonly key: string | null;
  readonly headers: Record<string, string>;
}

describe('cli > encode', () => {
  let ws: Workspace;
  let id: number;
  beforeAll(async () => {
    ws = await Workspace.create();
    id = await ws.registerUser();
  });
  afterAll(() => ws.remove());

  describe('cli > encode > carriers', () => {
    it('prefix: prints base64 wire bytes that start with 00 and the schema id', async () => {
      const run = await ws.run(['encode', '--subject', 'user-value', USER_JSON]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const bytes = Buffer.from(run.stdout.trim(), 'base64');
      expect(bytes[0]).toBe(0);
      expect(bytes.readUInt32BE(1)).toBe(id);
      expect(bytes.subarray(5).toString('latin1')).toContain('John');
    });

    it('prefix with --format hex: prints hex that starts with 00 and the id', async () => {
      const run = await ws.run(['encode', '--subject', 'user-value', '--format', 'hex', USER_JSON]);
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toMatch(new RegExp(`^00${id.toString(16).padStart(8, '0')}([0-9a-f]{2})+$`));
    });

    it('header: the body travels bare and __value_schema_id holds 01 and a GUID', async () => {
      const run = await ws.run(['encode', '--subject', 'user-value', '--carrier', 'header', USER_JSON]);
      expect(run.code).toBe(0);
      const [framed] = jsonLines(run) as Framed[];
      expect(framed!.key).toBeNull();
      expect(Object.keys(framed!.headers)).toEqual(['__value_schema_id']);
      const header = Buffer.from(framed!.headers['__value_schema_id']!, 'base64');
      expect(header.length).toBe(17);
      expect(header[0]).toBe(1);
      expect(Buffer.from(framed!.value, 'base64')[0]).not.toBe(0);
    });

    it('apicurio: apicurio.value.contentId holds the id as an 8-byte long', async () => {
      const run = await ws.run(['encode', '--subject', 'user-value', '--carrier', 'apicurio', USER_JSON]);
      expect(run.code).toBe(0);
      const [framed] = jsonLines(run) as Framed[];
      expect(framed!.key).toBeNull();
      const header = Buffer.from(framed!.headers['apicurio.value.contentId']!, 'base64');
      expect(header.readBigInt64BE()).toBe(BigInt(id));
    });

    it('apicurio with --apicurio-id global: apicurio.value.globalId instead, and only with that carrier', async () => {
      const args = ['encode', '--subject', 'user-value', '--apicurio-id', 'global', USER_JSON];
      const run = await ws.run([...args, '--carrier', 'apicurio']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const [framed] = jsonLines(run) as Framed[];
      expect(Object.keys(framed!.headers)).toEqual(['apicurio.value.globalId']);
      expect(
        Buffer.from(framed!.headers['apicurio.value.globalId']!, 'base64').readBigInt64BE(),
      ).toBeGreaterThan(0n);
      const prefix = await ws.run(args);
      expect(prefix.code).toBe(2);
      expect(errorLines(prefix)[0]).toBe(
        'error: cannot parse arguments: --apicurio-id needs --carrier apicurio',
      );
    });

    it('key: the key holds the id as decimal text and there are no headers', async () => {
      const run = await ws.run([
        'encode',
        '--subject',
        'user-value',
        '--carrier',
        'key',
        '--format',
        'hex',
        USER_JSON,
      ]);
      expect(run.code).toBe(0);
      const [framed] = jsonLines(run) as Framed[];
      expect(framed!.headers).toEqual({});
      expect(Buffer.from(framed!.key!, 'hex').toString('utf8')).toBe(String(id));
    });
  });

  it('writes with the version --version names, the latest by default', async () => {
    const v1Id = await ws.registerUser('versions-value');
    const v2 = await ws.file(
      'user-v2.avsc',
      userSchemaWith({ name: 'email', type: ['null', 'string'], default: null }),
    );
    const v2Id = (
      jsonLines(await ws.run(['register', v2, '--subject', 'versions-value']))[0] as { id: number }
    ).id;
    const idOf = async (...args: string[]) => {
      const run = await ws.run(['encode', '--subject', 'versions-value', ...args, USER_JSON]);
      return Buffer.from(run.stdout.trim(), 'base64').readUInt32BE(1);
    };
    expect(v2Id).not.toBe(v1Id);
    expect(await idOf('--version', '1')).toBe(v1Id);
    expect(await idOf('--version', '2')).toBe(v2Id);
    expect(await idOf('--version', 'latest')).toBe(v2Id);
    expect(await idOf()).toBe(v2Id);
  });

  it('fails naming the field when the value does not fit the schema', async () => {
    const run = await ws.run([
      'encode',
      '--subject',
      'user-value',
      JSON.stringify({ ...USER, age: 'thirty' }),
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(errorLines(run)).toEqual([expect.stringMatching(/^error: .*age/)]);
  });

  it("writes the Protobuf message type --message names, the file's first by default", async () => {
    const proto = await ws.file(
      'shapes.proto',
      'syntax = "proto3"; package shapes; message Circle { int32 radius = 1; } message Square { int32 side = 1; }',
    );
    expect((await ws.run(['register', proto, '--subject', 'shapes-value'])).code).toBe(0);
    const square = await ws.run([
      'encode',
      '--subject',
      'shapes-value',
      '--message',
      'shapes.Square',
      '{"side":3}',
    ]);
    expect(square.code).toBe(0);
    expect(jsonLines(await ws.run(['decode', square.stdout.trim()]))).toEqual([
      expect.objectContaining({ schemaType: 'PROTOBUF', value: { side: 3 } }),
    ]);
    const circle = await ws.run(['encode', '--subject', 'shapes-value', '{"side":3}']);
    expect(circle.code).toBe(1);
    expect(errorLines(circle)).toEqual([
      expect.stringMatching(/^error: .*"side" is not in message shapes\.Circle/),
    ]);
  });

  it('takes Avro bytes, fixed and timestamps in the JSON forms decode prints them in', async () => {
    const schema = await ws.file(
      'blob.avsc',
      JSON.stringify({
        type: 'record',
        name: 'Blob',
        fields: [
          { name: 'data', type: 'bytes' },
          { name: 'digest', type: { type: 'fixed', name: 'Digest', size: 2 } },
          { name: 'note', type: ['null', 'string', 'bytes'] },
          { name: 'parts', type: { type: 'array', items: ['null', 'bytes'] } },
          { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
        ],
      }),
    );
    expect((await ws.run(['register', schema, '--subject', 'blob-value'])).code).toBe(0);
    const value = {
      data: 'AQID',
      digest: '//8=',
      note: 'AQID',
      parts: ['AA==', null],
      at: '2026-11-25T05:00:00.000Z',
    };
    const encoded = await ws.run(['encode', '--subject', 'blob-value', JSON.stringify(value)]);
    expect(encoded).toMatchObject({ code: 0, stderr: '' });
    // The union's string branch comes first: text there stays text.
    expect(jsonLines(await ws.run(['decode', encoded.stdout.trim()]))).toEqual([
      expect.objectContaining({ schemaType: 'AVRO', value }),
    ]);
  });

  it('takes back an Avro date as decode prints it, "YYYY-MM-DD", and writes the same bytes', async () => {
    const schema = await ws.file(
      'day.avsc',
      JSON.stringify({
        type: 'record',
        name: 'Day',
        fields: [{ name: 'on', type: { type: 'int', logicalType: 'date' } }],
      }),
    );
    expect((await ws.run(['register', schema, '--subject', 'day-value'])).code).toBe(0);
    const encoded = await ws.run(['encode', '--subject', 'day-value', '{"on":"2026-12-06"}']);
    expect(encoded).toMatchObject({ code: 0, stderr: '' });
    const [decoded] = jsonLines(await ws.run(['decode', encoded.stdout.trim()])) as { value: unknown }[];
    expect(decoded!.value).toEqual({ on: '2026-12-06' });
    const again = await ws.run(['encode', '--subject', 'day-value', JSON.stringify(decoded!.value)]);
    expect(again).toMatchObject({ code: 0, stdout: encoded.stdout });
  });

  it('refuses a field the Avro schema does not have, naming it', async () => {
    const run = await ws.run(['encode', '--subject', 'user-value', JSON.stringify({ ...USER, emial: 'x' })]);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual(['error: cannot serialize value: field "emial" is not in record "User"']);
  });

  it('writes again the same bytes from what decode prints, for every Avro logical type', async () => {
    const schema = await ws.file(
      'moments.avsc',
      JSON.stringify({
        type: 'record',
        name: 'Moments',
        fields: [
          { name: 'day', type: { type: 'int', logicalType: 'date' } },
          { name: 'alarm', type: { type: 'int', logicalType: 'time-millis' } },
          { name: 'lap', type: { type: 'long', logicalType: 'time-micros' } },
          { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
          { name: 'atMicros', type: { type: 'long', logicalType: 'timestamp-micros' } },
          { name: 'atNanos', type: { type: 'long', logicalType: 'timestamp-nanos' } },
          { name: 'wall', type: { type: 'long', logicalType: 'local-timestamp-micros' } },
          { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 30, scale: 4 } },
          { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
          { name: 'big', type: 'long' },
          { name: 'ratio', type: 'double' },
          { name: 'maybe', type: ['null', 'string', 'bytes'] },
          { name: 'until', type: ['null', { type: 'int', logicalType: 'date' }] },
        ],
      }),
    );
    expect((await ws.run(['register', schema, '--subject', 'moments-value'])).code).toBe(0);
    const value = {
      day: '2026-12-06',
      alarm: '07:30:00.000',
      lap: '00:01:02.000003',
      at: '2026-12-06T10:11:12.123Z',
      atMicros: '2026-12-06T10:11:12.123456Z',
      atNanos: '2026-12-06T10:11:12.123456789Z',
      wall: '2026-12-06T10:11:12.123456',
      price: '12345678901234567890.1234',
      id: '123e4567-e89b-12d3-a456-426614174000',
      big: '9223372036854775807',
      ratio: 'NaN',
      maybe: null,
      until: '2027-01-31',
    };
    const encoded = await ws.run(['encode', '--subject', 'moments-value', JSON.stringify(value)]);
    expect(encoded).toMatchObject({ code: 0, stderr: '' });
    const decoded = await ws.run(['decode', encoded.stdout.trim()]);
    const printed = /"value":(\{.*\})\}$/.exec(decoded.stdout.trim())![1]!;
    expect(printed).toBe(JSON.stringify(value).replace('"9223372036854775807"', '9223372036854775807'));
    const again = await ws.run(['encode', '--subject', 'moments-value', printed]);
    expect(again).toMatchObject({ code: 0, stdout: encoded.stdout });
    const tagged = { ...value, maybe: { bytes: 'AQID' }, until: { int: '2027-01-31' } };
    const avroJson = await ws.run([
      'encode',
      '--subject',
      'moments-value',
      '--unions',
      'avro-json',
      JSON.stringify(tagged),
    ]);
    const unwrapped = await ws.run([
      'encode',
      '--subject',
      'moments-value',
      '--unions',
      'unwrapped',
      JSON.stringify(tagged),
    ]);
    expect(avroJson.code).toBe(0);
    expect(unwrapped.code).toBe(1);
    expect(jsonLines(await ws.run(['decode', avroJson.stdout.trim()]))).toEqual([
      // JSON.parse reads the long as the nearest double.
      expect.objectContaining({
        value: { ...value, big: Number(value.big), maybe: 'AQID', until: '2027-01-31' },
      }),
    ]);
  });

  it('fails when the argument is not JSON', async () => {
    const run = await ws.run(['encode', '--subject', 'user-value', '{first_name']);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([expect.stringMatching(/^error: cannot encode value: it is not JSON/)]);
  });

  it('fails when the subject does not exist', async () => {
    const run = await ws.run(['encode', '--subject', 'nobody-value', USER_JSON]);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([expect.stringMatching(/^error: /)]);
  });

  describe("cli > encode > --raw (bare bodies, as the tutorial's consumers read them)", () => {
    const RAW_USER = Buffer.from([0x08, ...Buffer.from('John'), 0x06, ...Buffer.from('Doe'), 0x3c]);

    it('--schema .avsc --raw: prints the bare Avro body, needing no registry', async () => {
      const empty = await Workspace.create();
      try {
        const run = await runCli(['encode', '--schema', userSchemaFile, '--raw', USER_JSON], {
          cwd: empty.dir,
        });
        expect(run).toMatchObject({ code: 0, stderr: '' });
        expect(Buffer.from(run.stdout.trim(), 'base64')).toEqual(RAW_USER);
        expect(await readdir(empty.dir)).toEqual([]);
      } finally {
        await empty.remove();
      }
    });

    it("--subject --raw: prints the bare body of the subject's schema", async () => {
      const run = await ws.run(['encode', '--subject', 'user-value', '--raw', '--format', 'hex', USER_JSON]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout.trim()).toBe(RAW_USER.toString('hex'));
    });

    it('--schema .proto --message --raw: prints the bare Protobuf body, what decode --schema reads back', async () => {
      const proto = join(repoRoot, 'schemas/my_message.proto');
      const value = '{"id":1,"name":"John Doe","age":30}';
      const args = ['--schema', proto, '--message', 'io.schemawire.example.MyMessage'];
      const run = await ws.run(['encode', ...args, '--raw', value]);
      expect(Buffer.from(run.stdout.trim(), 'base64')).toEqual(
        Buffer.from([0x08, 0x01, 0x12, 0x08, ...Buffer.from('John Doe'), 0x18, 0x1e]),
      );
      const back = await ws.run(['decode', ...args, run.stdout.trim()]);
      expect(jsonLines(back)).toEqual([{ schemaType: 'PROTOBUF', value: JSON.parse(value) }]);
    });

    it.each([
      [
        '--raw with a carrier',
        ['--subject', 'user-value', '--raw', '--carrier', 'header'],
        '--raw writes no schema id',
      ],
      ['--schema without --raw', ['--schema', userSchemaFile], '--schema needs --raw'],
      [
        '--schema with --subject',
        ['--schema', userSchemaFile, '--subject', 'user-value', '--raw'],
        'not both',
      ],
    ])('refuses %s', async (_, args, message) => {
      const run = await ws.run(['encode', ...args, USER_JSON]);
      expect(run.code).toBe(2);
      expect(errorLines(run)[0]).toContain(message);
    });
  });

  describe('cli > encode > ndjson on stdin', () => {
    it('prints one line per value and skips blank lines', async () => {
      const input = `${USER_JSON}\n\n${JSON.stringify({ ...USER, age: 31 })}\n`;
      const run = await ws.run(['encode', '--subject', 'user-value', '-'], { input });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const lines = run.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).not.toBe(lines[1]);
    });

    it('stops at a bad line, naming its number, after printing the lines before it', async () => {
      const input = [USER_JSON, USER_JSON, JSON.stringify({ first_name: 'Jane' }), USER_JSON].join('\n');
      const run = await ws.run(['encode', '--subject', 'user-value', '--carrier', 'key', '-'], { input });
      expect(run.code).toBe(1);
      expect(jsonLines(run)).toHaveLength(2);
      expect(errorLines(run)).toEqual([expect.stringMatching(/^error: cannot encode line 3: /)]);
    });

    it('refuses a line that is not UTF-8, naming the line and byte offset, after the lines before it', async () => {
      // "J\xffohn": the invalid byte would otherwise be encoded as U+FFFD, changing the value.
      const bad = Buffer.concat([
        Buffer.from('{"first_name":"J'),
        Buffer.from([0xff]),
        Buffer.from('ohn","last_name":"Doe","age":30}'),
      ]);
      const input = Buffer.concat([Buffer.from(`${USER_JSON}\n`), bad, Buffer.from(`\n${USER_JSON}\n`)]);
      const run = await ws.run(['encode', '--subject', 'user-value', '-'], { input });
      expect(run.code).toBe(1);
      expect(run.stdout.trim().split('\n')).toHaveLength(1);
      expect(errorLines(run)).toEqual([
        'error: cannot encode line 2: it is not UTF-8 (byte 0xff at byte offset 16 of the line)',
      ]);
    });

    it('names the line of a value that is not JSON', async () => {
      const run = await ws.run(['encode', '--subject', 'user-value', '-'], {
        input: `${USER_JSON}\nnot json\n`,
      });
      expect(run.code).toBe(1);
      expect(run.stdout.trim().split('\n')).toHaveLength(1);
      expect(errorLines(run)).toEqual([expect.stringMatching(/^error: cannot encode line 2: .*not JSON/)]);
    });
  });

  it('rejects a missing subject or value and unknown carriers as usage errors', async () => {
    for (const args of [
      ['encode', USER_JSON],
      ['encode', '--subject', 'user-value'],
      ['encode', '--subject', 'user-value', '--carrier', 'pigeon', USER_JSON],
      ['encode', '--subject', 'user-value', '--version', 'first', USER_JSON],
    ]) {
      const run = await ws.run(args);
      expect(run.code).toBe(2);
      expect(errorLines(run)).toEqual([expect.stringMatching(/^error: /), "see 'schemawire encode --help'"]);
    }
  });
});
