import type { IncomingMessage, SchemaReference } from '@schemawire/core-client';
import { Deserializer, Serializer } from '@schemawire/core-client';
import type { EmbeddedRegistry } from '@schemawire/registry-adapter';
import { ConfluentRestClient } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';
import { startCountingProxy, startLocalRegistry } from './local-registry.js';

/** The cold-start scenario of issue 7. */
export const COLD_START = { messages: 10_000, schemaIds: 50 } as const;

const NAMESPACE = 'io.schemawire.bench.cold';

/** What the registry saw while a cold deserializer decoded the messages at once. */
export interface ColdStartReport {
  readonly messages: number;
  readonly schemaIds: number;
  /** The references the schemas use, each a subject version (a shared chain and one per schema). */
  readonly references: number;
  /** Requests for each schema id, by path. */
  readonly idRequests: Readonly<Record<string, number>>;
  /** Requests for each referenced subject version, by path. */
  readonly referenceRequests: Readonly<Record<string, number>>;
  /** Every other request the registry saw (none expected). */
  readonly otherRequests: Readonly<Record<string, number>>;
  /** Whether each id and each reference was asked for exactly once, and nothing else. */
  readonly exactlyOnce: boolean;
  readonly elapsedMs: number;
}

/**
 * 10,000 concurrent decodes spread over 50 schema ids the deserializer has never seen, each schema
 * referencing a shared record (which references another) and one record of its own. The requests are
 * counted by an HTTP proxy in front of the registry, so client-side caching cannot hide any.
 */
export async function runColdStart(): Promise<ColdStartReport> {
  const formats = [avroFormat()];
  const local = await startLocalRegistry(formats);
  const proxy = await startCountingProxy(local.url);
  try {
    const { messages, expected } = await seed(local.registry);
    const deserializer = new Deserializer({
      registry: new ConfluentRestClient({ baseUrl: proxy.url }),
      formats,
    });
    const started = performance.now();
    const decoded = await Promise.all(messages.map((message) => deserializer.deserialize(message)));
    const elapsedMs = performance.now() - started;
    decoded.forEach((result, i) => {
      const value = result?.value as { readonly n?: unknown } | undefined;
      if (value?.n !== i) throw new Error(`message ${i} decoded to ${JSON.stringify(value)}`);
    });
    return countRequests(proxy.counts, expected, elapsedMs);
  } finally {
    await proxy.close();
    await local.close();
  }
}

interface Expected {
  readonly idPaths: readonly string[];
  readonly referencePaths: readonly string[];
}

// Registers the shared chain Country <- Address, one Extra record per schema, and 50 schemas using both,
// straight into the registry (not through the proxy); then writes the messages, spread evenly.
async function seed(
  registry: EmbeddedRegistry,
): Promise<{ messages: IncomingMessage[]; expected: Expected }> {
  const record = (name: string, fields: readonly { name: string; type: unknown }[]) =>
    JSON.stringify({ type: 'record', name, namespace: NAMESPACE, fields });
  const reference = (name: string, subject: string): SchemaReference => ({
    name: `${NAMESPACE}.${name}`,
    subject,
    version: 1,
  });
  await registry.register('cold-country', {
    schemaType: 'AVRO',
    schema: record('Country', [{ name: 'code', type: 'string' }]),
  });
  const addressReferences = [reference('Country', 'cold-country')];
  await registry.register('cold-address', {
    schemaType: 'AVRO',
    schema: record('Address', [
      { name: 'city', type: 'string' },
      { name: 'country', type: `${NAMESPACE}.Country` },
    ]),
    references: addressReferences,
  });
  const serializers: Serializer[] = [];
  const referencePaths = ['cold-country', 'cold-address'];
  const idPaths: string[] = [];
  for (let i = 0; i < COLD_START.schemaIds; i++) {
    const extra = `cold-extra-${i}`;
    await registry.register(extra, {
      schemaType: 'AVRO',
      schema: record(`Extra${i}`, [{ name: 'note', type: 'string' }]),
    });
    referencePaths.push(extra);
    const schema = {
      schemaType: 'AVRO' as const,
      schema: record(`Event${i}`, [
        { name: 'n', type: 'int' },
        { name: 'address', type: `${NAMESPACE}.Address` },
        { name: 'extra', type: `${NAMESPACE}.Extra${i}` },
      ]),
      references: [reference('Address', 'cold-address'), reference(`Extra${i}`, extra)],
    };
    const serializer = new Serializer({ registry, formats: [avroFormat()], schema });
    idPaths.push(`GET /schemas/ids/${(await serializer.prepare(`cold-${i}`)).id}`);
    serializers.push(serializer);
  }
  const messages = Array.from({ length: COLD_START.messages }, (_, n) => {
    const i = n % COLD_START.schemaIds;
    const value = { n, address: { city: 'Lyon', country: { code: 'FR' } }, extra: { note: `m${n}` } };
    return { value: serializers[i]!.serializeSync(`cold-${i}`, value).bytes };
  });
  return {
    messages,
    expected: {
      idPaths,
      referencePaths: referencePaths.map((subject) => `GET /subjects/${subject}/versions/1`),
    },
  };
}

function countRequests(
  counts: ReadonlyMap<string, number>,
  expected: Expected,
  elapsedMs: number,
): ColdStartReport {
  const pick = (paths: readonly string[]) =>
    Object.fromEntries(paths.map((path) => [path, counts.get(path) ?? 0]));
  const known = new Set([...expected.idPaths, ...expected.referencePaths]);
  const idRequests = pick(expected.idPaths);
  const referenceRequests = pick(expected.referencePaths);
  const otherRequests = Object.fromEntries([...counts].filter(([path]) => !known.has(path)));
  const exactlyOnce =
    [...Object.values(idRequests), ...Object.values(referenceRequests)].every((count) => count === 1) &&
    Object.keys(otherRequests).length === 0;
  return {
    messages: COLD_START.messages,
    schemaIds: COLD_START.schemaIds,
    references: expected.referencePaths.length,
    idRequests,
    referenceRequests,
    otherRequests,
    exactlyOnce,
    elapsedMs: Math.round(elapsedMs),
  };
}

/** The cold-start result as a few lines of markdown. */
export function coldStartSummary(report: ColdStartReport): string {
  const counts = (requests: Readonly<Record<string, number>>) => {
    const values = Object.values(requests);
    return `${values.reduce((a, b) => a + b, 0)} requests for ${values.length} (min ${Math.min(...values)}, max ${Math.max(...values)} each)`;
  };
  const others = Object.entries(report.otherRequests);
  return [
    `- Cold start: ${report.messages.toLocaleString('en')} concurrent decodes over ${report.schemaIds} unknown schema ids with ${report.references} referenced subject versions, in ${report.elapsedMs} ms.`,
    `  - schema ids: ${counts(report.idRequests)}`,
    `  - references: ${counts(report.referenceRequests)}`,
    `  - other requests: ${others.length === 0 ? 'none' : others.map(([path, n]) => `${path} ×${n}`).join(', ')}`,
    `  - exactly one request per id and per reference: ${report.exactlyOnce ? 'yes' : 'NO'}`,
  ].join('\n');
}
