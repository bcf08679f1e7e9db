import type { ResolvedSchema } from '@schemawire/core-client';
import { canonicalJson } from './canonical-json.js';
import type { Located, SchemaDocument } from './schema-documents.js';
import { SchemaDocuments } from './schema-documents.js';

/**
 * What stops values valid under `writer` from being valid under `reader`, one message per problem,
 * each starting with the JSON Pointer of the value (`*` for every item of an array, or every
 * property a content model does not declare). The rules are the Confluent registry's for JSON Schema:
 *
 * - a property the reader requires and the writer does not;
 * - a property the writer may write that the reader's closed content model
 *   (`additionalProperties: false`) no longer declares;
 * - a property the reader declares that the writer's open content model may write with any value;
 * - a closed content model reading an open one;
 * - a narrowed type (`["string","null"]` read as `"string"`, `number` as `integer` or `string`);
 * - enum values removed, or an enum added;
 * - a stricter bound (`maximum`, `minLength`, `maxItems` …), `multipleOf`, `pattern` or
 *   `uniqueItems`.
 *
 * Properties, `additionalProperties`, array items and tuples are compared recursively, through
 * `$ref`s to the schema itself or to its references. `allOf` is read as all of its parts at once;
 * every branch of a writer's `anyOf`/`oneOf` must be readable, and a reader's `anyOf`/`oneOf` needs
 * one branch that reads the writer. `not`, `if`/`then`/`else`, `dependencies`, `contains` and
 * `format` are not compared; a `$ref` this walk cannot follow constrains nothing.
 */
export function readerIncompatibilities(reader: ResolvedSchema, writer: ResolvedSchema): string[] {
  const check = new CompatibilityCheck(new SchemaDocuments(reader), new SchemaDocuments(writer));
  check.compare(check.readerShape(check.reader.root), check.writerShape(check.writer.root), '');
  return [...new Set(check.problems)];
}

/** One `anyOf` or `oneOf`: a value satisfies one (or exactly one) of the branches. */
interface Choice {
  readonly keyword: string;
  readonly branches: readonly Located[];
}

/**
 * A schema flattened: a value satisfies every part (objects of keywords without `$ref`, `allOf`,
 * `anyOf` and `oneOf`, or booleans) and a branch of every choice. No parts and no choices: any value.
 */
interface Shape {
  readonly parts: readonly Located[];
  readonly choices: readonly Choice[];
}

/** A schema object: its keywords by name. */
type Keywords = Readonly<Record<string, unknown>>;

const ANY: Shape = { parts: [], choices: [] };

/** Keywords that do not constrain values (or that this format leaves unchecked: `format`). */
const annotations = new Set([
  '$schema',
  '$id',
  '$anchor',
  '$comment',
  '$defs',
  'definitions',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'format',
  'contentEncoding',
  'contentMediaType',
]);

/** Bounds: a reader's bound must be as loose as one the writer already keeps. */
const bounds: readonly {
  readonly keyword: string;
  readonly type: string;
  readonly upper: boolean;
  readonly exclusive: boolean;
  /** The writer keywords that bound the same way. */
  readonly family: readonly string[];
}[] = [
  {
    keyword: 'maximum',
    type: 'number',
    upper: true,
    exclusive: false,
    family: ['maximum', 'exclusiveMaximum'],
  },
  {
    keyword: 'exclusiveMaximum',
    type: 'number',
    upper: true,
    exclusive: true,
    family: ['maximum', 'exclusiveMaximum'],
  },
  {
    keyword: 'minimum',
    type: 'number',
    upper: false,
    exclusive: false,
    family: ['minimum', 'exclusiveMinimum'],
  },
  {
    keyword: 'exclusiveMinimum',
    type: 'number',
    upper: false,
    exclusive: true,
    family: ['minimum', 'exclusiveMinimum'],
  },
  { keyword: 'maxLength', type: 'string', upper: true, exclusive: false, family: ['maxLength'] },
  { keyword: 'minLength', type: 'string', upper: false, exclusive: false, family: ['minLength'] },
  { keyword: 'maxItems', type: 'array', upper: true, exclusive: false, family: ['maxItems'] },
  { keyword: 'minItems', type: 'array', upper: false, exclusive: false, family: ['minItems'] },
  { keyword: 'maxProperties', type: 'object', upper: true, exclusive: false, family: ['maxProperties'] },
  { keyword: 'minProperties', type: 'object', upper: false, exclusive: false, family: ['minProperties'] },
];

