import type { Schema } from './schema.js';

/**
 * A schema with the TypeScript types of its values, as `schemawire codegen` writes one per schema
 * file: a `Serializer` built from it takes `Input`, a `Deserializer` given it returns `Value` for
 * payloads written with it. The types are phantom: nothing of them exists at run time, so a handle
 * costs what a plain {@link Schema} costs.
 */
export interface SchemaHandle<Value = unknown, Input = Value, Name extends string = string> extends Schema {
  /**
   * The full name of the type values have (Avro named type, Protobuf message, JSON Schema title or
   * file name): what a typed `Deserialized` is narrowed on.
   */
  readonly typeName: Name;
  /** The message values are written as, for formats whose schemas hold several (Protobuf full name). */
  readonly messageName?: string;
  /** Types only, never set: the decoded value type and the type serialize takes. */
  readonly '~types'?: { readonly value: Value; readonly input: Input };
}

/** Any schema handle, whatever its types. */
// biome-ignore lint/suspicious/noExplicitAny: the widest handle must accept every value and input type, which `unknown` (contravariant in the input) does not.
export type AnySchemaHandle = SchemaHandle<any, any, string>;

/** The decoded value type of a handle; `unknown` for a plain schema. */
export type ValueOf<S> = S extends { readonly '~types'?: { readonly value: infer V } } ? V : unknown;

/** The type a serializer built from a handle takes; `unknown` for a plain schema. */
export type InputOf<S> = S extends { readonly '~types'?: { readonly input: infer I } } ? I : unknown;

/**
 * A decoded value typed by the schema handle (one of `H`) it was written with, narrowed by `typeName`;
 * a value of any other schema has no `typeName` and is `unknown`.
 */
export type TypedValue<H extends AnySchemaHandle> =
  | (H extends SchemaHandle<infer Value, infer _Input, infer Name>
      ? { readonly typeName: Name; readonly value: Value }
      : never)
  | {
      /** Undefined: the schema is none of the handles, so nothing is known of the value's type. */
      readonly typeName?: undefined;
      readonly value: unknown;
    };

/** True when `schema` is a handle (it names its type), not a plain schema. */
export function isSchemaHandle(schema: Schema): schema is AnySchemaHandle {
  return typeof (schema as { typeName?: unknown }).typeName === 'string';
}
