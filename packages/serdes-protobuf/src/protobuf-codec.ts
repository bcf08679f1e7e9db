import { Buffer } from 'node:buffer';
import type { Longs, SchemaCodec } from '@schemawire/core-client';
import { describeValue, ErrorCode, SchemaWireError } from '@schemawire/core-client';
import protobuf from 'protobufjs';
import { messageFromJson, messageToJson } from './json-mapping.js';
import type { LongConverter } from './long-values.js';
import { convertLongs, decimalLongKeys, reachesLongKeys, reachesLongs } from './long-values.js';
import { plainMessagePreparer, preparePlainMessage, verifyError } from './plain-message.js';
import { isSyntheticOneof } from './schema-root.js';

/** One message type of a compiled schema. */
export interface CompiledMessage {
  readonly indexes: readonly number[];
  /** The full name, without protobufjs's leading dot. */
  readonly fullName: string;
  /** The type with .proto field names: it encodes, and decodes into message instances. */
  readonly type: protobuf.Type;
  /** The type `toObject` converts with: the same one, or its copy with JSON field names. */
  readonly view: protobuf.Type;
}

/** What a {@link ProtobufCodec} is built from. */
export interface CodecParts {
  /** The message encoded by default. */
  readonly message: CompiledMessage;
  /** Every message of the schema's file, by full name, for values that choose theirs. */
  readonly byName: ReadonlyMap<string, CompiledMessage>;
  /** What each message of the schema's file decodes into. */
  readonly decodeTargets: readonly DecodeTarget[];
  /** Whether a message instance of another type of the file may choose what is written. */
  readonly choosesByValue: boolean;
  /** `toObject` options for decoded messages, or false to return message instances. */
  readonly toObject: protobuf.IConversionOptions | false;
  /** What the Longs `toObject` leaves become; undefined when its options convert them. */
  readonly longs?: LongConverter | undefined;
  /** How 64-bit integers come in the proto3 JSON form (`toJson`). */
  readonly jsonLongs: Longs;
}

/** What data framed with the indexes of a message of the file decodes into. */
export interface DecodeTarget {
  readonly indexes: readonly number[];
  /** The message (the reader schema's, when one is given), or why it cannot be read. */
  readonly message: CompiledMessage | string;
}

/** A node of the tree of index paths: what its path decodes into, and the paths below it. */
interface IndexNode {
  target: CompiledMessage | string | undefined;
  /** The `toObject` options of the target: the codec's, or them without `oneofs` (see below). */
  toObject: protobuf.IConversionOptions | undefined;
  /** Whether decoded objects need the keys of proto3 `optional` fields' oneofs removed. */
  strips: boolean;
  /** What the Longs of decoded objects become; undefined where they hold none. */
  longs: LongConverter | undefined;
  /** Whether decoded objects may hold maps with 64-bit keys, which protobufjs leaves hashed. */
  longKeys: boolean;
  readonly children: IndexNode[];
}

/** A protobufjs message instance: reflection-based messages carry their type. */
interface MessageInstance {
  readonly $type: protobuf.Type;
}

/** An operation of a protobufjs Writer: `finish()` runs them into the buffer it allocates. */
interface WriterOp {
  fn(value: unknown, buffer: Uint8Array, position: number): void;
  readonly len: number;
  readonly val: unknown;
  readonly next: WriterOp | undefined;
}

/**
 * A compiled Protobuf schema: encodes one message type of the file (or, when the serializer did not
 * fix one, the type of a message instance) and decodes the type the frame's indexes name.
 */
export class ProtobufCodec implements SchemaCodec {
  readonly messageIndexes: readonly number[];
  readonly typeName: string;
  declare readonly messageIndexesOf?: (value: unknown) => readonly number[] | undefined;
  readonly #message: CompiledMessage;
  readonly #byName: ReadonlyMap<string, CompiledMessage>;
  readonly #indexTree: IndexNode[] = [];
  readonly #choosesByValue: boolean;
  readonly #jsonLongs: Longs;
  /** The converter of plain values of the codec's message, made on the first encode (decoders need none). */
  #prepare: ((value: unknown) => Record<string, unknown>) | undefined;
  // One reader for every decode, pointed at each payload in turn: decoding is synchronous, and a reader
  // per message cost more than a two-field message's decoding.
  readonly #reader = new BoundedBufferReader(NO_BYTES);