class CompatibilityCheck {
  readonly reader: SchemaDocuments;
  readonly writer: SchemaDocuments;
  problems: string[] = [];
  readonly #readerShapes = new WeakMap<object, Shape>();
  readonly #writerShapes = new WeakMap<object, Shape>();
  // Pairs being compared further up: a recursive schema meets them again, and they hold if all else does.
  readonly #active = new Set<string>();
  readonly #ids = new WeakMap<object, number>();
  #nextId = 1;

  constructor(reader: SchemaDocuments, writer: SchemaDocuments) {
    this.reader = reader;
    this.writer = writer;
  }

  readerShape(document: SchemaDocument, node: unknown = document.root): Shape {
    return shapeOf({ node, document }, this.reader, this.#readerShapes);
  }

  writerShape(document: SchemaDocument, node: unknown = document.root): Shape {
    return shapeOf({ node, document }, this.writer, this.#writerShapes);
  }

  readonly #flattenWriter = (located: Located): Shape => this.writerShape(located.document, located.node);

  compare(reader: Shape, writer: Shape, path: string): void {
    if (writer.parts.some((part) => part.node === false)) return; // the writer writes nothing here
    const [choice, ...others] = writer.choices;
    if (choice !== undefined) {
      for (const branch of choice.branches) {
        this.compare(
          reader,
          merge([{ parts: writer.parts, choices: others }, this.#flattenWriter(branch)]),
          path,
        );
      }
      return;
    }
    for (const part of reader.parts) this.#comparePart(part, writer, path);
    for (const readerChoice of reader.choices) this.#compareChoice(readerChoice, writer, path);
  }

  #compareChoice(choice: Choice, writer: Shape, path: string): void {
    for (const branch of choice.branches) {
      const problems = this.#quietly(() =>
        this.compare(this.readerShape(branch.document, branch.node), writer, path),
      );
      if (problems === 0) return;
    }
    this.#report(
      path,
      `the writer may write values that no branch of the reader's ${choice.keyword} accepts`,
    );
  }

  #comparePart(part: Located, writer: Shape, path: string): void {
    const node = part.node;
    if (node === false) {
      this.#report(path, 'the reader accepts no value here');
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const key = `${this.#id(node)}:${writer.parts.map((located) => this.#id(located.node)).join(',')}`;
    if (this.#active.has(key)) return;
    this.#active.add(key);
    try {
      const schema = node as Keywords;
      const values = writtenValues(writer);
      this.#compareTypes(schema, writer, values, path);
      this.#compareValues(schema, writer, values, path);
      if (values !== undefined) return; // a finite set of values: types and enum said all there is
      this.#compareBounds(schema, writer, path);
      if (mayWrite(writer, 'object')) this.#compareObjects(schema, part.document, writer, path);
      if (mayWrite(writer, 'array')) this.#compareArrays(schema, part.document, writer, path);
    } finally {
      this.#active.delete(key);
    }
  }

  #compareTypes(schema: Keywords, writer: Shape, values: unknown[] | undefined, path: string): void {
    const readerTypes = typeList(schema);
    if (readerTypes === undefined) return;
    const written = values === undefined ? writtenTypes(writer) : [...new Set(values.map(jsonType))];
    const accepts = (type: string) =>
      readerTypes.includes(type) || (type === 'integer' && readerTypes.includes('number'));
    if (written === undefined) {
      this.#report(
        path,
        `type narrowed: the writer may write any type, the reader accepts ${list(readerTypes)}`,
      );
      return;
    }
    const rejected = written.filter((type) => !accepts(type));
    if (rejected.length > 0) {
      this.#report(
        path,
        `type narrowed: the writer may write ${list(rejected)}, the reader accepts ${list(readerTypes)}`,
      );
    }
  }

  #compareValues(schema: Keywords, writer: Shape, values: unknown[] | undefined, path: string): void {
    const allowed = allowedValues(schema);
    if (allowed === undefined) return;
    const written = values ?? enumerableValues(writtenTypes(writer));
    if (written === undefined) {
      this.#report(path, `enum added: the writer may write values outside ${JSON.stringify(allowed)}`);
      return;
    }
    const keys = new Set(allowed.map(canonicalJson));
    const removed = written.filter((value) => !keys.has(canonicalJson(value)));
    if (removed.length > 0) this.#report(path, `enum values removed: ${JSON.stringify(removed)}`);
  }

  #compareBounds(schema: Keywords, writer: Shape, path: string): void {
    for (const { keyword, type, upper, exclusive, family } of bounds) {
      const limit = schema[keyword];
      if (typeof limit !== 'number' || !mayWrite(writer, type)) continue;
      const bound = writerBound(writer, family, upper);
      if (bound !== undefined) {
        const inside = upper ? bound.value < limit : bound.value > limit;
        if (inside || (bound.value === limit && (!exclusive || bound.exclusive))) continue;
      }
      this.#report(
        path,
        bound === undefined
          ? `${keyword} added: ${limit}`
          : bound.keyword === keyword
            ? `${keyword} ${upper ? 'decreased' : 'increased'} from ${bound.value} to ${limit}`
            : `${keyword} ${limit} is stricter than the writer's ${bound.keyword} ${bound.value}`,
      );
    }
    const multipleOf = schema['multipleOf'];
    if (typeof multipleOf === 'number' && multipleOf > 0 && mayWrite(writer, 'number')) {
      const written = keywordValues(writer, 'multipleOf').filter((value) => typeof value === 'number');
      const integers = multipleOf === 1 && !mayWrite(writer, 'number', false);
      if (!integers && !written.some((value) => isMultiple(value, multipleOf))) {
        this.#report(
          path,
          written.length === 0
            ? `multipleOf added: ${multipleOf}`
            : `multipleOf changed from ${written[0]} to ${multipleOf}`,
        );
      }
    }
    const pattern = schema['pattern'];
    if (typeof pattern === 'string' && mayWrite(writer, 'string')) {
      const written = keywordValues(writer, 'pattern');
      if (!written.includes(pattern)) {
        this.#report(
          path,
          written.length === 0
            ? `pattern added: ${JSON.stringify(pattern)}`
            : `pattern changed from ${JSON.stringify(written[0])} to ${JSON.stringify(pattern)}`,
        );
      }
    }
    if (schema['uniqueItems'] === true && mayWrite(writer, 'array')) {
      if (!keywordValues(writer, 'uniqueItems').includes(true)) this.#report(path, 'uniqueItems added');
    }
  }

  #compareObjects(schema: Keywords, document: SchemaDocument, writer: Shape, path: string): void {
    const properties = schemaMap(schema['properties']);
    const required = schema['required'];
    if (Array.isArray(required)) {
      const written = new Set(
        keywordValues(writer, 'required').flatMap((names) => (Array.isArray(names) ? names : [])),
      );
      for (const name of required) {
        if (typeof name === 'string' && !written.has(name)) {
          this.#report(
            childPath(path, name),
            'required by the reader, but the writer does not always write it',
          );
        }
      }
    }
    for (const [name, readerProperty] of Object.entries(properties)) {
      const written = writtenProperty(writer, name, this.#flattenWriter);
      if (written === undefined) continue;
      const readerShape = this.readerShape(document, readerProperty);
      if (!written.declared && isAny(written.shape)) {
        if (!isAny(readerShape)) {
          this.#report(
            childPath(path, name),
            'added to an open content model: the writer may write it with any value',
          );
        }
        continue;
      }
      this.compare(readerShape, written.shape, childPath(path, name));
    }
    const writerNames = new Set(
      writer.parts.flatMap((part) => Object.keys(schemaMap(objectOf(part)['properties']))),
    );
    for (const name of writerNames) {
      if (Object.hasOwn(properties, name)) continue;
      const written = writtenProperty(writer, name, this.#flattenWriter);
      if (written === undefined || written.shape.parts.some((part) => part.node === false)) continue;
      const readerSide = undeclaredProperty(schema, name);
      if (readerSide === false) {
        this.#report(
          childPath(path, name),
          'removed from a closed content model, but the writer may write it',
        );
        continue;
      }
      for (const node of readerSide) {
        this.compare(this.readerShape(document, node), written.shape, childPath(path, name));
      }
    }
    const rest = writtenRest(writer, this.#flattenWriter);
    const additional = schema['additionalProperties'];
    if (rest === undefined || additional === undefined || additional === true) return;
    if (additional === false) {
      this.#report(
        path,
        "content model closed, but the writer's is open: it may write properties the reader does not declare",
      );
      return;
    }
    this.compare(this.readerShape(document, additional), rest, childPath(path, '*'));
  }

  #compareArrays(schema: Keywords, document: SchemaDocument, writer: Shape, path: string): void {
    const reader = itemsOf(schema, document);
    if (reader.tuple.length === 0 && reader.rest === undefined) return;
    const writerItems = writer.parts.map((part) => itemsOf(objectOf(part), part.document));
    const length = Math.max(reader.tuple.length, ...writerItems.map((items) => items.tuple.length));
    const writtenItem = (index: number | undefined): Shape =>
      merge(
        writerItems.flatMap((items, i) => {
          const node = index === undefined ? items.rest : (items.tuple[index] ?? items.rest);
          return node === undefined ? [] : [this.writerShape(writer.parts[i]!.document, node)];
        }),
      );
    for (let index = 0; index < length; index++) {
      const node = reader.tuple[index] ?? reader.rest;
      if (node !== undefined) {
        this.compare(this.readerShape(document, node), writtenItem(index), `${path}/${index}`);
      }
    }
    if (reader.rest !== undefined) {
      this.compare(this.readerShape(document, reader.rest), writtenItem(undefined), `${path}/*`);
    }
  }

  #quietly(run: () => void): number {
    const saved = this.problems;
    this.problems = [];
    try {
      run();
      return this.problems.length;
    } finally {
      this.problems = saved;
    }
  }

  #report(path: string, detail: string): void {
    this.problems.push(`${JSON.stringify(path === '' ? '/' : path)}: ${detail}`);
  }

  #id(node: unknown): string {
    if (typeof node !== 'object' || node === null) return String(node);
    let id = this.#ids.get(node);
    if (id === undefined) {
      id = this.#nextId++;
      this.#ids.set(node, id);
    }
    return String(id);
  }
}

