import fc from 'fast-check';

/** An Avro schema as JSON data. */
export type SchemaJson = string | readonly SchemaJson[] | { readonly [key: string]: unknown };

const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;
/** The instants a `Date` holds: ±8.64e15 ms around 1970. */
const MAX_DATE_MS = 8.64e15;
/** The instants a long of nanoseconds holds, in milliseconds: about 1677 to 2262. */
const MAX_NANOS_MS = 9_223_372_036_854;
const MS_PER_DAY = 86_400_000;

const primitives = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'] as const;

/** Every logical type the format knows, on the types it annotates. */
const logicalSchemas: readonly SchemaJson[] = [
  { type: 'int', logicalType: 'date' },
  { type: 'int', logicalType: 'time-millis' },
  { type: 'long', logicalType: 'time-micros' },
  { type: 'long', logicalType: 'timestamp-millis' },
  { type: 'long', logicalType: 'timestamp-micros' },
  { type: 'long', logicalType: 'timestamp-nanos' },
  { type: 'long', logicalType: 'local-timestamp-millis' },
  { type: 'long', logicalType: 'local-timestamp-micros' },
  { type: 'long', logicalType: 'local-timestamp-nanos' },
  { type: 'string', logicalType: 'uuid' },
  { type: 'bytes', logicalType: 'decimal', precision: 20, scale: 4 },
  { type: 'bytes', logicalType: 'decimal', precision: 3, scale: 0 },
  { type: 'fixed', name: '', size: 8, logicalType: 'decimal', precision: 18, scale: 2 },
];

/**
 * Schemas of every construct, nested up to `depth`: primitives, logical types, enums, fixed, arrays,
 * maps, records and unions. Unions are `null` with one other branch, a logical one too; with
 * `manyBranches`, also unions of several plain branches, whose text forms can clash when unwrapped.
 * Named types get their names afterwards (see {@link nameTypes}).
 */
export function schemaArbitrary(depth: number, manyBranches: boolean): fc.Arbitrary<SchemaJson> {
  const leaf = fc.oneof(
    fc.constantFrom<SchemaJson>(...primitives),
    fc.constantFrom(...logicalSchemas),
    fc.constant<SchemaJson>({ type: 'enum', name: '', symbols: ['S0', 'S1', 'S2'] }),
    fc.integer({ min: 1, max: 4 }).map((size): SchemaJson => ({ type: 'fixed', name: '', size })),
  );
  if (depth === 0) return leaf;
  const inner = schemaArbitrary(depth - 1, manyBranches);
  const nonUnion = inner.filter((schema) => !Array.isArray(schema));
  const unions: fc.Arbitrary<SchemaJson>[] = [
    fc
      .tuple(
        nonUnion.filter((schema) => schema !== 'null'),
        fc.boolean(),
      )
      .map(([branch, nullFirst]) => (nullFirst ? ['null', branch] : [branch, 'null'])),
  ];
  if (manyBranches) {
    const plain = fc.oneof(
      fc.constantFrom<SchemaJson>(...primitives),
      fc.constant<SchemaJson>({ type: 'enum', name: '', symbols: ['S0', 'S1'] }),
      fc.constant<SchemaJson>({ type: 'fixed', name: '', size: 2 }),
      fc.constant<SchemaJson>({ type: 'record', name: '', fields: [{ name: 'x', type: 'int' }] }),
      fc.constant<SchemaJson>({ type: 'array', items: 'string' }),
      fc.constant<SchemaJson>({ type: 'map', values: 'long' }),
    );
    // Branches of different kinds: a union holds each unnamed kind once.
    unions.push(fc.uniqueArray(plain, { minLength: 2, maxLength: 4, selector: (schema) => kindOf(schema) }));
  }
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: nonUnion.map((items): SchemaJson => ({ type: 'array', items })) },
    { weight: 1, arbitrary: nonUnion.map((values): SchemaJson => ({ type: 'map', values })) },
    { weight: 1, arbitrary: fc.oneof(...unions) },
    {
      weight: 2,
      arbitrary: fc.array(inner, { minLength: 1, maxLength: 4 }).map(
        (types): SchemaJson => ({
          type: 'record',
          name: '',
          fields: types.map((type, index) => ({ name: `f${index}`, type })),
        }),
      ),
    },
  );
}

function kindOf(schema: SchemaJson): string {
  return typeof schema === 'string' ? schema : String((schema as { type: unknown }).type);
}

/** `schema` with every named type given a name of its own (T0, T1, …), as Avro requires. */
export function nameTypes(schema: SchemaJson): SchemaJson {
  let next = 0;
  const visit = (node: SchemaJson): SchemaJson => {
    if (typeof node === 'string') return node;
    if (Array.isArray(node)) return node.map(visit);
    const object = node as Record<string, unknown>;
    const named: Record<string, unknown> = { ...object };
    if (object['name'] === '') named['name'] = `T${next++}`;
    if (object['items'] !== undefined) named['items'] = visit(object['items'] as SchemaJson);
    if (object['values'] !== undefined) named['values'] = visit(object['values'] as SchemaJson);
    if (Array.isArray(object['fields'])) {
      named['fields'] = (object['fields'] as { name: string; type: SchemaJson }[]).map((field) => ({
        name: field.name,
        type: visit(field.type),
      }));
    }
    return named;
  };
  return visit(schema);
}