  constructor(parts: CodecParts) {
    this.#message = parts.message;
    this.#jsonLongs = parts.jsonLongs;
    this.#byName = parts.byName;
    this.#choosesByValue = parts.choosesByValue;
    const toObject = parts.toObject === false ? undefined : parts.toObject;
    for (const { indexes, message } of parts.decodeTargets) {
      let nodes = this.#indexTree;
      let node: IndexNode | undefined;
      for (const index of indexes) {
        node = nodes[index] ??= {
          target: undefined,
          toObject,
          strips: false,
          longs: undefined,
          longKeys: false,
          children: [],
        };
        nodes = node.children;
      }
      if (node === undefined) continue;
      node.target = message;
      // With `oneofs: true`, protobufjs names the set field of every oneof, proto3 `optional` fields'
      // own oneofs too, which only track presence. Where a message reaches no other oneof, turning
      // the option off gives the same object; where it does, those keys are removed after.
      if (toObject?.oneofs === true && typeof message !== 'string') {
        const reaches = oneofsReached(message.view);
        if (reaches.synthetic && !reaches.real) node.toObject = { ...toObject, oneofs: false };
        node.strips = reaches.synthetic && reaches.real;
      }
      if (toObject !== undefined && typeof message !== 'string' && reachesLongs(message.view)) {
        node.longs = parts.longs;
      }
      if (toObject !== undefined && typeof message !== 'string')
        node.longKeys = reachesLongKeys(message.view);
    }
    this.messageIndexes = parts.message.indexes;
    this.typeName = parts.message.fullName;
    if (parts.choosesByValue) this.messageIndexesOf = (value) => this.#chosen(value)?.indexes;
  }

  encode(value: unknown, headroom: number): Buffer {
    if (isMessageInstance(value)) return this.#encodeInstance(value, headroom);
    const { type } = this.#message;
    this.#prepare ??= plainMessagePreparer(type);
    const prepared = this.#prepare(value);
    let writer: protobuf.Writer;
    try {
      writer = type.encode(prepared);
    } catch (error) {
      throw serializationError(error);
    }
    return writeOut(writer, headroom);
  }

  decode(payload: Buffer, offset: number, messageIndexes?: readonly number[]): unknown {
    if (!Number.isInteger(offset) || offset < 0 || offset > payload.length) {
      throw deserializationError(`offset ${offset} is outside the ${payload.length}-byte payload`);
    }
    const indexes = messageIndexes ?? this.#message.indexes;
    const node = this.#nodeAt(indexes);
    const target = node?.target;
    if (target === undefined) {
      throw deserializationError(`message indexes ${JSON.stringify(indexes)} name no message of the schema`);
    }
    if (typeof target === 'string') throw deserializationError(target);
    const reader = this.#reader;
    reader.buf = payload;
    reader.pos = offset;
    reader.len = payload.length;
    try {
      if (node!.toObject === undefined) return target.type.decode(reader);
      const object = target.view.toObject(target.view.decode(reader), node!.toObject);
      if (node!.strips) stripSyntheticOneofs(target.view, object);
      if (node!.longKeys) decimalLongKeys(target.view, object);
      if (node!.longs !== undefined) convertLongs(object, node!.longs);
      return object;
    } catch (error) {
      throw deserializationError(
        `${target.fullName}: ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
    } finally {
      // A payload is often a view of the client's whole fetch response: the reader must not keep it.
      reader.buf = NO_BYTES;
    }
  }

  /**
   * The proto3 JSON form of a decoded value (of the message `messageIndexes` name, by default the
   * codec's). The value is encoded and read back first, so the form is the same whatever `toObject`
   * options made it, and fields print as the wire has them.
   */
  toJson(value: unknown, messageIndexes?: readonly number[]): unknown {
    let type: protobuf.Type;
    let bytes: Uint8Array;
    if (isMessageInstance(value)) {
      type = value.$type;
      bytes = type.encode(value).finish();
    } else {
      const target = this.#nodeAt(messageIndexes ?? this.#message.indexes)?.target;
      if (typeof target !== 'object') {
        throw new SchemaWireError(
          ErrorCode.DeserializationFailed,
          `cannot print value as json: message indexes ${JSON.stringify(messageIndexes)} name no message the codec reads`,
        );
      }
      type = target.type;
      bytes = type.encode(preparePlainMessage(type, value)).finish();
    }
    return messageToJson(type, type.decode(bytes) as unknown as Record<string, unknown>, this.#jsonLongs);
  }

  /** The value `encode` takes for the proto3 JSON form of a message of the codec's type. */
  fromJson(value: unknown): unknown {
    return messageFromJson(this.#message.type, value);
  }

  /** The node of an index path; `[]` is `[0]`, as the wire says. */
  #nodeAt(indexes: readonly number[]): IndexNode | undefined {
    let node = this.#indexTree[indexes[0] ?? 0];
    for (let i = 1; i < indexes.length && node !== undefined; i++) node = node.children[indexes[i]!];
    return node;
  }

  /** The message of the file a message instance of another type chooses; undefined for the default. */
  #chosen(value: unknown): CompiledMessage | undefined {
    if (!isMessageInstance(value)) return undefined;
    const name = value.$type.fullName.slice(1);
    return name === this.#message.fullName ? undefined : this.#byName.get(name);
  }

  #encodeInstance(value: MessageInstance, headroom: number): Buffer {
    const name = value.$type.fullName.slice(1);
    if (name !== this.#message.fullName && (!this.#choosesByValue || !this.#byName.has(name))) {
      const detail = this.#choosesByValue
        ? `the schema's file has no message ${JSON.stringify(name)}`
        : `it is a ${JSON.stringify(name)} message, and the serializer writes ${JSON.stringify(this.#message.fullName)}`;
      throw new SchemaWireError(ErrorCode.SerializationFailed, `cannot serialize value: ${detail}`);
    }
    const problem = value.$type.verify(value);
    if (problem !== null) throw verifyError(problem);
    let writer: unknown;
    try {
      writer = value.$type.encode(value);
    } catch (error) {
      throw serializationError(error);
    }
    // An instance of another copy of protobufjs has its own Writer; only its bytes are certain.
    if (writer instanceof protobuf.Writer) return writeOut(writer, headroom);
    const bytes = (writer as { finish(): Uint8Array }).finish();
    const out = Buffer.allocUnsafe(headroom + bytes.length);
    out.set(bytes, headroom);
    return out;
  }
}

const NO_BYTES = Buffer.alloc(0);

/** Node's Buffer, with the method behind `toString('utf8', start, end)`. */
interface Utf8Sliceable {
  utf8Slice(start: number, end: number): string;
}

/**
 * protobufjs's reader for Buffers, except that a string whose length runs past the end of the body
 * fails as every other field does; protobufjs 7.6 cuts such a string short and reads on. (Its reader
 * for plain Uint8Arrays checks, but decodes long strings ten times slower.)
 */
class BoundedBufferReader extends protobuf.BufferReader {
  override string(): string {
    const length = this.uint32();
    const start = this.pos;
    const end = start + length;
    if (end > this.len) throw new RangeError(`index out of range: ${start} + ${length} > ${this.len}`);
    this.pos = end;
    // What protobufjs's reader calls: Buffer#toString checks its arguments first, at a cost.
    return (this.buf as unknown as Utf8Sliceable).utf8Slice(start, end);
  }
}

/**
 * Runs the writer's operations into one buffer with `headroom` bytes before them: what
 * `Writer.finish()` does, without the second allocation and copy (about a quarter faster).
 */
function writeOut(writer: protobuf.Writer, headroom: number): Buffer {
  const out = Buffer.allocUnsafe(headroom + writer.len);
  let op = (writer.head as WriterOp).next;
  let position = headroom;
  while (op !== undefined) {
    op.fn(op.val, out, position);
    position += op.len;
    op = op.next;
  }
  return out;
}

function isMessageInstance(value: unknown): value is MessageInstance {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { $type?: unknown }).$type;
  return (
    typeof type === 'object' &&
    type !== null &&
    typeof (type as { fullName?: unknown }).fullName === 'string' &&
    typeof (type as { encode?: unknown }).encode === 'function'
  );
}

