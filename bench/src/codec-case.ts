import { Buffer } from 'node:buffer';
import type { Deserialized, Deserializer, SerializedPayload, Serializer } from '@schemawire/core-client';
import type { Contender } from './measure.js';

/** A contender with the check that its output is right, run once before it is timed. */
export interface CheckedContender extends Contender {
  check(output: unknown): void;
}

/** One codec case: the raw codec, schemawire's two paths and the peer libraries, doing the same work. */
export interface CodecCase {
  /** The case name in results.json, e.g. `avro-encode`. */
  readonly name: string;
  /** The row label of the table. */
  readonly label: string;
  /** The most time per operation schemawire's synchronous path may take, as a multiple of the raw codec's. */
  readonly target: number | undefined;
  readonly raw: CheckedContender;
  /** The synchronous cached path (`serializeSync`, `deserializeSync`). */
  readonly schemawire: CheckedContender;
  /** The promise-returning path (`serialize`, `deserialize`), schema cached. */
  readonly schemawireAsync: CheckedContender;
  readonly peers: readonly CheckedContender[];
}

/** What the report needs of a case: its names, without the functions. */
export interface CaseMeta {
  readonly name: string;
  readonly label: string;
  readonly target: number | undefined;
  readonly raw: string;
  readonly schemawire: string;
  readonly schemawireAsync: string;
  readonly peers: readonly string[];
}

/** A case measured in one or more processes: operations per second by contender name. */
export interface MeasuredCase {
  readonly meta: CaseMeta;
  readonly opsPerSec: Readonly<Record<string, number>>;
}

/** The names of a case and its contenders. */
export function metaOf(codecCase: CodecCase): CaseMeta {
  return {
    name: codecCase.name,
    label: codecCase.label,
    target: codecCase.target,
    raw: codecCase.raw.name,
    schemawire: codecCase.schemawire.name,
    schemawireAsync: codecCase.schemawireAsync.name,
    peers: codecCase.peers.map((peer) => peer.name),
  };
}

/** Every contender of a case, in the order they are listed. */
export function contendersOf(codecCase: CodecCase): CheckedContender[] {
  return [codecCase.raw, codecCase.schemawire, codecCase.schemawireAsync, ...codecCase.peers];
}

/** Runs every contender once and checks its output, so a broken path is never timed. */
export async function checkCase(codecCase: CodecCase): Promise<void> {
  for (const contender of contendersOf(codecCase)) {
    const output = contender.async ? await contender.run() : contender.run();
    try {
      contender.check(output);
    } catch (error) {
      throw new Error(
        `${codecCase.name}: ${contender.name} gave a wrong result: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** A contender of a case. */
export function contender(
  name: string,
  run: () => unknown,
  check: (output: unknown) => void,
  async = false,
): CheckedContender {
  return { name, run, async, check };
}

/**
 * schemawire's two encode paths for `topic`: `check(bytes, offset)` reads the body after the frame.
 */
export function schemawireEncoders(
  serializer: Serializer,
  topic: string,
  value: unknown,
  frameSize: number,
  check: (bytes: Buffer, offset: number) => void,
): Pick<CodecCase, 'schemawire' | 'schemawireAsync'> {
  const checkPayload = (out: unknown) => check(expectBytes((out as SerializedPayload).bytes), frameSize);
  return {
    schemawire: contender(
      'schemawire serializeSync',
      () => serializer.serializeSync(topic, value),
      checkPayload,
    ),
    schemawireAsync: contender(
      'schemawire serialize',
      () => serializer.serialize(topic, value),
      checkPayload,
      true,
    ),
  };
}

/** schemawire's two decode paths for `message`: `check` takes the decoded value. */
export function schemawireDecoders(
  deserializer: Deserializer,
  message: { readonly value: Buffer },
  check: (value: unknown) => void,
): Pick<CodecCase, 'schemawire' | 'schemawireAsync'> {
  const checkValue = (out: unknown) => check((out as Deserialized).value);
  return {
    schemawire: contender(
      'schemawire deserializeSync',
      () => deserializer.deserializeSync(message),
      checkValue,
    ),
    schemawireAsync: contender(
      'schemawire deserialize',
      () => deserializer.deserialize(message),
      checkValue,
      true,
    ),
  };
}

/**
 * Throws unless `actual` has the JSON form of `expected`. Only the keys of `expected` are compared,
 * so a decoder that adds keys of its own (protobufjs's oneof names) still matches.
 */
export function expectJson(actual: unknown, expected: Record<string, unknown>): void {
  const picked =
    typeof actual === 'object' && actual !== null
      ? Object.fromEntries(
          Object.keys(expected).map((key) => [key, (actual as Record<string, unknown>)[key]]),
        )
      : actual;
  const got = JSON.stringify(picked);
  const want = JSON.stringify(expected);
  if (got !== want) throw new Error(`expected ${want}, got ${got}`);
}

/** Throws unless `bytes` is a Buffer; returns it. */
export function expectBytes(bytes: unknown): Buffer {
  if (!Buffer.isBuffer(bytes)) throw new Error(`expected bytes, got ${typeof bytes}`);
  return bytes;
}
