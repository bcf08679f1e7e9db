import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { NetworkError } from '@platformatic/kafka';
import { Deserializer, Serializer } from '@schemawire/core-client';
import { SchemaConsumer } from '@schemawire/platformatic-kafka';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';

const formats = [avroFormat()];
const schema = {
  schemaType: 'AVRO',
  schema: '{"type":"record","name":"Tick","fields":[{"name":"n","type":"int"}]}',
} as const;

type RawConsumer = ConstructorParameters<typeof SchemaConsumer>[0];

/**
 * A client that hands out one partition's messages, already fetched, and answers each message's
 * commit with `commit(offset)`: the consumer's read loop and commits without a broker.
 */
async function client(
  count: number,
  commit: (offset: bigint) => Promise<void>,
  streams: ((messages: unknown[]) => Readable)[] = [
    (messages) => Readable.from(messages, { objectMode: true }),
  ],
) {
  const registry = new EmbeddedRegistry({ formats });
  const serializer = new Serializer({ registry, formats, schema });
  await serializer.prepare('ticks');
  const messages = Array.from({ length: count }, (_, n) => ({
    topic: 'ticks',
    partition: 0,
    offset: BigInt(n),
    key: undefined,
    value: serializer.serializeSync('ticks', { n }).bytes!,
    headers: new Map(),
    headerEntries: [],
    timestamp: 0n,
    commit: () => commit(BigInt(n) + 1n),
  }));
  // Whether the client is in its group, as isActive() says; joinGroup() puts it back in.
  const group = {
    active: true,
    joins: 0,
    onError: (_error: Error): void => {},
    onJoin: (): void => {},
  };
  const consumer = {
    assignments: null,
    on(event: string, listener: (error: Error) => void) {
      if (event === 'error') group.onError = listener;
      else group.onJoin = listener as () => void;
    },
    off() {},
    isActive: () => group.active,
    async joinGroup() {
      group.joins++;
      group.active = true;
      return 'member';
    },
    async close() {},
    async consume() {
      const stream = streams.shift()!(messages);
      return Object.assign(stream, { close: async () => void stream.destroy() });
    },
  } as unknown as RawConsumer;
  return { consumer, group, value: new Deserializer({ registry, formats }) };
}

const quiet = { info() {}, warn() {}, error() {} };

/** A SchemaConsumer of `consumer` consuming the ticks, and the n of each tick it handled, in order. */
async function consumeTicks(
  consumer: RawConsumer,
  value: Deserializer,
  options: Partial<ConstructorParameters<typeof SchemaConsumer>[1]> = {},
) {
  const schemaConsumer = new SchemaConsumer(consumer, {
    value,
    logger: quiet,
    commitThreshold: 10,
    ...options,
  });
  const handled: number[] = [];
  await schemaConsumer.consume({
    topics: ['ticks'],
    eachMessage: ({ decoded }) => void handled.push((decoded.value as { n: number }).n),
  });
  return { schemaConsumer, handled };
}