/** The kinds of oneof a message type has, itself or in a message type of its fields at any depth. */
interface OneofsReached {
  /** The oneofs of proto3 `optional` fields. */
  readonly synthetic: boolean;
  /** Oneofs declared in the .proto file. */
  readonly real: boolean;
}

const oneofsByType = new WeakMap<protobuf.Type, OneofsReached>();

function oneofsReached(type: protobuf.Type): OneofsReached {
  let known = oneofsByType.get(type);
  if (known === undefined) {
    let synthetic = false;
    let real = false;
    const seen = new Set<protobuf.Type>();
    const visit = (current: protobuf.Type): void => {
      if (seen.has(current)) return;
      seen.add(current);
      // protobufjs unpacks an Any's message (with `json: true`) with the same options: it may hold
      // any oneof, so it counts as reaching a real one.
      if (current.fullName === '.google.protobuf.Any') real = true;
      for (const oneof of current.oneofsArray) {
        if (isSyntheticOneof(oneof)) synthetic = true;
        else real = true;
      }
      for (const field of current.fieldsArray) {
        if (field.resolvedType instanceof protobuf.Type) visit(field.resolvedType);
      }
    };
    visit(type);
    known = { synthetic, real };
    oneofsByType.set(type, known);
  }
  return known;
}

/**
 * Removes what `oneofs: true` writes for proto3 `optional` fields (`_name: "name"`): their oneof
 * only tracks presence, which the field's own key already shows.
 */
function stripSyntheticOneofs(type: protobuf.Type, object: Record<string, unknown>): void {
  for (const oneof of type.oneofsArray) {
    if (isSyntheticOneof(oneof)) delete object[oneof.name];
  }
  for (const field of type.fieldsArray) {
    const nested = field.resolvedType;
    const value = object[field.name];
    if (!(nested instanceof protobuf.Type) || typeof value !== 'object' || value === null) continue;
    if (!oneofsReached(nested).synthetic) continue;
    const items = field.map ? Object.values(value) : field.repeated ? (value as unknown[]) : [value];
    for (const item of items) {
      if (typeof item === 'object' && item !== null)
        stripSyntheticOneofs(nested, item as Record<string, unknown>);
    }
  }
}

function serializationError(error: unknown): SchemaWireError {
  const detail = error instanceof Error ? error.message : describeValue(error);
  return new SchemaWireError(ErrorCode.SerializationFailed, `cannot serialize value: ${detail}`, {
    cause: error,
  });
}

function deserializationError(detail: string, cause?: unknown): SchemaWireError {
  return new SchemaWireError(
    ErrorCode.DeserializationFailed,
    `cannot deserialize value: ${detail}`,
    cause === undefined ? {} : { cause },
  );
}
