import { describe, expect, it } from '@jest/globals';
import { Deserializer, ErrorCode, SchemaWireError, Serializer } from '@schemawire/core-client';
import type { ConsumedMessage, DeadLetterMessage, ErrorPolicy } from '@schemawire/kafka-common';
import { DEAD_LETTER_HEADERS, MessageDecoding } from '@schemawire/kafka-common';
import { EmbeddedRegistry } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';

const formats = [avroFormat()];
const schema = {
  schemaType: 'AVRO',
  schema: '{"type":"record","name":"Tick","fields":[{"name":"n","type":"int"}]}',
} as const;

async function setup(policy: ErrorPolicy<string> = 'fail', value?: Deserializer) {
  const registry = new EmbeddedRegistry({ formats });
  const serializer = new Serializer({ registry, formats, schema });
  await serializer.prepare('ticks');
  const letters: { target: string; message: DeadLetterMessage }[] = [];
  const decoding = new MessageDecoding<string>({
    value: value ?? new Deserializer({ registry, formats }),
    policy,
    retry: { initialMs: 10, maxMs: 20 },
    logger: { info() {}, warn() {}, error() {} },
    sendDeadLetter: async (target, message) => {
      letters.push({ target: target.producer, message });
    },
  });
  const consumed = (offset: number, bytes: Buffer): ConsumedMessage => ({
    topic: 'ticks',
    partition: 0,
    message: { key: Buffer.from('k'), value: bytes, offset: String(offset), headers: { origin: 'test' } },
  });
  const tick = (offset: number) => consumed(offset, serializer.serializeSync('ticks', { n: offset }).bytes!);
  return { decoding, letters, tick, garbage: (offset: number) => consumed(offset, Buffer.from('garbage')) };
}

/** A pause that records itself and its resume. */
function pauses() {
  const calls: string[] = [];
  const pause = () => {
    calls.push('pause');
    return () => void calls.push('resume');
  };
  return { calls, pause };
}

describe('kafka-common > message decoding > decode', () => {
  it('waits for a schema once, then decodes without a promise', async () => {
    const { decoding, tick } = await setup();
    const first = decoding.decode(tick(0).message);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toMatchObject({ value: { n: 0 }, key: Buffer.from('k'), carrier: 'prefix' });
    const second = decoding.decode(tick(1).message);
    expect(second).not.toBeInstanceOf(Promise);
    expect(second).toMatchObject({ value: { n: 1 } });
  });

  it('decodes a tombstone to a null value with no schema', async () => {
    const { decoding } = await setup();
    expect(decoding.decode({ key: null, value: null, offset: '0' })).toEqual({
      value: null,
      key: null,
      schemaId: undefined,
      schemaType: undefined,
      subject: undefined,
      carrier: undefined,
    });
  });
});

describe('kafka-common > message decoding > policies', () => {
  it('fail pauses the partition, counts and leaves the message undone', async () => {
    const { decoding, garbage } = await setup('fail');
    const { calls, pause } = pauses();
    expect(await decoding.undecodable(new Error('bad'), garbage(3), pause)).toBe(false);
    expect(calls).toEqual(['pause']);
    expect(decoding.stats()).toEqual({ decoded: 0, skipped: 0, deadLettered: 0, failed: 1 });
  });

  it('skip counts the message as done without pausing', async () => {
    const { decoding, garbage } = await setup('skip');
    const { calls, pause } = pauses();
    expect(await decoding.undecodable(new Error('bad'), garbage(3), pause)).toBe(true);
    expect(calls).toEqual([]);
    expect(decoding.stats()).toEqual({ decoded: 0, skipped: 1, deadLettered: 0, failed: 0 });
  });

  it('dead-letter sends the message as it came with the error headers through the adapter', async () => {
    const { decoding, letters, garbage } = await setup({
      deadLetter: { topic: 'ticks.dlq', producer: 'p1' },
    });
    const error = new SchemaWireError(ErrorCode.UnknownMagicByte, 'cannot find schema id: none');
    expect(await decoding.undecodable(error, garbage(3), pauses().pause)).toBe(true);
    expect(letters).toEqual([
      {
        target: 'p1',
        message: {
          key: Buffer.from('k'),
          value: Buffer.from('garbage'),
          headers: {
            origin: 'test',
            [DEAD_LETTER_HEADERS.code]: ErrorCode.UnknownMagicByte,
            [DEAD_LETTER_HEADERS.message]: 'cannot find schema id: none',
            [DEAD_LETTER_HEADERS.topic]: 'ticks',
            [DEAD_LETTER_HEADERS.partition]: '0',
            [DEAD_LETTER_HEADERS.offset]: '3',
          },
        },
      },
    ]);
    expect(decoding.stats().deadLettered).toBe(1);
  });

  it('retries a retriable error under skip: pauses, then resumes after the backoff', async () => {
    const { decoding, garbage } = await setup('skip');
    const { calls, pause } = pauses();
    const unavailable = new SchemaWireError(
      ErrorCode.RegistryUnavailable,
      'cannot complete registry request: 503',
    );
    expect(await decoding.undecodable(unavailable, garbage(3), pause)).toBe(false);
    expect(calls).toEqual(['pause']);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toEqual(['pause', 'resume']);
    expect(decoding.stats()).toEqual({ decoded: 0, skipped: 0, deadLettered: 0, failed: 0 });
  });

  it('backs off longer while the same message keeps failing, and starts again after a handled one', async () => {
    const { decoding, garbage } = await setup('skip');
    const unavailable = new SchemaWireError(
      ErrorCode.RegistryUnavailable,
      'cannot complete registry request: 503',
    );
    expect(decoding.retryDelayMs(unavailable, garbage(3))).toBe(10);
    expect(decoding.retryDelayMs(unavailable, garbage(3))).toBe(20);
    decoding.decoded('ticks', 0);
    expect(decoding.retryDelayMs(unavailable, garbage(3))).toBe(10);
  });

  it('drops a pending resume once stopped', async () => {
    const { decoding, garbage } = await setup('skip');
    const { calls, pause } = pauses();
    const unavailable = new SchemaWireError(
      ErrorCode.RegistryUnavailable,
      'cannot complete registry request: 503',
    );
    await decoding.undecodable(unavailable, garbage(3), pause);
    decoding.stop();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toEqual(['pause']);
    expect(decoding.stopped).toBe(true);
  });
});
