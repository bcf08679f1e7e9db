import { describe, expect, it } from '@jest/globals';
import type { Schema, SchemaReference } from '@schemawire/core-client';
import { ErrorCode, isSchemaWireError, registryError, SchemaResolver } from '@schemawire/core-client';
import { guidOf, InMemoryRegistry } from './support/in-memory-registry.js';

const json = (name: string, references: SchemaReference[] = []): Schema => ({
  schemaType: 'JSON',
  schema: JSON.stringify({ name }),
  references,
});
const ref = (subject: string, version = 1): SchemaReference => ({
  name: `${subject}.json`,
  subject,
  version,
});

describe('schema resolver > by id', () => {
  it('fetches a schema once and answers later calls and peeks from the cache', async () => {
    const registry = new InMemoryRegistry();
    const { id } = registry.seed('orders-value', json('Order'));
    const resolver = new SchemaResolver(registry);
    expect(resolver.peek({ kind: 'id', id })).toBeUndefined();
    expect(resolver.peekById(id)).toBeUndefined();

    const resolved = await resolver.resolve({ kind: 'id', id });
    expect(resolved.schema).toMatchObject({ id, guid: guidOf(id), schema: '{"name":"Order"}' });
    expect(resolved.dependencies).toEqual([]);
    expect(await resolver.resolve({ kind: 'id', id })).toBe(resolved);
    expect(resolver.peek({ kind: 'id', id })).toBe(resolved);
    expect(resolver.peekById(id)).toBe(resolved);
    expect(registry.calls.getSchema).toBe(1);
  });

  it('shares one registry call among 100 concurrent requests for one id', async () => {
    const registry = new InMemoryRegistry();
    const { id } = registry.seed('orders-value', json('Order'));
    const resolver = new SchemaResolver(registry);
    const all = await Promise.all(Array.from({ length: 100 }, () => resolver.resolve({ kind: 'id', id })));
    expect(new Set(all).size).toBe(1);
    expect(registry.calls.getSchema).toBe(1);
  });

  it('caches a schema fetched by GUID under its GUID and its numeric id', async () => {
    const registry = new InMemoryRegistry();
    const { id } = registry.seed('orders-value', json('Order'));
    const resolver = new SchemaResolver(registry);
    const resolved = await resolver.resolve({ kind: 'guid', guid: guidOf(id) });
    expect(resolved.schema.id).toBe(id);
    expect(resolver.peek({ kind: 'guid', guid: guidOf(id) })).toBe(resolved);
    expect(resolver.peekById(id)).toBe(resolved);
    await resolver.resolve({ kind: 'id', id });
    expect(registry.calls.getSchema).toBe(1);
  });

  it('caches a schema fetched by globalId under its globalId and its numeric id', async () => {
    const registry = new InMemoryRegistry();
    const { id, globalId } = registry.seed('orders-value', json('Order'));
    const resolver = new SchemaResolver(registry);
    const resolved = await resolver.resolve({ kind: 'globalId', globalId: globalId! });
    expect(resolved.schema).toMatchObject({ id, globalId, subject: 'orders-value', version: 1 });
    expect(resolver.peek({ kind: 'globalId', globalId: globalId! })).toBe(resolved);
    expect(resolver.peekById(id)).toBe(resolved);
  });

  it('keeps contentIds apart from globalIds of the same number', async () => {
    const registry = new InMemoryRegistry();
    const { id } = registry.seed('orders-value', json('Order'));
    const resolver = new SchemaResolver(registry);
    await resolver.resolve({ kind: 'contentId', contentId: id });
    expect(resolver.peek({ kind: 'contentId', contentId: id })?.schema.id).toBe(id);
    expect(resolver.peek({ kind: 'globalId', globalId: id })).toBeUndefined();
  });

  it('surfaces an unknown id as a typed error and does not remember it', async () => {
    const registry = new InMemoryRegistry();
    const resolver = new SchemaResolver(registry);
    await expect(resolver.resolve({ kind: 'id', id: 1 })).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
      registryErrorCode: 40403,
    });
    registry.seed('orders-value', json('Order'));
    expect((await resolver.resolve({ kind: 'id', id: 1 })).schema.id).toBe(1);
    expect(registry.calls.getSchema).toBe(2);
  });

  it('does not cache a registry failure: the next call asks again', async () => {
    const registry = new InMemoryRegistry();
    const { id } = registry.seed('orders-value', json('Order'));
    registry.failNext('getSchema', registryError(50002, 500, 'operation timed out'));
    const resolver = new SchemaResolver(registry);
    const failure = await resolver.resolve({ kind: 'id', id }).catch((error: unknown) => error);
    expect(isSchemaWireError(failure, ErrorCode.RegistryUnavailable)).toBe(true);
    expect((failure as { retriable: boolean }).retriable).toBe(true);
    expect((await resolver.resolve({ kind: 'id', id })).schema.id).toBe(id);
    expect(registry.calls.getSchema).toBe(2);
  });

  it('keeps at most maxSchemas schemas, forgetting the least recently used', async () => {
    const registry = new InMemoryRegistry();
    const ids = ['A', 'B', 'C'].map((name) => registry.seed(`${name}-value`, json(name)).id);
    const resolver = new SchemaResolver(registry, { maxSchemas: 2 });
    for (const id of ids) await resolver.resolve({ kind: 'id', id });
    expect(registry.calls.getSchema).toBe(3);
    expect(resolver.peekById(ids[0]!)).toBeUndefined();
    expect(resolver.peekById(ids[2]!)).toBeDefined();
    await resolver.resolve({ kind: 'id', id: ids[0]! });
    expect(registry.calls.getSchema).toBe(4);
  });

  it('forgets everything on clear', async () => {
    const registry = new InMemoryRegistry();
    const { id } = registry.seed('orders-value', json('Order'));
    const resolver = new SchemaResolver(registry);
    await resolver.resolve({ kind: 'id', id });
    resolver.clear();
    expect(resolver.peekById(id)).toBeUndefined();
    await resolver.resolve({ kind: 'id', id });
    expect(registry.calls.getSchema).toBe(2);
  });
});

