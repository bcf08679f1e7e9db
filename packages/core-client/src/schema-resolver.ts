import { LruCache, SingleFlight } from './cache.js';
import { ErrorCode, SchemaWireError } from './errors.js';
import type {
  RegisteredSchema,
  ResolvedDependency,
  ResolvedSchema,
  Schema,
  SchemaId,
  SchemaReference,
} from './schema.js';
import { schemaIdKey } from './schema.js';
import type { RegisterOptions, SchemaRegistryClient } from './schema-registry.js';

/** Cache limits of a {@link SchemaResolver}. */
export interface SchemaResolverOptions {
  /** Schemas kept by id (they never change); default 1000. */
  readonly maxSchemas?: number;
  /** Registrations and look-ups kept by subject and schema text; default 1000. */
  readonly maxRegistrations?: number;
  /** How long a subject's latest version is trusted, in ms; default: until the process ends. */
  readonly latestTtlMs?: number;
}

/**
 * A schema registry client with the caches every serializer and deserializer shares: schemas by id
 * (immutable), ids by subject and schema, subject versions (for references) and latest versions.
 * Concurrent requests for the same thing share one registry call, references included.
 */
export class SchemaResolver {
  readonly registry: SchemaRegistryClient;
  readonly #byId: LruCache<number | string, ResolvedSchema>;
  readonly #byRegistration: LruCache<string, RegisteredSchema>;
  readonly #byVersion: LruCache<string, RegisteredSchema>;
  readonly #latest = new Map<string, { readonly schema: RegisteredSchema; readonly at: number }>();
  readonly #latestTtlMs: number;
  readonly #flights = new SingleFlight<string, unknown>();

  constructor(registry: SchemaRegistryClient, options: SchemaResolverOptions = {}) {
    this.registry = registry;
    const maxSchemas = options.maxSchemas ?? 1000;
    this.#byId = new LruCache(maxSchemas);
    this.#byVersion = new LruCache(maxSchemas);
    this.#byRegistration = new LruCache(options.maxRegistrations ?? 1000);
    this.#latestTtlMs = options.latestTtlMs ?? Number.POSITIVE_INFINITY;
  }

  /** The cached schema a message names, with its references, or undefined: the synchronous path. */
  peek(id: SchemaId): ResolvedSchema | undefined {
    return this.#byId.get(cacheKey(id));
  }

  /** The cached schema with numeric id `id`, without building a SchemaId: the hot path of prefixes. */
  peekById(id: number): ResolvedSchema | undefined {
    return this.#byId.get(id);
  }

