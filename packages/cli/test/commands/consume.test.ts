import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorLines, runCli, Workspace } from '../support/cli-process.js';

const NO_BROKER = ['--brokers', '127.0.0.1:1'];

describe('cli > consume', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await Workspace.create();
  });
  afterAll(() => ws.remove());

  describe('cli > consume > usage errors', () => {
    it.each([
      ['no --topic', [], '--topic is required'],
      ['an argument', ['--topic', 't', 'x'], 'unexpected argument "x"'],
      [
        'a --max-messages of 0',
        ['--topic', 't', '--max-messages', '0'],
        '--max-messages must be a positive integer, got "0"',
      ],
      [
        'a negative --max-messages',
        ['--topic', 't', '--max-messages', '-3'],
        '--max-messages must be a positive integer, got "-3"',
      ],
      [
        'a negative --max-messages after =',
        ['--topic', 't', '--max-messages=-3'],
        '--max-messages must be a positive integer, got "-3"',
      ],
      [
        'a --max-messages followed by another option',
        ['--topic', 't', '--max-messages', '--from-beginning'],
        'option "--max-messages" needs a value',
      ],
      [
        'a --timeout-ms that is no number',
        ['--topic', 't', '--timeout-ms', '5s'],
        '--timeout-ms must be a positive integer, got "5s"',
      ],
      ['an unknown --fallback', ['--topic', 't', '--fallback', 'xml'], '--fallback must be one of'],
      ['an unknown --key-format', ['--topic', 't', '--key-format', 'avro'], '--key-format must be one of'],
      [
        'a negative --partition',
        ['--topic', 't', '--partition', '-1'],
        '--partition must be an integer of 0 or more',
      ],
      ['an --offset of no form', ['--topic', 't', '--offset', 'latest'], '--offset must be beginning, end'],
      [
        'an unknown --print',
        ['--topic', 't', '--print', 'key'],
        '--print must be one of "envelope", "value"',
      ],
      [
        'an unknown --value-format',
        ['--topic', 't', '--value-format', 'utf8'],
        '--value-format must be one of "decoded", "base64", "hex", got "utf8"',
      ],
      ['an unknown --on-error', ['--topic', 't', '--on-error', 'retry'], '--on-error must be "fail", "skip"'],
      [
        'a dead-letter policy without topic',
        ['--topic', 't', '--on-error', 'dead-letter:'],
        'dead-letter:TOPIC',
      ],
      ['--key-carrier with a value', ['--topic', 't', '--key-carrier=yes'], '"--key-carrier" takes no value'],
      [
        '--key-carrier with --no-key-carrier',
        ['--topic', 't', '--key-carrier', '--no-key-carrier'],
        '--key-carrier and --no-key-carrier contradict each other',
      ],
      [
        'an unknown --client',
        ['--topic', 't', '--client', 'rdkafka'],
        '--client must be one of "kafkajs", "platformatic", got "rdkafka"',
      ],
      [
        '--from-beginning with a value',
        ['--topic', 't', '--from-beginning=yes'],
        '"--from-beginning" takes no value',
      ],
    ])('%s: exit 2 naming the problem', async (_, args, problem) => {
      const run = await ws.run(['consume', ...NO_BROKER, ...args]);
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(errorLines(run)).toEqual([expect.stringContaining(problem), "see 'schemawire consume --help'"]);
    });

    it('needs --brokers or KAFKA_BROKERS', async () => {
      const run = await ws.run(['consume', '--topic', 't']);
      expect(run.code).toBe(2);
      expect(errorLines(run)[0]).toBe(
        'error: cannot consume messages: --brokers (or KAFKA_BROKERS, or bootstrap.servers in --kafka-config) is required',
      );
    });
  });

  it('--client platformatic: fails with one line naming the broker when none answers', async () => {
    const run = await ws.run([
      'consume',
      ...NO_BROKER,
      '--topic',
      't',
      '--fallback',
      'string',
      '--client',
      'platformatic',
    ]);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(errorLines(run)).toEqual(['error: cannot connect to Kafka: connect ECONNREFUSED 127.0.0.1:1']);
  }, 30_000);

  it('needs a registry named: exit 2 saying so, before connecting', async () => {
    const run = await runCli(['consume', ...NO_BROKER, '--topic', 't'], { cwd: ws.dir });
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(errorLines(run)).toEqual([
      'error: cannot consume messages: name the schema registry: --registry, SCHEMA_REGISTRY_URL or --registry-dir',
      "see 'schemawire consume --help'",
    ]);
    const help = await ws.run(['consume', '--help']);
    expect(help.stdout).toContain('needs the registry named');
  });

  it('reads every --schema file before connecting: a missing one fails with exit 1 naming it', async () => {
    const run = await ws.run(['consume', ...NO_BROKER, '--topic', 't', '--schema', 't=missing.avsc']);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(errorLines(run)).toEqual(['error: cannot read schema file "missing.avsc": no such file']);
  });

  it('--help names the options that read values without schema id, with their defaults', async () => {
    const { stdout } = await ws.run(['consume', '--help']);
    expect(stdout).toMatch(/--schema <\[T=\]file> +decode values without schema id of topic T/);
    expect(stdout).toMatch(/--reader-schema <file> +read Avro values into this schema/);
    expect(stdout).toMatch(
      /--fallback <kind> .*\n.*string \(UTF-8 text; bytes that are not UTF-8 print as base64/,
    );
    expect(stdout).toMatch(/auto \(JSON when the bytes parse as JSON, else as string\)/);
    expect(stdout).toMatch(/--value-format <kind> +how values print: decoded \(default\), or base64 or hex/);
    expect(stdout).toMatch(
      /or {"base64": "..."} when not UTF-8\), string \(UTF-8\s+text\), or base64 or hex/,
    );
  });

  it('--help tells that the key carrier is off unless --key-carrier', async () => {
    const run = await ws.run(['consume', '--help']);
    expect(run.stdout).toMatch(/--key-carrier +read the value's schema id from the key/);
    expect(run.stdout).not.toContain('--no-key-carrier');
  });

  // kafkajs retries a refused connection for about ten seconds before it gives up.
  it('takes the brokers from KAFKA_BROKERS, failing with one line when none answers', async () => {
    const run = await ws.run(['consume', '--topic', 't', '--timeout-ms', '1000'], {
      env: { KAFKA_BROKERS: '127.0.0.1:1' },
    });
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^error: cannot connect to Kafka: .*127\.0\.0\.1:1/),
    ]);
  }, 30_000);
});
