import type {
  CompileOptions,
  ResolvedSchema,
  SchemaCodec,
  SchemaFormat,
  SchemaType,
} from '@schemawire/core-client';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';

/**
 * The schema text the test formats read: a JSON object naming the type, its fields, the fields a
 * reader requires, and (for the Protobuf-style format) the message index path of each message.
 */
export interface TestSchemaText {
  readonly name?: string;
  readonly fields?: readonly string[];
  readonly required?: readonly string[];
  readonly messages?: Readonly<Record<string, readonly number[]>>;
}

/** A test format that remembers what it compiled, so tests can count compilations and see references. */
export interface TestFormat extends SchemaFormat {
  readonly compiled: { readonly schema: ResolvedSchema; readonly options: CompileOptions | undefined }[];
}

/** The text of a test schema. */
export function testSchema(text: TestSchemaText): string {
  return JSON.stringify(text);
}

/**
 * A format whose body is `JSON.stringify(value)`; encoding a value that lacks a required field fails
 * with SCHEMAWIRE_SERIALIZATION_FAILED. With `usesMessageIndexes`, the codec reports the message indexes
 * of `messageName` and decodes to `{ messageName, value }`, like a Protobuf format picking a message;
 * compiled without `messageName`, a value with a `$message` property naming another message of the
 * schema chooses that message (`messageIndexesOf`), like a Protobuf message instance.
 */
export function testFormat(schemaType: SchemaType, usesMessageIndexes: boolean): TestFormat {
  const compiled: TestFormat['compiled'] = [];
  return {
    schemaType,
    usesMessageIndexes,
    compiled,
    compile(schema, options) {
      compiled.push({ schema, options });
      return compileCodec(schema, options, usesMessageIndexes);
    },
    validate(schema) {
      parse(schema);
    },
    canonicalize(schema) {
      return JSON.stringify(parse(schema));
    },
    readerIncompatibilities(reader, writer) {
      const written = parse(writer).fields ?? [];
      return (parse(reader).required ?? [])
        .filter((field) => !written.includes(field))
        .map((field) => `field ${JSON.stringify(field)} is required but not written`);
    },
  };
}

/** The JSON test format (no message indexes). */
export function jsonTestFormat(): TestFormat {
  return testFormat('JSON', false);
}

/** The Protobuf-style test format (message indexes from `messageName`). */
export function protobufTestFormat(): TestFormat {
  return testFormat('PROTOBUF', true);
}

function compileCodec(
  schema: ResolvedSchema,
  options: CompileOptions | undefined,
  usesMessageIndexes: boolean,
): SchemaCodec {
  const text = parse(schema);
  const required = text.required ?? [];
  const readerFields = options?.readerSchema === undefined ? undefined : parse(options.readerSchema).fields;
  const messages = text.messages ?? {};
  const messageName = options?.messageName ?? Object.keys(messages)[0];
  const messageIndexes = messageName === undefined ? [0] : messages[messageName];
  if (usesMessageIndexes && messageIndexes === undefined) {
    throw new SchemaWireError(
      ErrorCode.InvalidSchema,
      `cannot compile test schema: no message ${JSON.stringify(messageName)}`,
    );
  }
  const typeName = messageName ?? text.name;
  const decodeBody = (payload: Buffer, offset: number): unknown => {
    let value: unknown;
    try {
      value = JSON.parse(payload.toString('utf8', offset));
    } catch (error) {
      throw new SchemaWireError(
        ErrorCode.DeserializationFailed,
        `cannot decode test body: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (readerFields === undefined || typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).filter(([field]) => readerFields.includes(field)));
  };
  const messageIndexesOf = (value: unknown): readonly number[] | undefined => {
    const chosen =
      typeof value === 'object' && value !== null ? (value as { $message?: unknown }).$message : undefined;
    return typeof chosen === 'string' && chosen !== messageName ? messages[chosen] : undefined;
  };
  const choosesByValue = usesMessageIndexes && options?.messageName === undefined;
  return {
    ...(usesMessageIndexes ? { messageIndexes: messageIndexes! } : {}),
    ...(choosesByValue ? { messageIndexesOf } : {}),
    ...(typeName === undefined ? {} : { typeName }),
    encode(value, headroom) {
      if (typeof value !== 'object' || value === null) {
        throw new SchemaWireError(
          ErrorCode.SerializationFailed,
          `cannot encode test value: ${JSON.stringify(value)} is not an object`,
        );
      }
      for (const field of required) {
        if (!(field in value)) {
          throw new SchemaWireError(
            ErrorCode.SerializationFailed,
            `cannot encode test value: field ${JSON.stringify(field)} is missing`,
          );
        }
      }
      const body = JSON.stringify(value);
      const out = Buffer.alloc(headroom + Buffer.byteLength(body));
      out.write(body, headroom, 'utf8');
      return out;
    },
    decode(payload, offset, indexes) {
      const value = decodeBody(payload, offset);
      if (!usesMessageIndexes) return value;
      const path = JSON.stringify(indexes ?? [0]);
      const name = Object.keys(messages).find((key) => JSON.stringify(messages[key]) === path);
      if (name === undefined) {
        throw new SchemaWireError(
          ErrorCode.DeserializationFailed,
          `cannot decode test body: no message at ${path}`,
        );
      }
      return { messageName: name, value };
    },
  };
}

function parse(schema: ResolvedSchema): TestSchemaText {
  try {
    const text: unknown = JSON.parse(schema.schema.schema);
    if (typeof text !== 'object' || text === null || Array.isArray(text)) throw new Error('not an object');
    return text as TestSchemaText;
  } catch (error) {
    throw new SchemaWireError(
      ErrorCode.InvalidSchema,
      `cannot parse test schema: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
