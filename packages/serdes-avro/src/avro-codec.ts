import { Buffer } from 'node:buffer';
import type { SchemaCodec } from '@schemawire/core-client';
import { describeValue, ErrorCode, SchemaWireError } from '@schemawire/core-client';
import avsc from 'avsc';
import type { ReusableTap } from './avsc-tap.js';
import { AvscTap } from './avsc-tap.js';
import { UnknownField } from './closed-record-type.js';
import { RecordsTooDeep } from './depth-limited-record-type.js';
import type { JsonUnions } from './json-values.js';
import { fromJsonValue, toJsonValue } from './json-values.js';
import type { Resolver } from './schema-resolution.js';
import { typeLabel, unqualifiedName } from './type-labels.js';

/**
 * Messages are written into slabs of this size, each message a view of its slab, as Node's
 * `Buffer.allocUnsafe` pools small buffers: no copy, and one allocation per slab, not per message.
 */
const SLAB_SIZE = 8 * 1024;
/** Messages larger than this are written straight into their own buffer instead. */
const MAX_SLAB_MESSAGE = SLAB_SIZE / 4;
/** How many invalid fields an error message lists. */
const MAX_PROBLEMS = 5;
const EMPTY = Buffer.alloc(0);

/**
 * A compiled Avro schema. Encodes with the writer type into the free end of a slab, and returns that
 * part of it; decodes with the writer type, or through a resolver into the reader type when the
 * format compiled one.
 */
export class AvroCodec implements SchemaCodec {
  declare readonly typeName?: string;
  readonly #writer: avsc.Type;
  readonly #reader: avsc.Type;
  readonly #resolver: Resolver | undefined;
  readonly #jsonUnions: JsonUnions;
  readonly #readable: { _read(tap: ReusableTap): unknown };
  // Pointed at each payload decoded, and back at an empty buffer after, so it holds none of them.
  readonly #tap: ReusableTap = new AvscTap(EMPTY, 0);
  #slab: Buffer = Buffer.allocUnsafe(SLAB_SIZE);
  /** Where the free end of the slab starts: bytes before it belong to messages already returned. */
  #used = 0;

  constructor(
    writer: avsc.Type,
    jsonUnions: JsonUnions,
    reader?: { readonly type: avsc.Type; readonly resolver: Resolver },
  ) {
    this.#writer = writer;
    this.#reader = reader?.type ?? writer;
    this.#resolver = reader?.resolver;
    this.#readable = (this.#resolver ?? this.#reader) as unknown as { _read(tap: ReusableTap): unknown };
    this.#jsonUnions = jsonUnions;
    if (writer.name !== undefined) this.typeName = writer.name;
  }

