import { describe, expect, it } from '@jest/globals';
import { errorLines, runCli } from '../support/cli-process.js';

// What topics and topic say before they reach Kafka; integration-tests/cli/admin.test.ts runs them
// against a broker.
describe('cli > topics > usage', () => {
  const usage = async (args: string[], message: string) => {
    const run = await runCli(args, { env: { KAFKA_BROKERS: '127.0.0.1:1' } });
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(errorLines(run)[0]).toBe(`error: ${message}`);
  };

  it('a misspelt action names the one meant', () =>
    usage(
      ['topic', 'crate', 'orders'],
      'cannot run topic: say create, describe or delete, got "crate" (did you mean "create"?)',
    ));

  it('no action', () => usage(['topic'], 'cannot run topic: say create, describe or delete'));

  it('no topic, or two', async () => {
    await usage(['topic', 'describe'], 'cannot describe topic: name one topic');
    await usage(['topic', 'delete', 'a', 'b'], 'cannot delete topic: name one topic');
  });

  it('the options of create are refused elsewhere', () =>
    usage(
      ['topic', 'describe', 'orders', '--partitions', '3'],
      'cannot describe topic: --partitions is for create',
    ));

  it('partitions and replication are positive integers', async () => {
    await usage(
      ['topic', 'create', 'orders', '--partitions', '0'],
      'cannot parse arguments: --partitions must be a positive integer, got "0"',
    );
    await usage(
      ['topic', 'create', 'orders', '--replication-factor', 'three'],
      'cannot parse arguments: --replication-factor must be a positive integer, got "three"',
    );
  });

  it('a --config without "="', () =>
    usage(
      ['topic', 'create', 'orders', '--config', 'retention.ms'],
      'cannot parse arguments: --config must look like key=value, got "retention.ms"',
    ));

  it('topics takes no arguments', () =>
    usage(['topics', 'orders'], 'cannot list topics: it takes no arguments'));

  it('no brokers named', async () => {
    const run = await runCli(['topics']);
    expect(run.code).toBe(2);
    expect(errorLines(run)[0]).toBe(
      'error: cannot list topics: --brokers (or KAFKA_BROKERS, or bootstrap.servers in --kafka-config) is required',
    );
  });

  it('a broker that refuses the connection: exit 1, one line naming it', async () => {
    const run = await runCli(['topics', '--brokers', '127.0.0.1:1']);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(errorLines(run)).toEqual([
      'error: cannot connect to Kafka: Connection error: connect ECONNREFUSED 127.0.0.1:1',
    ]);
  });
});