/**
 * Flattens `$ref` and `allOf` into parts and collects `anyOf`/`oneOf`, once per node: the parts of a
 * node are the same objects wherever it is reached from, which is what ends recursive comparisons.
 */
function shapeOf(
  located: Located,
  documents: SchemaDocuments,
  cache: WeakMap<object, Shape>,
  visiting = new Set<object>(),
): Shape {
  const { node, document } = located;
  if (typeof node === 'boolean') return { parts: [located], choices: [] };
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return ANY;
  const cached = cache.get(node);
  if (cached !== undefined) return cached;
  // A `$ref` or `allOf` cycle with nothing in between adds no constraint.
  if (visiting.has(node)) return ANY;
  visiting.add(node);
  const shapes: Shape[] = [];
  const choices: Choice[] = [];
  const own: [string, unknown][] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      const target = documents.resolve(value, document);
      if (target !== undefined) shapes.push(shapeOf(target, documents, cache, visiting));
    } else if (key === 'allOf' && Array.isArray(value)) {
      for (const branch of value) {
        shapes.push(shapeOf({ node: branch, document }, documents, cache, visiting));
      }
    } else if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      choices.push({ keyword: key, branches: value.map((branch: unknown) => ({ node: branch, document })) });
    } else {
      own.push([key, value]);
    }
  }
  visiting.delete(node);
  // A part of annotations alone constrains nothing; leaving it out keeps a `$ref`'s shape the same
  // as its target's, so recursion through it ends a level earlier.
  const constrains = own.some(([key]) => !annotations.has(key));
  const parts = constrains ? [{ node: Object.fromEntries(own), document }] : [];
  const shape = merge([...shapes, { parts, choices }]);
  cache.set(node, shape);
  return shape;
}

