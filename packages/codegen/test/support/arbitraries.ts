import type avsc from 'avsc';
import fc from 'fast-check';
import protobuf from 'protobufjs';

const INT64 = fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n);
const UINT64 = fc.bigInt(0n, 2n ** 64n - 1n);
const MS_PER_DAY = 86_400_000;

/** Values an Avro type's codec writes, in the forms the generated input types name. */
export function avroValues(type: avsc.Type): fc.Arbitrary<unknown> {
  const typeName = type.typeName;
  switch (typeName) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'int':
      return fc.integer();
    case 'long':
      return fc.oneof(fc.maxSafeInteger(), INT64);
    case 'float':
      return fc.float();
    case 'double':
      return fc.double();
    case 'string':
      return fc.string({ unit: 'grapheme' });
    case 'bytes':
      return fc.uint8Array({ maxLength: 8 }).map((bytes) => Buffer.from(bytes));
    case 'fixed': {
      const size = (type as avsc.types.FixedType).size;
      return fc.uint8Array({ minLength: size, maxLength: size }).map((bytes) => Buffer.from(bytes));
    }
    case 'enum':
      return fc.constantFrom(...(type as avsc.types.EnumType).symbols);
    case 'array':
      return fc.array(avroValues((type as avsc.types.ArrayType).itemsType), { maxLength: 3 });
    case 'map':
      return fc.dictionary(fc.string(), avroValues((type as avsc.types.MapType).valuesType), { maxKeys: 3 });
    case 'record':
    case 'error':
      return fc.record(
        Object.fromEntries(
          (type as avsc.types.RecordType).fields.map((field) => [field.name, avroValues(field.type)]),
        ),
      );
    case 'union:unwrapped':
      return fc.oneof(...branches(type).map(avroValues));
    case 'union:wrapped':
      return fc.oneof(
        ...branches(type).map((branch) =>
          branch.typeName === 'null'
            ? fc.constant(null)
            : avroValues(branch).map((value) => ({ [branch.branchName!]: value })),
        ),
      );
    case 'logical:timestamp-millis':
      return fc.date({ noInvalidDate: true });
    case 'logical:timestamp-micros':
      return fc.maxSafeInteger();
    case 'logical:date':
      return fc.integer({ min: -1_000_000, max: 1_000_000 }).map((days) => new Date(days * MS_PER_DAY));
    case 'logical:uuid':
      return fc.uuid();
    case 'logical:decimal':
      // Precision 10, scale 2, as the fixture has it.
      return fc.integer({ min: -9_999_999_999, max: 9_999_999_999 }).map((cents) => (cents / 100).toFixed(2));
    default:
      throw new Error(`no values of avro type ${typeName}`);
  }
}

function branches(type: avsc.Type): readonly avsc.Type[] {
  return (type as unknown as { readonly types: readonly avsc.Type[] }).types;
}

/** Plain objects a Protobuf message type's codec writes, keyed by the type's (JSON) field names. */
export function protobufValues(type: protobuf.Type, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const plain = type.fieldsArray.filter(
    (field) => field.partOf === null || field.partOf.fieldsArray.length === 1,
  );
  const oneofs = type.oneofsArray.filter((oneof) => oneof.fieldsArray.length > 1);
  const fields = fc.record(
    Object.fromEntries(plain.map((field) => [field.name, fieldValues(field, depth)])),
    { requiredKeys: [] },
  );
  const members = oneofs.map((oneof) =>
    fc.oneof(
      fc.constant({}),
      ...oneof.fieldsArray.map((member) =>
        fieldValues(member, depth).map((value) => ({ [member.name]: value })),
      ),
    ),
  );
  return fc.tuple(fields, ...members).map((parts) => Object.assign({}, ...parts));
}

function fieldValues(field: protobuf.Field, depth: number): fc.Arbitrary<unknown> {
  const element = elementValues(field, depth);
  if (field.map) return fc.dictionary(fc.string(), element, { maxKeys: 3 });
  if (field.repeated) return fc.array(element, { maxLength: 3 });
  return field.resolvedType instanceof protobuf.Type && field.partOf === null
    ? fc.option(element, { nil: null })
    : element;
}

function elementValues(field: protobuf.Field, depth: number): fc.Arbitrary<unknown> {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) return fc.constantFrom(...Object.keys(resolved.values));
  if (resolved instanceof protobuf.Type)
    return depth > 3 ? fc.constant({}) : protobufValues(resolved, depth + 1);
  switch (field.type) {
    case 'double':
      return fc.double();
    case 'float':
      return fc.float();
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return fc.integer();
    case 'uint32':
    case 'fixed32':
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return INT64;
    case 'uint64':
    case 'fixed64':
      return UINT64;
    case 'bool':
      return fc.boolean();
    case 'string':
      return fc.string({ unit: 'grapheme' });
    case 'bytes':
      return fc.uint8Array({ maxLength: 8 });
    default:
      throw new Error(`no values of protobuf type ${field.type}`);
  }
}

type JsonSchema = Record<string, unknown>;

/**
 * JSON values a JSON Schema takes, for the constructs the fixtures use; `$ref`s to other files are
 * looked up in `documents` by their URL.
 */
export function jsonSchemaValues(
  schema: unknown,
  root: JsonSchema,
  documents: Readonly<Record<string, JsonSchema>>,
): fc.Arbitrary<unknown> {
  const json = schema as JsonSchema;
  if (typeof json['$ref'] === 'string') {
    const ref = json['$ref'];
    if (ref.startsWith('#/')) {
      const target = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((at, step) => (at as JsonSchema)[step], root);
      return jsonSchemaValues(target, root, documents);
    }
    const document = documents[ref]!;
    return jsonSchemaValues(document, document, documents);
  }
  if ('const' in json) return fc.constant(json['const']);
  if (Array.isArray(json['enum'])) return fc.constantFrom(...json['enum']);
  if (Array.isArray(json['oneOf']))
    return fc.oneof(...json['oneOf'].map((branch) => jsonSchemaValues(branch, root, documents)));
  const types = Array.isArray(json['type']) ? json['type'] : [json['type']];
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'string':
          return fc.string({ unit: 'grapheme' });
        case 'integer':
          // Beyond 2^53 too: the format reads those as bigints.
          return fc.oneof(fc.maxSafeInteger(), fc.bigInt(-(2n ** 70n), 2n ** 70n));
        case 'number':
          return fc.double({ noNaN: true, noDefaultInfinity: true });
        case 'boolean':
          return fc.boolean();
        case 'null':
          return fc.constant(null);
        case 'array':
          return fc.array(jsonSchemaValues(json['items'], root, documents), { maxLength: 3 });
        case 'object': {
          const properties = (json['properties'] ?? {}) as JsonSchema;
          const additional = json['additionalProperties'];
          if (Object.keys(properties).length === 0) {
            const values =
              additional === undefined ? fc.jsonValue() : jsonSchemaValues(additional, root, documents);
            return fc.dictionary(fc.string(), values, { maxKeys: 3 });
          }
          return fc.record(
            Object.fromEntries(
              Object.entries(properties).map(([name, property]) => [
                name,
                jsonSchemaValues(property, root, documents),
              ]),
            ),
            { requiredKeys: (json['required'] ?? []) as string[] },
          );
        }
        default:
          throw new Error(`no values of json schema type ${String(type)}`);
      }
    }),
  );
}