describe('schema resolver > references', () => {
  /** A refs B and C; B and C both ref D (a diamond). */
  function diamond(registry: InMemoryRegistry): number {
    registry.seed('D', json('D'));
    registry.seed('B', json('B', [ref('D')]));
    registry.seed('C', json('C', [ref('D')]));
    return registry.seed('A', json('A', [ref('B'), ref('C')])).id;
  }

  it('resolves each referenced schema once, dependencies before the schemas that use them', async () => {
    const registry = new InMemoryRegistry();
    const id = diamond(registry);
    const resolver = new SchemaResolver(registry);
    const resolved = await resolver.resolve({ kind: 'id', id });
    expect(resolved.dependencies.map((d) => [d.name, JSON.parse(d.schema.schema).name])).toEqual([
      ['D.json', 'D'],
      ['B.json', 'B'],
      ['C.json', 'C'],
    ]);
    expect([...registry.versionRequests].sort()).toEqual(['B:1', 'C:1', 'D:1']);
  });

  it('fetches shared references once across concurrent resolutions', async () => {
    const registry = new InMemoryRegistry();
    const a = diamond(registry);
    const e = registry.seed('E', json('E', [ref('C'), ref('D')])).id;
    const resolver = new SchemaResolver(registry);
    const [resolvedA, resolvedE] = await Promise.all([
      resolver.resolve({ kind: 'id', id: a }),
      resolver.resolve({ kind: 'id', id: e }),
    ]);
    expect(resolvedE.dependencies.map((d) => d.schema.subject)).toEqual(['D', 'C']);
    expect(resolvedA.dependencies.map((d) => d.schema.subject)).toEqual(['D', 'B', 'C']);
    expect([...registry.versionRequests].sort()).toEqual(['B:1', 'C:1', 'D:1']);
  });

  it('rejects a reference cycle instead of waiting on itself', async () => {
    const registry = new InMemoryRegistry();
    // A@1 refs B@1, B@1 refs A@1: the fake takes references unchecked, so the cycle can exist.
    const a = registry.seed('A', json('A', [ref('B')])).id;
    registry.seed('B', json('B', [ref('A')]));
    const resolver = new SchemaResolver(registry);
    await expect(resolver.resolve({ kind: 'id', id: a })).rejects.toMatchObject({
      code: ErrorCode.InvalidSchema,
      message: expect.stringContaining('cycle'),
    });
  });

  it('rejects a schema that references itself', async () => {
    const registry = new InMemoryRegistry();
    const a = registry.seed('A', json('A', [ref('A')])).id;
    const resolver = new SchemaResolver(registry);
    await expect(resolver.resolve({ kind: 'id', id: a })).rejects.toMatchObject({
      code: ErrorCode.InvalidSchema,
    });
    await expect(resolver.version('A', 1)).rejects.toMatchObject({ code: ErrorCode.InvalidSchema });
  });

  it('surfaces a missing reference as a typed error and resolves once it exists', async () => {
    const registry = new InMemoryRegistry();
    const a = registry.seed('A', json('A', [ref('B')])).id;
    const resolver = new SchemaResolver(registry);
    await expect(resolver.resolve({ kind: 'id', id: a })).rejects.toMatchObject({
      code: ErrorCode.SubjectNotFound,
      registryErrorCode: 40401,
    });
    expect(resolver.peekById(a)).toBeUndefined();
    registry.seed('B', json('B'));
    expect((await resolver.resolve({ kind: 'id', id: a })).dependencies).toHaveLength(1);
  });

  it('resolves the references of a schema the application gives', async () => {
    const registry = new InMemoryRegistry();
    registry.seed('D', json('D'));
    const resolver = new SchemaResolver(registry);
    const resolved = await resolver.resolveSchema(json('X', [ref('D')]));
    expect(resolved.schema).toMatchObject({ id: -1, schema: '{"name":"X"}', references: [ref('D')] });
    expect(resolved.dependencies.map((d) => d.name)).toEqual(['D.json']);
    expect(await resolver.dependencies(undefined)).toEqual([]);
  });
});

