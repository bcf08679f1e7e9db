import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorLines, runCli, USER, Workspace } from '../support/cli-process.js';

// Nothing listens here: these runs must fail before they would connect, or fail connecting.
const NO_BROKER = ['--brokers', '127.0.0.1:1'];

describe('cli > produce', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await Workspace.create();
    await ws.registerUser();
  });
  afterAll(() => ws.remove());

  describe('cli > produce > usage errors', () => {
    it.each([
      ['no --topic', ['--format', 'string'], '--topic is required'],
      ['no way to write values', ['--topic', 't'], 'give --subject, --schema, --schema-text or --format'],
      [
        'an argument instead of stdin',
        ['--topic', 't', '--format', 'string', 'x'],
        'messages come from stdin',
      ],
      [
        '--format with --subject',
        ['--topic', 't', '--format', 'json', '--subject', 's'],
        '--subject does not apply',
      ],
      [
        '--format with --carrier',
        ['--topic', 't', '--format', 'json', '--carrier', 'key'],
        '--carrier does not apply',
      ],
      [
        'an unknown --format',
        ['--topic', 't', '--format', 'xml'],
        '--format must be one of "string", "json"',
      ],
      [
        'an unknown --carrier',
        ['--topic', 't', '--subject', 's', '--carrier', 'pigeon'],
        '--carrier must be one of',
      ],
      [
        'the key carrier with a key schema',
        ['--topic', 't', '--subject', 's', '--carrier', 'key', '--key-format', 'avro'],
        'the key carrier puts the schema id in the key',
      ],
      [
        '--key-subject with string keys',
        ['--topic', 't', '--format', 'string', '--key-subject', 'k'],
        '--key-subject needs',
      ],
      [
        'an unknown --key-format',
        ['--topic', 't', '--format', 'string', '--key-format', 'xml'],
        '--key-format must be',
      ],
      [
        '--type without --schema',
        ['--topic', 't', '--subject', 's', '--type', 'avro'],
        'describe the --schema file',
      ],
      [
        '--raw with a carrier',
        ['--topic', 't', '--subject', 's', '--raw', '--carrier', 'header'],
        '--raw writes no schema id, so no --carrier',
      ],
      ['--raw with --format', ['--topic', 't', '--format', 'string', '--raw'], '--raw does not apply'],
      [
        '--raw with --schema and --subject',
        ['--topic', 't', '--schema', 'user.avsc', '--subject', 's', '--raw'],
        '--raw with --schema registers nothing, so --subject does not apply',
      ],
      [
        '--schema-text without --type',
        ['--topic', 't', '--schema-text', '{}'],
        '--type avro|protobuf|json is required',
      ],
      [
        '--schema with --schema-text',
        ['--topic', 't', '--schema', 'user.avsc', '--schema-text', '{}'],
        'give --schema or --schema-text, not both',
      ],
      [
        '--schema-text with --format',
        ['--topic', 't', '--format', 'json', '--schema-text', '{}'],
        '--format writes without a schema, so --schema-text does not apply',
      ],
      [
        'a --batch-size of 0',
        ['--topic', 't', '--format', 'string', '--batch-size', '0'],
        '--batch-size must be',
      ],
    ])('%s: exit 2 naming the problem', async (_, args, problem) => {
      const run = await ws.run(['produce', ...NO_BROKER, ...args]);
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(errorLines(run)).toEqual([expect.stringContaining(problem), "see 'schemawire produce --help'"]);
    });

    it('needs --brokers or KAFKA_BROKERS', async () => {
      const run = await ws.run(['produce', '--topic', 't', '--format', 'string']);
      expect(run.code).toBe(2);
      expect(errorLines(run)[0]).toBe(
        'error: cannot produce messages: --brokers (or KAFKA_BROKERS, or bootstrap.servers in --kafka-config) is required',
      );
    });
  });

  describe('cli > produce > registry', () => {
    it.each([
      ['--subject', ['--subject', 'user-value']],
      ['--schema', ['--schema', 'user.avsc']],
      ['a key schema', ['--format', 'string', '--key-format', 'avro']],
    ])('%s without a registry named: exit 2 saying so, before connecting', async (_, args) => {
      // No --registry-dir: the workspace's default embedded registry holds user-value, yet its ids would
      // mean other schemas to the registry of a real Kafka.
      const run = await runCli(['produce', ...NO_BROKER, '--topic', 't', ...args], {
        cwd: ws.dir,
        input: `${JSON.stringify(USER)}\n`,
      });
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(errorLines(run)).toEqual([
        'error: cannot produce messages: name the schema registry: --registry, SCHEMA_REGISTRY_URL or --registry-dir',
        "see 'schemawire produce --help'",
      ]);
    });

    it('--help tells that a registry must be named', async () => {
      const run = await ws.run(['produce', '--help']);
      expect(run.stdout).toContain('needs the registry named');
    });
  });

  it('fails before connecting when the subject has no schema', async () => {
    const run = await ws.run(['produce', ...NO_BROKER, '--topic', 't', '--subject', 'nobody-value'], {
      input: `${JSON.stringify(USER)}\n`,
    });
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(errorLines(run)).toEqual([expect.stringMatching(/^error: .*nobody-value/)]);
  });

  it('fails before connecting when the key schema is not of the --key-format type', async () => {
    const run = await ws.run([
      'produce',
      ...NO_BROKER,
      '--topic',
      't',
      '--subject',
      'user-value',
      '--key-format',
      'protobuf',
      '--key-subject',
      'user-value',
    ]);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      'error: cannot produce messages: --key-format protobuf needs a PROTOBUF key schema, but the schema of subject "user-value" is AVRO',
    ]);
  });

  // kafkajs retries a refused connection for about ten seconds before it gives up.
  // Schemaless values with string keys need no registry, so none is named here.
  it('fails with one line when no broker answers', async () => {
    const run = await runCli(['produce', ...NO_BROKER, '--topic', 't', '--format', 'string'], {
      cwd: ws.dir,
      input: '"hello"\n',
    });
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^error: cannot connect to Kafka: .*127\.0\.0\.1:1/),
    ]);
  }, 30_000);

  // An idempotent @platformatic/kafka producer retries a refused connection without end.
  it('--client platformatic: fails with one line naming the broker when none answers', async () => {
    const run = await runCli(
      ['produce', ...NO_BROKER, '--topic', 't', '--format', 'string', '--client', 'platformatic'],
      { cwd: ws.dir, input: '"hello"\n' },
    );
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(errorLines(run)).toEqual(['error: cannot connect to Kafka: connect ECONNREFUSED 127.0.0.1:1']);
  }, 30_000);
});