  encode(value: unknown, headroom: number): Buffer {
    const start = this.#used;
    let end: number;
    try {
      end = this.#writer.encode(value, this.#slab, start + headroom);
      // avsc returns minus the number of bytes missing: write again where all of them fit.
      if (end < 0) return this.#encodeAgain(value, headroom, SLAB_SIZE - end - start);
    } catch (error) {
      throw serializationError(this.#writer, value, error);
    }
    this.#used = end;
    return this.#slab.subarray(start, end);
  }

  /** Writes a message that did not fit in the slab's free end into a new slab, or its own buffer. */
  #encodeAgain(value: unknown, headroom: number, size: number): Buffer {
    if (size > MAX_SLAB_MESSAGE) {
      const body = Buffer.allocUnsafe(size);
      checkSecondPass(this.#writer.encode(value, body, headroom), size);
      return body;
    }
    // The old slab stays with the messages that are views of it, and goes when they go.
    this.#slab = Buffer.allocUnsafe(SLAB_SIZE);
    this.#used = checkSecondPass(this.#writer.encode(value, this.#slab, headroom), size);
    return this.#slab.subarray(0, size);
  }

  fromJson(value: unknown): unknown {
    return jsonConversion(() => fromJsonValue(this.#writer, value, this.#jsonUnions), 'serialize');
  }

  /** The decoded value in the Avro JSON form of the type it was decoded into (the reader's, if any). */
  toJson(value: unknown): unknown {
    return jsonConversion(() => toJsonValue(this.#reader, value, this.#jsonUnions), 'deserialize');
  }

  decode(payload: Buffer, offset: number): unknown {
    if (!Number.isInteger(offset) || offset < 0 || offset > payload.length) {
      throw deserializationError(`offset ${offset} is outside the ${payload.length}-byte payload`);
    }
    const tap = this.#tap;
    tap.buf = payload;
    tap.pos = offset;
    let value: unknown;
    try {
      value = this.#readable._read(tap);
    } catch (error) {
      tap.buf = EMPTY;
      throw deserializationError(error instanceof Error ? error.message : String(error), error);
    }
    const end = tap.pos;
    tap.buf = EMPTY;
    if (end > payload.length) {
      throw deserializationError(
        `truncated data: the ${payload.length - offset}-byte body ends inside the value`,
      );
    }
    if (end !== payload.length) {
      const trailing = payload.length - end;
      throw deserializationError(`${trailing} trailing byte${trailing === 1 ? '' : 's'} after the value`);
    }
    return value;
  }
}

/** Runs a JSON form conversion, which fails only for records nested deeper than reading or writing allows. */
function jsonConversion(convert: () => unknown, verb: 'serialize' | 'deserialize'): unknown {
  try {
    return convert();
  } catch (error) {
    if (!(error instanceof RecordsTooDeep)) throw error;
    const code = verb === 'serialize' ? ErrorCode.SerializationFailed : ErrorCode.DeserializationFailed;
    throw new SchemaWireError(code, `cannot ${verb} value: ${error.message}`, { cause: error });
  }
}

/** Only a value that changes while it is written (a getter) can come out another size the second time. */
function checkSecondPass(end: number, expected: number): number {
  if (end !== expected) throw new Error('the value changed while it was written');
  return end;
}

/**
 * The error for a value avsc would not write. avsc's own message names neither the field nor, for
 * nested values, the type, so the value is checked again with a hook that collects the path of each
 * invalid field; this costs nothing on the hot path.
 */
function serializationError(type: avsc.Type, value: unknown, cause: unknown): SchemaWireError {
  if (cause instanceof RecordsTooDeep) {
    // Checking again would only nest as deep and stop at the same depth.
    return new SchemaWireError(ErrorCode.SerializationFailed, `cannot serialize value: ${cause.message}`, {
      cause,
    });
  }
  const problems: string[] = [];
  try {
    type.isValid(value, {
      // Set only when a field the schema lacks stopped the write, so avsc then reports its record.
      noUndeclaredFields: cause instanceof UnknownField,
      errorHook: (path, found, expected) => {
        const prefix = path.length === 0 ? '' : `${path.join('.')}.`;
        const unknown = avsc.Type.isType(expected, 'record', 'error') ? unknownFields(expected, found) : [];
        for (const name of unknown) {
          problems.push(
            `field ${JSON.stringify(prefix + name)} is not in record ${JSON.stringify(unqualifiedName(expected))}`,
          );
        }
        if (unknown.length > 0) return;
        const field = path.length === 0 ? '' : `field ${JSON.stringify(path.join('.'))} `;
        problems.push(`${field}expected ${JSON.stringify(typeLabel(expected))}, got ${describeValue(found)}`);
      },
    });
  } catch {
    // A getter or a custom logical type threw again: avsc's first message is all there is.
  }
  let detail = problems.slice(0, MAX_PROBLEMS).join('; ');
  if (problems.length > MAX_PROBLEMS) detail += ` (and ${problems.length - MAX_PROBLEMS} more)`;
  if (detail === '') detail = cause instanceof Error ? cause.message : String(cause);
  return new SchemaWireError(ErrorCode.SerializationFailed, `cannot serialize value: ${detail}`, { cause });
}

/** The fields of `value` that `record` does not have (fields holding undefined count as absent). */
function unknownFields(record: avsc.Type, value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const known = new Set((record as avsc.types.RecordType).fields.map((field) => field.name));
  return Object.entries(value)
    .filter(([name, item]) => item !== undefined && !known.has(name))
    .map(([name]) => name);
}

function deserializationError(detail: string, cause?: unknown): SchemaWireError {
  return new SchemaWireError(
    ErrorCode.DeserializationFailed,
    `cannot deserialize value: ${detail}`,
    cause === undefined ? {} : { cause },
  );
}