/** True when the shape lets any value through. */
function isAny(shape: Shape): boolean {
  return shape.choices.length === 0 && shape.parts.every(({ node }) => node === true);
}

function objectOf(located: Located): Keywords {
  return typeof located.node === 'object' && located.node !== null ? (located.node as Keywords) : {};
}

function schemaMap(value: unknown): Keywords {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Keywords) : {};
}

/** The values of `keyword` in the writer's parts. */
function keywordValues(writer: Shape, keyword: string): unknown[] {
  return writer.parts.map((part) => objectOf(part)[keyword]).filter((value) => value !== undefined);
}

function typeList(schema: Keywords): string[] | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((item): item is string => typeof item === 'string') : undefined;
}

/** The types the writer may write (every part's `type` at once), or undefined for any. */
function writtenTypes(writer: Shape): string[] | undefined {
  let types: string[] | undefined;
  for (const part of writer.parts) {
    const own = typeList(objectOf(part));
    if (own === undefined) continue;
    types =
      types === undefined
        ? own
        : types.flatMap((type) => {
            if (own.includes(type)) return [type];
            // An integer is a number: {number} and {integer} together write integers.
            if (
              (type === 'number' && own.includes('integer')) ||
              (type === 'integer' && own.includes('number'))
            ) {
              return ['integer'];
            }
            return [];
          });
  }
  return types === undefined ? undefined : [...new Set(types)];
}

