import avsc from 'avsc';
import { typeLabel } from './type-labels.js';

/** What avsc builds to read one type's data as another. */
export type Resolver = ReturnType<avsc.Type['createResolver']>;

/**
 * Reads `writer` data as `reader` values. Named types match by unqualified name or alias, as the Avro
 * spec says; avsc compares full names unless told otherwise. The options are made anew on each call
 * because avsc caches record resolvers in them.
 */
export function createResolver(reader: avsc.Type, writer: avsc.Type): Resolver {
  return reader.createResolver(writer, { ignoreNamespaces: true });
}

/**
 * What stops `writer` data from being read as `reader`, one message per problem, naming the field
 * (`address.zip`, `tags[]` for array items, `attributes{}` for map values). Empty when nothing does.
 */
export function readerIncompatibilities(reader: avsc.Type, writer: avsc.Type): string[] {
  try {
    createResolver(reader, writer);
    return [];
  } catch (error) {
    // avsc stops at the first problem and names it with whole schemas; walk the types to name each one.
    const problems: string[] = [];
    collect(reader, writer, '', problems, new Set());
    if (problems.length > 0) return problems;
    const message = error instanceof Error ? error.message : String(error);
    return [message.length > 200 ? `${message.slice(0, 200)}…` : message];
  }
}

function canResolve(reader: avsc.Type, writer: avsc.Type): boolean {
  try {
    createResolver(reader, writer);
    return true;
  } catch {
    return false;
  }
}

function collect(
  reader: avsc.Type,
  writer: avsc.Type,
  path: string,
  problems: string[],
  seen: Set<string>,
): void {
  if (canResolve(reader, writer)) return;
  if (avsc.Type.isType(writer, 'union')) {
    for (const branch of branches(writer)) collect(reader, branch, path, problems, seen);
    return;
  }
  if (avsc.Type.isType(reader, 'union')) {
    // Point into the branch the writer's type was meant for (same kind and name), if there is one.
    const target = branches(reader).find(
      (branch) =>
        branch.typeName === writer.typeName && (branch.name === undefined || namesMatch(branch, writer)),
    );
    if (target !== undefined) collect(target, writer, path, problems, seen);
    else problems.push(`${where(path)}writer type ${quote(writer)} cannot be read as ${quote(reader)}`);
    return;
  }
  if (!avsc.Type.isType(reader, 'logical') && avsc.Type.isType(writer, 'logical')) {
    collect(reader, (writer as avsc.types.LogicalType).underlyingType, path, problems, seen);
    return;
  }
  const before = problems.length;
  if (reader instanceof avsc.types.RecordType && writer instanceof avsc.types.RecordType) {
    // A recursive record meets itself again: its fields were looked at the first time.
    const pair = `${reader.name}|${writer.name}`;
    if (seen.has(pair)) return;
    seen.add(pair);
    collectRecord(reader, writer, path, problems, seen);
  } else if (reader instanceof avsc.types.ArrayType && writer instanceof avsc.types.ArrayType) {
    collect(reader.itemsType, writer.itemsType, `${path}[]`, problems, seen);
  } else if (reader instanceof avsc.types.MapType && writer instanceof avsc.types.MapType) {
    collect(reader.valuesType as avsc.Type, writer.valuesType as avsc.Type, `${path}{}`, problems, seen);
  } else if (
    reader instanceof avsc.types.EnumType &&
    writer instanceof avsc.types.EnumType &&
    namesMatch(reader, writer)
  ) {
    const missing = writer.symbols.filter((symbol) => !reader.symbols.includes(symbol));
    problems.push(
      `${where(path)}enum ${quote(reader)} has no default for the writer's symbols ${JSON.stringify(missing)}`,
    );
  }
  if (problems.length === before) {
    problems.push(`${where(path)}writer type ${quote(writer)} cannot be read as ${quote(reader)}`);
  }
}

function collectRecord(
  reader: avsc.types.RecordType,
  writer: avsc.types.RecordType,
  path: string,
  problems: string[],
  seen: Set<string>,
): void {
  if (!namesMatch(reader, writer)) {
    problems.push(
      `${where(path)}record ${quote(reader)} cannot read record ${quote(writer)}: no name or alias matches`,
    );
    return;
  }
  for (const field of reader.fields) {
    const fieldPath = path === '' ? field.name : `${path}.${field.name}`;
    const names = [field.name, ...field.aliases];
    const matches = writer.fields.filter((candidate) => names.includes(candidate.name));
    const [match] = matches;
    if (matches.length > 1) {
      const matched = JSON.stringify(matches.map((candidate) => candidate.name));
      problems.push(
        `field ${JSON.stringify(fieldPath)}: its name and aliases match several writer fields ${matched}`,
      );
    } else if (match !== undefined) {
      collect(field.type, match.type, fieldPath, problems, seen);
    } else if (field.defaultValue() === undefined) {
      problems.push(
        `field ${JSON.stringify(fieldPath)} has no default and the writer schema does not have it`,
      );
    }
  }
}

function branches(union: avsc.Type): readonly avsc.Type[] {
  return (union as avsc.types.UnwrappedUnionType).types;
}

/** Whether `writer`'s unqualified name is `reader`'s or one of its aliases. */
function namesMatch(reader: avsc.Type, writer: avsc.Type): boolean {
  if (writer.name === undefined) return true;
  const name = unqualified(writer.name);
  return [reader.name ?? '', ...(reader.aliases ?? [])].some((candidate) => unqualified(candidate) === name);
}

function unqualified(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

function where(path: string): string {
  return path === '' ? '' : `field ${JSON.stringify(path)}: `;
}

function quote(type: avsc.Type): string {
  return JSON.stringify(typeLabel(type));
}