describe('platformatic-kafka > schema consumer > commits', () => {
  it('leaves no more than commitThreshold handled messages uncommitted while a commit is under way', async () => {
    const landing: (() => void)[] = [];
    let landAtOnce = false;
    const { consumer, value } = await client(100, () =>
      landAtOnce ? Promise.resolve() : new Promise((resolve) => landing.push(resolve)),
    );
    const { schemaConsumer, handled } = await consumeTicks(consumer, value);
    await sleep(100);
    // The commit of the first five is under way; five more are handled meanwhile, then reading waits.
    expect({ handled: handled.length, commits: landing.length }).toEqual({ handled: 10, commits: 1 });
    landing.shift()!();
    await sleep(100);
    expect({ handled: handled.length, commits: landing.length }).toEqual({ handled: 15, commits: 1 });
    landAtOnce = true;
    landing.shift()!();
    await schemaConsumer.close();
  });

  it('commits every half threshold, in order, up to the last message handled', async () => {
    const committed: bigint[] = [];
    const { consumer, value } = await client(100, async (offset) => {
      await sleep(1);
      committed.push(offset);
    });
    const { schemaConsumer, handled } = await consumeTicks(consumer, value);
    while (handled.length < 100) await sleep(10);
    await schemaConsumer.close();
    expect(handled).toEqual(Array.from({ length: 100 }, (_, n) => n));
    expect(committed).toEqual(Array.from({ length: 20 }, (_, n) => BigInt(n * 5 + 5)));
  });

  it('stops at a failed commit, with no more than commitThreshold handled past what was committed', async () => {
    const failure = new Error('the broker refused the commit');
    const { consumer, value } = await client(100, async (offset) => {
      if (offset > 5n) throw failure;
    });
    const crashes: unknown[] = [];
    const { schemaConsumer, handled } = await consumeTicks(consumer, value, {
      onCrash: (error) => crashes.push(error),
    });
    while (crashes.length === 0) await sleep(10);
    expect(crashes).toEqual([failure]);
    // Offset 5 is committed; the commit of 6 to 10 fails, and at most five more were handled meanwhile.
    expect(handled.length).toBeLessThanOrEqual(5 + 10);
    expect(handled.length).toBeGreaterThanOrEqual(10);
    await expect(schemaConsumer.close()).rejects.toBe(failure);
  });

  it('waits for no commit of a stream it opened again after, which may never settle it', async () => {
    // The first stream delivers six messages, then fails: the commit of the first five never lands.
    const first = (messages: unknown[]) => {
      const stream = new Readable({ objectMode: true, read() {} });
      for (const message of messages.slice(0, 6)) stream.push(message);
      setTimeout(() => stream.destroy(new NetworkError('connection reset')), 50);
      return stream;
    };
    const second = (messages: unknown[]) => Readable.from(messages, { objectMode: true });
    let opened = 0;
    const { consumer, value } = await client(
      20,
      (offset) => (offset <= 6n && opened === 1 ? new Promise(() => {}) : Promise.resolve()),
      [first, second].map((make) => (messages: unknown[]) => {
        opened++;
        return make(messages);
      }),
    );
    const { schemaConsumer, handled } = await consumeTicks(consumer, value);
    for (let waited = 0; handled.length < 20 && waited < 3000; waited += 20) await sleep(20);
    // The messages handled from the first stream are not handed on again from the second.
    expect(handled).toEqual(Array.from({ length: 20 }, (_, n) => n));
    await schemaConsumer.close();
  });

  it('joins the group again when a stream is opened while the client is out of it', async () => {
    // The first stream fails after six messages, and its client is then out of the group (a join of
    // the client's own failed): commits queue without being sent until it joins again.
    const first = (messages: unknown[]) => {
      const stream = new Readable({ objectMode: true, read() {} });
      for (const message of messages.slice(0, 6)) stream.push(message);
      setTimeout(() => {
        group.active = false;
        stream.destroy(new NetworkError('connection reset'));
      }, 50);
      return stream;
    };
    const second = (messages: unknown[]) => Readable.from(messages, { objectMode: true });
    const committed: bigint[] = [];
    const { consumer, group, value } = await client(
      20,
      async (offset) => {
        if (!group.active) return new Promise(() => {});
        committed.push(offset);
      },
      [first, second],
    );
    const { schemaConsumer, handled } = await consumeTicks(consumer, value);
    for (let waited = 0; handled.length < 20 && waited < 3000; waited += 20) await sleep(20);
    await schemaConsumer.close();
    expect({ handled: handled.length, joins: group.joins, last: committed.at(-1) }).toEqual({
      handled: 20,
      joins: 1,
      last: 20n,
    });
  });

  it('opens its stream again, in the group, when the client gave up joining it again', async () => {
    let opened = 0;
    const open = (messages: unknown[]) => {
      opened++;
      // Each stream delivers what it has and then waits for more, as a client's stream does.
      const stream = new Readable({ objectMode: true, read() {} });
      for (const message of messages) stream.push(message);
      return stream;
    };
    const { consumer, group, value } = await client(10, async () => {}, [open, open]);
    const warnings: string[] = [];
    const { schemaConsumer, handled } = await consumeTicks(consumer, value, {
      logger: { ...quiet, warn: (message) => void warnings.push(message) },
    });
    while (handled.length < 10) await sleep(10);
    group.active = false;
    group.onError(new NetworkError('joinGroup failed 4 times.'));
    for (let waited = 0; opened < 2 && waited < 3000; waited += 20) await sleep(20);
    await schemaConsumer.close();
    expect({ opened, joins: group.joins, handled: handled.length }).toEqual({
      opened: 2,
      joins: 1,
      handled: 10,
    });
    expect(warnings[0]).toBe('cannot rejoin the group yet');
  });

  it('waits in stop() for the handler in hand, and commits its message with the ones before it', async () => {
    const committed: bigint[] = [];
    const { consumer, value } = await client(20, async (offset) => void committed.push(offset));
    let finish = (): void => {};
    const handled: number[] = [];
    const crashes: unknown[] = [];
    const schemaConsumer = new SchemaConsumer(consumer, {
      value,
      logger: quiet,
      onCrash: (error) => crashes.push(error),
    });
    await schemaConsumer.consume({
      topics: ['ticks'],
      eachMessage: async ({ decoded }) => {
        const { n } = decoded.value as { n: number };
        if (n === 3) await new Promise<void>((resolve) => (finish = resolve));
        handled.push(n);
      },
    });
    while (handled.length < 3) await sleep(10);
    const stopped = schemaConsumer.stop();
    await sleep(20);
    finish();
    await stopped;
    expect({ handled, committed, crashes }).toEqual({ handled: [0, 1, 2, 3], committed: [4n], crashes: [] });
  });

  it('leaves uncommitted, and reports no crash for, a message whose handler rejects once stop() began', async () => {
    const committed: bigint[] = [];
    const { consumer, value } = await client(20, async (offset) => void committed.push(offset));
    let refuse = (): void => {};
    const crashes: unknown[] = [];
    const schemaConsumer = new SchemaConsumer(consumer, {
      value,
      logger: quiet,
      onCrash: (error) => crashes.push(error),
    });
    let reached = false;
    await schemaConsumer.consume({
      topics: ['ticks'],
      eachMessage: ({ decoded }) => {
        if ((decoded.value as { n: number }).n < 3) return;
        reached = true;
        return new Promise<void>((_, reject) => (refuse = () => reject(new Error('not handled'))));
      },
    });
    while (!reached) await sleep(10);
    const stopped = schemaConsumer.stop();
    refuse();
    await stopped;
    expect({ committed, crashes }).toEqual({ committed: [3n], crashes: [] });
  });

  it('forgets the fetch position of each partition it did not keep when the group is joined again', async () => {
    const positions = new Map<string, bigint>();
    const open = (messages: unknown[]) => {
      const stream = new Readable({ objectMode: true, read() {} });
      for (const message of messages) stream.push(message);
      return Object.assign(stream, { offsetsToFetch: positions });
    };
    const { consumer, group, value } = await client(1, async () => {}, [open]);
    const assign = (...partitions: number[]) => {
      (consumer as { assignments: unknown }).assignments = [{ topic: 'ticks', partitions }];
      group.onJoin();
    };
    const schemaConsumer = new SchemaConsumer(consumer, { value, logger: quiet });
    await schemaConsumer.consume({ topics: ['ticks'], mode: 'committed', eachMessage: () => {} });
    assign(0, 1);
    positions.set('ticks:0', 5n).set('ticks:1', 7n);
    // Partition 0 goes to another member: where this one had fetched it to is forgotten.
    assign(1);
    expect([...positions]).toEqual([['ticks:1', 7n]]);
    // A fetch under way when it went puts its position back; it is forgotten again when it comes back,
    // and the client starts it from the committed offset.
    positions.set('ticks:0', 9n);
    assign(0, 1);
    expect([...positions]).toEqual([['ticks:1', 7n]]);
    await schemaConsumer.close();
  });
});