function mayWrite(writer: Shape, type: string, integersCount = true): boolean {
  const types = writtenTypes(writer);
  if (types === undefined) return true;
  if (type === 'number') return types.includes('number') || (integersCount && types.includes('integer'));
  return types.includes(type);
}

/** The values an `enum` and `const` allow, or undefined when they allow any. */
function allowedValues(schema: Keywords): unknown[] | undefined {
  let values = Array.isArray(schema['enum']) ? (schema['enum'] as unknown[]) : undefined;
  if (Object.hasOwn(schema, 'const')) {
    const only = canonicalJson(schema['const']);
    values = (values ?? [schema['const']]).filter((value) => canonicalJson(value) === only);
  }
  return values;
}

/** The only values the writer may write (its `enum`s and `const`s of the types it writes), or undefined. */
function writtenValues(writer: Shape): unknown[] | undefined {
  let values: unknown[] | undefined;
  for (const part of writer.parts) {
    const own = allowedValues(objectOf(part));
    if (own === undefined) continue;
    if (values === undefined) {
      values = own;
    } else {
      const keys = new Set(own.map(canonicalJson));
      values = values.filter((value) => keys.has(canonicalJson(value)));
    }
  }
  const types = writtenTypes(writer);
  if (values === undefined || types === undefined) return values;
  return values.filter((value) => {
    const type = jsonType(value);
    return types.includes(type) || (type === 'integer' && types.includes('number'));
  });
}

