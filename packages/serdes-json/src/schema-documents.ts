import type { ResolvedSchema } from '@schemawire/core-client';
import { parseSchemaText, referenceContext, unsupportedDialect } from './json-schema-compiler.js';
import type { JsonSchemaDialect } from './json-schema-dialect.js';
import { declaredDialect } from './json-schema-dialect.js';
import { resolveUri } from './schema-uri.js';

/** One schema document, the schema itself or one it references. */
export interface SchemaDocument {
  readonly root: unknown;
  /** The URI its relative `$ref`s resolve against: its `$id`, else the name it was referenced by. */
  readonly base: string;
  readonly dialect: JsonSchemaDialect;
}

/** A schema node (an object of keywords, or a boolean) and the document it is in. */
export interface Located {
  readonly node: unknown;
  readonly document: SchemaDocument;
}

/**
 * A schema and its references, parsed, for walking through `$ref`s the way ajv follows them: by the
 * name a reference was registered under, that name resolved against the schema's `$id`, or a
 * document's own `$id`; then by JSON Pointer or anchor within the document.
 */
export class SchemaDocuments {
  readonly root: SchemaDocument;
  readonly #byUri = new Map<string, SchemaDocument>();

  constructor(resolved: ResolvedSchema) {
    const root = parseSchemaText(resolved.schema.schema, '');
    const dialect = declaredDialect(root, unsupportedDialect('')) ?? 'draft-07';
    this.root = { root, base: idOf(root) ?? '', dialect };
    this.#add(this.root.base, this.root);
    for (const { name, schema } of resolved.dependencies) {
      const context = referenceContext(name, schema);
      const json = parseSchemaText(schema.schema, context);
      const document: SchemaDocument = {
        root: json,
        base: idOf(json) ?? name,
        dialect: declaredDialect(json, unsupportedDialect(context)) ?? dialect,
      };
      this.#add(name, document);
      this.#add(resolveUri(name, this.root.base), document);
      const id = idOf(json);
      if (id !== undefined) this.#add(id, document);
    }
  }

  /** The node `ref` points to from `from`, or undefined when it points nowhere this walk can follow. */
  resolve(ref: string, from: SchemaDocument): Located | undefined {
    const hash = ref.indexOf('#');
    const uri = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? '' : ref.slice(hash + 1);
    const document =
      uri === ''
        ? from
        : (this.#byUri.get(resolveUri(uri, from.base)) ?? this.#byUri.get(resolveUri(uri, '')));
    if (document === undefined) return undefined;
    const node =
      fragment === ''
        ? document.root
        : fragment.startsWith('/')
          ? atPointer(document.root, fragment)
          : atAnchor(document.root, fragment);
    return node === undefined ? undefined : { node, document };
  }

  #add(uri: string, document: SchemaDocument): void {
    const key = resolveUri(uri, '');
    if (key !== '' && !this.#byUri.has(key)) this.#byUri.set(key, document);
  }
}

function atPointer(root: unknown, pointer: string): unknown {
  let node = root;
  for (const token of pointer.split('/').slice(1)) {
    let key: string;
    try {
      key = decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~');
    } catch {
      return undefined;
    }
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The subschema named `anchor` by `$anchor` (2020-12) or by an `$id` of `#anchor` (draft-07). */
function atAnchor(node: unknown, anchor: string): unknown {
  if (typeof node !== 'object' || node === null) return undefined;
  const { $anchor, $id } = node as { $anchor?: unknown; $id?: unknown };
  if ($anchor === anchor || $id === `#${anchor}`) return node;
  for (const value of Object.values(node)) {
    const found = atAnchor(value, anchor);
    if (found !== undefined) return found;
  }
  return undefined;
}

function idOf(json: unknown): string | undefined {
  const id = typeof json === 'object' && json !== null ? (json as { $id?: unknown }).$id : undefined;
  return typeof id === 'string' && !id.startsWith('#') ? id : undefined;
}
