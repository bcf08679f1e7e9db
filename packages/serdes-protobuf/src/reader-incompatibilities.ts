import protobuf from 'protobufjs';
import type { SchemaRoot } from './schema-root.js';
import { isReservedNumber, isSyntheticOneof } from './schema-root.js';

/**
 * Confluent's Protobuf compatibility rules, as problems that stop data written with one schema from
 * being read with another: a message at an index path removed or renamed, an enum renamed, a field
 * number whose type or cardinality changed in a way the wire does not allow, a proto2 required field
 * the writer may not write, fields moved together into a oneof, and a field removed without its
 * number or name reserved. That last rule is about how a schema evolves, not about reading: it needs
 * to know which schema is the newer one.
 */
export function readerIncompatibilities(
  reader: SchemaRoot,
  writer: SchemaRoot,
  readerIsNewer: boolean,
): string[] {
  const problems: string[] = [];
  const compared = new Set<string>();
  const readerByPath = new Map(reader.messages.map((message) => [message.indexes.join('.'), message.type]));
  const writerByPath = new Map(writer.messages.map((message) => [message.indexes.join('.'), message.type]));
  // A message only the newer schema has was added, which is fine; one only the older has was removed.
  const [older, newerByPath] = readerIsNewer ? [writer, readerByPath] : [reader, writerByPath];
  for (const { indexes, type } of older.messages) {
    if (!newerByPath.has(indexes.join('.'))) {
      problems.push(`message ${nameOf(type)} (indexes ${JSON.stringify(indexes)}) was removed`);
    }
  }
  for (const { indexes, type } of writer.messages) {
    const counterpart = readerByPath.get(indexes.join('.'));
    if (counterpart === undefined) continue;
    if (counterpart.fullName !== type.fullName) {
      problems.push(
        `message at indexes ${JSON.stringify(indexes)} was renamed from ${nameOf(type)} to ${nameOf(counterpart)}`,
      );
    } else {
      compareMessages(counterpart, type, readerIsNewer, problems, compared);
    }
  }
  compareEnums(enumsOf(reader.declarations), enumsOf(writer.declarations), problems);
  return problems;
}

/** How a field's values travel: scalars of one group share a wire encoding and read each other. */
const SCALAR_GROUPS: Readonly<Record<string, string>> = {
  int32: 'varint',
  uint32: 'varint',
  int64: 'varint',
  uint64: 'varint',
  bool: 'varint',
  sint32: 'zigzag',
  sint64: 'zigzag',
  fixed32: 'fixed32',
  sfixed32: 'fixed32',
  fixed64: 'fixed64',
  sfixed64: 'fixed64',
  float: 'float',
  double: 'double',
  string: 'length-delimited',
  bytes: 'length-delimited',
};

function compareMessages(
  reader: protobuf.Type,
  writer: protobuf.Type,
  readerIsNewer: boolean,
  problems: string[],
  compared: Set<string>,
): void {
  // Each pair once: a recursive message would loop, and a shared one would repeat its problems.
  const key = `${reader.fullName}\u0000${writer.fullName}`;
  if (compared.has(key)) return;
  compared.add(key);
  const where = `message ${nameOf(writer)}`;
  const readerFields = ownFields(reader);
  const writerFields = ownFields(writer);
  for (const [id, written] of writerFields) {
    const read = readerFields.get(id);
    if (read === undefined) continue;
    const field = `${where}: field ${JSON.stringify(read.name)} (${id})`;
    const typeProblem = typeChange(read, written);
    if (typeProblem !== undefined) {
      problems.push(`${field}: ${typeProblem}`);
    } else if (read.repeated !== written.repeated && !lengthDelimited(read)) {
      problems.push(
        `${field}: changed from ${written.repeated ? 'repeated' : 'singular'} to ${read.repeated ? 'repeated' : 'singular'}`,
      );
    } else if (read.resolvedType instanceof protobuf.Type && written.resolvedType instanceof protobuf.Type) {
      compareMessages(read.resolvedType, written.resolvedType, readerIsNewer, problems, compared);
    }
    if (read.required && !written.required) {
      problems.push(`${field}: is required, and the writer may leave it out`);
    }
  }
  for (const [id, read] of readerFields) {
    if (read.required && !writerFields.has(id)) {
      problems.push(
        `${where}: field ${JSON.stringify(read.name)} (${id}) is required, and the writer has no such field`,
      );
    }
  }
  const [older, newer] = readerIsNewer ? [writerFields, reader] : [readerFields, writer];
  const newerFields = readerIsNewer ? readerFields : writerFields;
  for (const [id, field] of older) {
    if (!newerFields.has(id) && !isReservedNumber(newer, id) && !newer.isReservedName(field.name)) {
      problems.push(
        `${where}: field ${JSON.stringify(field.name)} (${id}) was removed without reserving its number or name`,
      );
    }
  }
  problems.push(...oneofMoves(reader, writerFields, where));
  compareEnums(enumsOf(reader.nestedArray), enumsOf(writer.nestedArray), problems);
}