/**
 * Values of `schema` in the JSON forms the format reads, written by hand or by `Date#toISOString`
 * rather than by the code under test: counts and text for times, base64 for bytes, decimal text,
 * bigints beyond 2^53, the text of non-finite floats, and unions as `{"branch": value}` where
 * `namedUnions`.
 */
export function jsonValueArbitrary(schema: SchemaJson, namedUnions: boolean): fc.Arbitrary<unknown> {
  if (Array.isArray(schema)) {
    const branches = schema.map((branch) =>
      branch === 'null'
        ? fc.constant(null)
        : jsonValueArbitrary(branch, namedUnions).map((value) =>
            namedUnions ? { [branchName(branch)]: value } : value,
          ),
    );
    return fc.oneof(...branches);
  }
  if (typeof schema === 'string') return primitiveArbitrary(schema);
  const object = schema as Record<string, unknown>;
  if (typeof object['logicalType'] === 'string') return logicalArbitrary(object);
  switch (object['type']) {
    case 'enum':
      return fc.constantFrom(...(object['symbols'] as string[]));
    case 'fixed': {
      const size = object['size'] as number;
      return fc.uint8Array({ minLength: size, maxLength: size }).map(base64);
    }
    case 'array':
      return fc.array(jsonValueArbitrary(object['items'] as SchemaJson, namedUnions), { maxLength: 3 });
    case 'map':
      return fc
        .array(fc.tuple(fc.string(), jsonValueArbitrary(object['values'] as SchemaJson, namedUnions)), {
          maxLength: 3,
        })
        .map((entries) => Object.fromEntries(entries));
    case 'record': {
      const fields = object['fields'] as { name: string; type: SchemaJson }[];
      return fc.record(
        Object.fromEntries(fields.map((field) => [field.name, jsonValueArbitrary(field.type, namedUnions)])),
      );
    }
    default:
      return primitiveArbitrary(object['type'] as string);
  }
}

function branchName(schema: SchemaJson): string {
  if (typeof schema === 'string') return schema;
  const object = schema as Record<string, unknown>;
  return typeof object['name'] === 'string' ? object['name'] : (object['type'] as string);
}

function primitiveArbitrary(name: string): fc.Arbitrary<unknown> {
  switch (name) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'int':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'long':
      return longArbitrary(MIN_LONG, MAX_LONG);
    case 'float':
      return fc.float().map(floatJson);
    case 'double':
      return fc.double().map(floatJson);
    case 'bytes':
      return fc.uint8Array({ maxLength: 6 }).map(base64);
    case 'string':
      return fc.string();
    default:
      throw new Error(`no arbitrary for ${name}`);
  }
}

function logicalArbitrary(schema: Record<string, unknown>): fc.Arbitrary<unknown> {
  const millis = (max: number) => fc.integer({ min: -max, max });
  const iso = (ms: number) => new Date(ms).toISOString();
  const digits = (count: number) =>
    fc.integer({ min: 0, max: 10 ** count - 1 }).map((n) => String(n).padStart(count, '0'));
  switch (schema['logicalType']) {
    case 'date':
      return fc
        .integer({ min: -100_000_000, max: 100_000_000 })
        .map((days) => iso(days * MS_PER_DAY).slice(0, -14));
    case 'time-millis':
      return fc.oneof(
        fc.integer({ min: 0, max: MS_PER_DAY - 1 }).map((ms) => iso(ms).slice(11, 23)),
        primitiveArbitrary('int'),
      );
    case 'time-micros':
      return fc.oneof(
        fc
          .tuple(fc.integer({ min: 0, max: MS_PER_DAY - 1 }), digits(3))
          .map(([ms, micros]) => `${iso(ms).slice(11, 23)}${micros}`),
        primitiveArbitrary('long'),
      );
    case 'timestamp-millis':
      return fc.oneof(millis(MAX_DATE_MS).map(iso), millis(MAX_DATE_MS));
    case 'timestamp-micros':
    case 'local-timestamp-micros':
    case 'timestamp-nanos':
    case 'local-timestamp-nanos':
    case 'local-timestamp-millis': {
      const name = schema['logicalType'] as string;
      const extra = name.endsWith('nanos') ? 6 : name.endsWith('micros') ? 3 : 0;
      const zone = name.startsWith('local') ? '' : 'Z';
      const range = extra === 6 ? MAX_NANOS_MS : MAX_DATE_MS;
      const text = fc
        .tuple(millis(range), digits(extra))
        .map(([ms, below]) => `${iso(ms).slice(0, -1)}${extra === 0 ? '' : below}${zone}`);
      return fc.oneof(text, primitiveArbitrary('long'));
    }
    case 'uuid':
      return fc.uuid();
    case 'decimal': {
      const precision = schema['precision'] as number;
      const scale = schema['scale'] as number;
      const limit = 10n ** BigInt(precision) - 1n;
      return fc.bigInt({ min: -limit, max: limit }).map((unscaled) => decimalText(unscaled, scale));
    }
    default:
      throw new Error(`no arbitrary for ${String(schema['logicalType'])}`);
  }
}

/** A long as the JSON reader gives it: a number where exact, a bigint beyond. */
function longArbitrary(min: bigint, max: bigint): fc.Arbitrary<number | bigint> {
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  return fc.bigInt({ min, max }).map((value) => (value >= -safe && value <= safe ? Number(value) : value));
}

function floatJson(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function decimalText(unscaled: bigint, scale: number): string {
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return unscaled < 0n ? `-${text}` : text;
}
