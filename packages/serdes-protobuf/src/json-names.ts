import protobuf from 'protobufjs';

/**
 * The JSON name protoc gives a field without a `json_name` option: underscores dropped, the letter
 * after each one upper-cased (`nick_name` -> `nickName`, `field_1` -> `field1`).
 */
export function defaultJsonName(name: string): string {
  let out = '';
  let upper = false;
  for (const char of name) {
    if (char === '_') {
      upper = true;
    } else {
      out += upper ? char.toUpperCase() : char;
      upper = false;
    }
  }
  return out;
}

/**
 * The JSON name of a field: its `json_name` option, else the protoc default. protobufjs takes an
 * option of any type; one that is not text is ignored, as protoc would refuse it.
 */
export function jsonNameOf(name: string, options: Readonly<Record<string, unknown>> | undefined): string {
  const option = options?.['json_name'];
  return typeof option === 'string' ? option : defaultJsonName(name);
}

interface FieldJson {
  options?: Record<string, unknown>;
}

interface TypeJson {
  fields?: Record<string, FieldJson>;
  oneofs?: Record<string, { oneof: string[] }>;
  reserved?: unknown;
  nested?: Record<string, TypeJson>;
}

/**
 * A copy of `root` whose fields carry their JSON names (the `json_name` option, else the protoc
 * default) and whose oneofs carry lowerCamelCase names, so protobufjs's generated `toObject` writes
 * JSON names at full speed. Decoding is the same either way: only names differ, never numbers or
 * types. `root` itself when no name would change. A field whose JSON name another field of its
 * message already has keeps its .proto name.
 */
export function jsonNamedRoot(root: protobuf.Root): protobuf.Root {
  const json = root.toJSON() as TypeJson;
  let changed = false;
  const visit = (namespace: TypeJson): void => {
    for (const nested of Object.values(namespace.nested ?? {})) {
      if (nested.fields !== undefined && renameFields(nested)) changed = true;
      visit(nested);
    }
  };
  visit(json);
  if (!changed) return root;
  const renamed = protobuf.Root.fromJSON(json as protobuf.INamespace);
  renamed.resolveAll();
  return renamed;
}

/**
 * Whether a JSON name can be a key of decoded objects: protobufjs refuses field names that start
 * with `$` (its own members) and drops `__proto__`; such a field keeps its .proto name.
 */
export function isUsableKey(name: string): boolean {
  return !name.startsWith('$') && name !== '__proto__';
}

function renameFields(type: TypeJson): boolean {
  const fields = type.fields!;
  const taken = new Set(Object.keys(fields));
  const names = new Map<string, string>();
  for (const [name, field] of Object.entries(fields)) {
    // Extension fields are named by their full name (".pkg.ext"); they keep it.
    if (name.startsWith('.')) continue;
    const jsonName = jsonNameOf(name, field.options);
    if (jsonName === name || taken.has(jsonName) || !isUsableKey(jsonName)) continue;
    taken.add(jsonName);
    names.set(name, jsonName);
  }
  const oneofNames = new Map<string, string>();
  for (const [name, oneof] of Object.entries(type.oneofs ?? {})) {
    const synthetic =
      oneof.oneof.length === 1 && fields[oneof.oneof[0]!]?.options?.['proto3_optional'] === true;
    const jsonName = defaultJsonName(name);
    if (synthetic || jsonName === name || taken.has(jsonName)) continue;
    taken.add(jsonName);
    oneofNames.set(name, jsonName);
  }
  if (names.size === 0 && oneofNames.size === 0) return false;
  type.fields = Object.fromEntries(
    Object.entries(fields).map(([name, field]) => [names.get(name) ?? name, field]),
  );
  if (type.oneofs !== undefined) {
    type.oneofs = Object.fromEntries(
      Object.entries(type.oneofs).map(([name, oneof]) => [
        oneofNames.get(name) ?? name,
        { ...oneof, oneof: oneof.oneof.map((member) => names.get(member) ?? member) },
      ]),
    );
  }
  // Reserved names are .proto names; a JSON name may match one, and the view only decodes.
  delete type.reserved;
  return true;
}