/** Why a field's values of the writer cannot be read as the reader's type; undefined when they can. */
function typeChange(read: protobuf.Field, written: protobuf.Field): string | undefined {
  if (read.map !== written.map) {
    return `changed from ${written.map ? 'a map' : 'a non-map field'} to ${read.map ? 'a map' : 'a non-map field'}`;
  }
  if (read instanceof protobuf.MapField && written instanceof protobuf.MapField) {
    const [readKey, writtenKey] = [read.keyType, written.keyType];
    if (SCALAR_GROUPS[readKey] !== SCALAR_GROUPS[writtenKey]) {
      return `map key type changed from ${writtenKey} to ${readKey}`;
    }
  }
  const [readType, writtenType] = [typeNameOf(read), typeNameOf(written)];
  if (readType === writtenType) return undefined;
  const [readGroup, writtenGroup] = [SCALAR_GROUPS[readType], SCALAR_GROUPS[writtenType]];
  if (readGroup !== undefined && readGroup === writtenGroup) return undefined;
  return `type changed from ${writtenType} to ${readType}`;
}

/**
 * Reader oneofs holding fields the writer kept apart (outside any oneof, or in different oneofs):
 * the writer may set several of them, and the reader keeps only one. One field moving into a new
 * oneof is fine.
 */
function oneofMoves(
  reader: protobuf.Type,
  writerFields: ReadonlyMap<number, protobuf.Field>,
  where: string,
): string[] {
  const problems: string[] = [];
  for (const oneof of reader.oneofsArray) {
    if (isSyntheticOneof(oneof)) continue;
    const written = oneof.fieldsArray
      .map((field) => writerFields.get(field.id))
      .filter((field): field is protobuf.Field => field !== undefined);
    const places = new Set(written.map((field) => containerOf(field)));
    if (places.size > 1) {
      const names = written.map((field) => `${JSON.stringify(field.name)} (${field.id})`).join(', ');
      problems.push(`${where}: fields ${names} moved into oneof ${JSON.stringify(oneof.name)}`);
    }
  }
  return problems;
}

function containerOf(field: protobuf.Field): string {
  const oneof = field.partOf;
  return oneof === null || isSyntheticOneof(oneof) ? `field ${field.id}` : `oneof ${oneof.name}`;
}

/** Enums are not framed by index, so an enum is paired with the one at its place among its siblings. */
function compareEnums(reader: protobuf.Enum[], writer: protobuf.Enum[], problems: string[]): void {
  writer.forEach((written, index) => {
    const read = reader[index];
    if (read !== undefined && read.name !== written.name) {
      problems.push(`enum ${nameOf(written)} was renamed to ${nameOf(read)}`);
    }
  });
}

function enumsOf(objects: readonly protobuf.ReflectionObject[]): protobuf.Enum[] {
  return objects.filter((object): object is protobuf.Enum => object instanceof protobuf.Enum);
}

/** The fields a message declares, by number; extensions declared elsewhere are not its own. */
function ownFields(type: protobuf.Type): Map<number, protobuf.Field> {
  return new Map(
    type.fieldsArray.filter((field) => field.declaringField === null).map((field) => [field.id, field]),
  );
}

function typeNameOf(field: protobuf.Field): string {
  const resolved = field.resolvedType;
  return resolved === null ? field.type : nameOf(resolved);
}

function lengthDelimited(field: protobuf.Field): boolean {
  return field.resolvedType instanceof protobuf.Type || field.type === 'string' || field.type === 'bytes';
}

function nameOf(object: protobuf.ReflectionObject): string {
  return object.fullName.slice(1);
}