describe('schema resolver > versions', () => {
  it('caches numbered versions', async () => {
    const registry = new InMemoryRegistry();
    registry.seed('orders-value', json('Order'));
    const resolver = new SchemaResolver(registry);
    const first = await resolver.version('orders-value', 1);
    expect(await resolver.version('orders-value', 1)).toEqual(first);
    expect(registry.calls.getVersion).toBe(1);
  });

  it('answers the numbered version the latest one named without asking again', async () => {
    const registry = new InMemoryRegistry();
    registry.seed('orders-value', json('Order'));
    const resolver = new SchemaResolver(registry);
    await resolver.version('orders-value', 'latest');
    await resolver.version('orders-value', 1);
    expect(registry.versionRequests).toEqual(['orders-value:latest']);
  });

  it('makes a version it resolved available by id', async () => {
    const registry = new InMemoryRegistry();
    const { id } = registry.seed('orders-value', json('Order'));
    const resolver = new SchemaResolver(registry);
    await resolver.version('orders-value', 1);
    expect(resolver.peekById(id)?.schema).toMatchObject({ id, subject: 'orders-value', version: 1 });
  });

  it('trusts the latest version until the TTL runs out', async () => {
    const registry = new InMemoryRegistry();
    registry.seed('orders-value', json('Order'));
    const resolver = new SchemaResolver(registry);
    expect((await resolver.latest('orders-value')).version).toBe(1);
    registry.seed('orders-value', json('Order2'));
    expect((await resolver.latest('orders-value')).version).toBe(1);

    const fresh = new SchemaResolver(registry, { latestTtlMs: 0 });
    expect((await fresh.latest('orders-value')).version).toBe(2);
    registry.seed('orders-value', json('Order3'));
    expect((await fresh.latest('orders-value')).version).toBe(3);
  });

  it('resolves the latest version with its references', async () => {
    const registry = new InMemoryRegistry();
    registry.seed('D', json('D'));
    registry.seed('orders-value', json('Order', [ref('D')]));
    const resolver = new SchemaResolver(registry);
    const latest = await resolver.version('orders-value', 'latest');
    expect(latest.schema).toMatchObject({ subject: 'orders-value', version: 1 });
    expect(latest.dependencies.map((d) => d.schema.subject)).toEqual(['D']);
  });
});

describe('schema resolver > registration', () => {
  it('registers a schema once per subject and text', async () => {
    const registry = new InMemoryRegistry();
    const resolver = new SchemaResolver(registry);
    const first = await resolver.register('orders-value', json('Order'));
    expect(await resolver.register('orders-value', json('Order'))).toBe(first);
    expect(registry.calls.register).toBe(1);
    await resolver.register('payments-value', json('Order'));
    expect(registry.calls.register).toBe(2);
  });

  it('shares one registration among concurrent callers', async () => {
    const registry = new InMemoryRegistry();
    const resolver = new SchemaResolver(registry);
    await Promise.all(Array.from({ length: 20 }, () => resolver.register('orders-value', json('Order'))));
    expect(registry.calls.register).toBe(1);
  });

  it('passes normalize to the registry and keys the cache by it', async () => {
    const registry = new InMemoryRegistry();
    const resolver = new SchemaResolver(registry);
    await resolver.register('orders-value', json('Order'), { normalize: true });
    await resolver.register('orders-value', json('Order'));
    expect(registry.registerOptions).toEqual([{ normalize: true }, {}]);
  });

  it('looks a schema up once, and a miss is a typed error that is not cached', async () => {
    const registry = new InMemoryRegistry();
    registry.seed('orders-value', json('Other'));
    const resolver = new SchemaResolver(registry);
    await expect(resolver.lookup('orders-value', json('Order'))).rejects.toMatchObject({
      code: ErrorCode.SchemaNotFound,
    });
    registry.seed('orders-value', json('Order'));
    const found = await resolver.lookup('orders-value', json('Order'), { normalize: false });
    expect(found).toMatchObject({ subject: 'orders-value', version: 2 });
    await resolver.lookup('orders-value', json('Order'));
    expect(registry.calls.lookup).toBe(2);
    expect(registry.calls.register).toBe(0);
  });
});