/** Every value of types that have few: booleans and null. */
function enumerableValues(types: string[] | undefined): unknown[] | undefined {
  if (types === undefined || !types.every((type) => type === 'boolean' || type === 'null')) return undefined;
  return types.flatMap((type) => (type === 'boolean' ? [false, true] : [null]));
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The tightest bound among the writer's keywords of a family. */
function writerBound(
  writer: Shape,
  family: readonly string[],
  upper: boolean,
): { keyword: string; value: number; exclusive: boolean } | undefined {
  let best: { keyword: string; value: number; exclusive: boolean } | undefined;
  for (const part of writer.parts) {
    const schema = objectOf(part);
    for (const keyword of family) {
      const value = schema[keyword];
      if (typeof value !== 'number') continue;
      const exclusive = keyword.startsWith('exclusive');
      const tighter =
        best === undefined ||
        (upper ? value < best.value : value > best.value) ||
        (value === best.value && exclusive && !best.exclusive);
      if (tighter) best = { keyword, value, exclusive };
    }
  }
  return best;
}

function isMultiple(value: number, of: number): boolean {
  const quotient = value / of;
  return Math.abs(quotient - Math.round(quotient)) < 1e-9;
}

/**
 * What the writer may write under property `name`: undefined when never (a part's content model is
 * closed to it), else its shape and whether a part declares it (by name or pattern) or only leaves
 * it open.
 */
function writtenProperty(
  writer: Shape,
  name: string,
  flatten: (located: Located) => Shape,
): { shape: Shape; declared: boolean } | undefined {
  const parts: Located[] = [];
  let declared = false;
  for (const part of writer.parts) {
    const schema = objectOf(part);
    const properties = schemaMap(schema['properties']);
    const matching = Object.hasOwn(properties, name)
      ? [properties[name]]
      : Object.entries(schemaMap(schema['patternProperties']))
          .filter(([pattern]) => matches(pattern, name))
          .map(([, node]) => node);
    if (matching.length > 0) {
      declared = true;
      for (const node of matching) parts.push({ node, document: part.document });
      continue;
    }
    const additional = schema['additionalProperties'];
    if (additional === false) return undefined;
    if (additional !== undefined && additional !== true) {
      parts.push({ node: additional, document: part.document });
    }
  }
  return { shape: merge(parts.map(flatten)), declared };
}

/**
 * What the writer may write under names no part declares: undefined when nothing (a part is closed
 * without patterns), else the shape the parts' `additionalProperties` give such properties.
 */
function writtenRest(writer: Shape, flatten: (located: Located) => Shape): Shape | undefined {
  const parts: Located[] = [];
  for (const part of writer.parts) {
    const schema = objectOf(part);
    const additional = schema['additionalProperties'];
    if (additional === false && Object.keys(schemaMap(schema['patternProperties'])).length === 0) {
      return undefined;
    }
    if (additional !== undefined && typeof additional !== 'boolean') {
      parts.push({ node: additional, document: part.document });
    }
  }
  return merge(parts.map(flatten));
}

/** The shape of values that satisfy all of `shapes`. */
function merge(shapes: readonly Shape[]): Shape {
  return { parts: shapes.flatMap((shape) => shape.parts), choices: shapes.flatMap((shape) => shape.choices) };
}

/** The reader's schemas for a property it does not declare: its matching patterns, else `additionalProperties`. */
function undeclaredProperty(schema: Keywords, name: string): unknown[] | false {
  const matching = Object.entries(schemaMap(schema['patternProperties']))
    .filter(([pattern]) => matches(pattern, name))
    .map(([, node]) => node);
  if (matching.length > 0) return matching;
  const additional = schema['additionalProperties'];
  if (additional === false) return false;
  return additional === undefined || additional === true ? [] : [additional];
}

/** The item schemas of an array schema: a tuple's, and the one for the items after it. */
function itemsOf(schema: Keywords, document: SchemaDocument): { tuple: unknown[]; rest: unknown } {
  const items = schema['items'];
  if (document.dialect === '2020-12') {
    const prefix = schema['prefixItems'];
    return { tuple: Array.isArray(prefix) ? prefix : [], rest: items };
  }
  if (Array.isArray(items)) return { tuple: items, rest: schema['additionalItems'] };
  return { tuple: [], rest: items };
}

function matches(pattern: string, name: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(name);
  } catch {
    return false;
  }
}

function childPath(path: string, name: string): string {
  return `${path}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

function list(types: readonly string[]): string {
  return JSON.stringify(types.length === 1 ? types[0] : types);
}