  /** The schema a message names, with every schema it references, fetched once and cached. */
  async resolve(id: SchemaId): Promise<ResolvedSchema> {
    const key = cacheKey(id);
    const cached = this.#byId.get(key);
    if (cached !== undefined) return cached;
    return this.#flight(`schema:${schemaIdKey(id)}`, async () => {
      const schema = await this.registry.getSchema(id);
      const resolved = { schema, dependencies: await this.dependencies(schema.references) };
      this.#remember(resolved, key);
      return resolved;
    });
  }

  /** Every schema that `references` need, each once, dependencies first. */
  async dependencies(references: readonly SchemaReference[] | undefined): Promise<ResolvedDependency[]> {
    if (references === undefined || references.length === 0) return [];
    const out: ResolvedDependency[] = [];
    const seen = new Set<string>();
    // Walks raw versions, not version(): that resolves references itself, and in a cycle it would wait
    // on its own single-flight call forever instead of reaching the cycle check below.
    const visit = async (refs: readonly SchemaReference[], path: readonly string[]): Promise<void> => {
      const fetched = await Promise.all(refs.map((ref) => this.#fetchVersion(ref.subject, ref.version)));
      for (const [i, ref] of refs.entries()) {
        const key = `${ref.subject}:${ref.version}`;
        if (path.includes(key)) {
          throw new SchemaWireError(
            ErrorCode.InvalidSchema,
            `cannot resolve references: ${[...path, key].join(' -> ')} is a cycle`,
            {
              subject: ref.subject,
            },
          );
        }
        if (seen.has(key)) continue;
        const dependency = fetched[i]!;
        await visit(dependency.references, [...path, key]);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ name: ref.name, schema: dependency });
      }
    };
    await visit(references, []);
    return out;
  }

  /** A schema given by the application (to register or read with), with its references resolved. */
  async resolveSchema(schema: Schema): Promise<ResolvedSchema> {
    const references = schema.references ?? [];
    return {
      schema: { ...schema, id: -1, references },
      dependencies: await this.dependencies(references),
    };
  }

  /** A version of a subject with its references; numbered versions are cached, `latest` per the TTL. */
  async version(subject: string, version: number | 'latest'): Promise<ResolvedSchema> {
    const schema =
      version === 'latest' ? await this.latest(subject) : await this.#fetchVersion(subject, version);
    const resolved = { schema, dependencies: await this.dependencies(schema.references) };
    this.#remember(resolved);
    return resolved;
  }

  /** The latest version of a subject, trusted for the configured TTL. */
  async latest(subject: string): Promise<RegisteredSchema> {
    const cached = this.#latest.get(subject);
    if (cached !== undefined && Date.now() - cached.at < this.#latestTtlMs) return cached.schema;
    return this.#flight(`latest:${subject}`, async () => {
      const schema = await this.registry.getVersion(subject, 'latest');
      this.#latest.set(subject, { schema, at: Date.now() });
      if (schema.version !== undefined) this.#byVersion.set(`${subject}:${schema.version}`, schema);
      return schema;
    });
  }

  /** Registers `schema` under `subject` once; later calls with the same text answer from the cache. */
  register(subject: string, schema: Schema, options: RegisterOptions = {}): Promise<RegisteredSchema> {
    return this.#registration('register', subject, schema, options, () =>
      this.registry.register(subject, schema, options),
    );
  }

  /** Finds the version of `subject` that holds `schema` once; later calls answer from the cache. */
  lookup(subject: string, schema: Schema, options: RegisterOptions = {}): Promise<RegisteredSchema> {
    return this.#registration('lookup', subject, schema, options, () =>
      this.registry.lookup(subject, schema, options),
    );
  }

  /** Forgets everything cached. */
  clear(): void {
    this.#byId.clear();
    this.#byVersion.clear();
    this.#byRegistration.clear();
    this.#latest.clear();
  }

  async #registration(
    verb: string,
    subject: string,
    schema: Schema,
    options: RegisterOptions,
    call: () => Promise<RegisteredSchema>,
  ): Promise<RegisteredSchema> {
    const key = JSON.stringify([
      verb,
      subject,
      options.normalize === true,
      schema.schemaType,
      schema.schema,
      schema.references ?? [],
    ]);
    const cached = this.#byRegistration.get(key);
    if (cached !== undefined) return cached;
    return this.#flight(key, async () => {
      const registered = await call();
      this.#byRegistration.set(key, registered);
      return registered;
    });
  }

  // One version of a subject as the registry holds it, references unresolved; cached, as versions never change.
  async #fetchVersion(subject: string, version: number): Promise<RegisteredSchema> {
    const key = `${subject}:${version}`;
    const cached = this.#byVersion.get(key);
    if (cached !== undefined) return cached;
    return this.#flight(`version:${key}`, async () => {
      const schema = await this.registry.getVersion(subject, version);
      this.#byVersion.set(key, schema);
      return schema;
    });
  }

  #remember(resolved: ResolvedSchema, alsoKey?: number | string): void {
    const { schema } = resolved;
    if (alsoKey !== undefined) this.#byId.set(alsoKey, resolved);
    if (schema.id >= 0) this.#byId.set(schema.id, resolved);
    if (schema.guid !== undefined) this.#byId.set(cacheKey({ kind: 'guid', guid: schema.guid }), resolved);
    if (schema.globalId !== undefined) {
      this.#byId.set(cacheKey({ kind: 'globalId', globalId: schema.globalId }), resolved);
    }
  }

  #flight<V>(key: string, call: () => Promise<V>): Promise<V> {
    return this.#flights.run(key, call) as Promise<V>;
  }
}

// Numeric ids key the cache by number, so the prefix hot path builds no string.
function cacheKey(id: SchemaId): number | string {
  return id.kind === 'id' ? id.id : schemaIdKey(id);
}
