import type { IncomingMessage, SchemaFormat } from '@schemawire/core-client';
import {
  Deserializer,
  ErrorCode,
  isSchemaWireError,
  SchemaResolver,
  Serializer,
} from '@schemawire/core-client';
import type { EmbeddedRegistry } from '@schemawire/registry-adapter';
import { ConfluentRestClient } from '@schemawire/registry-adapter';
import { avroFormat } from '@schemawire/serdes-avro';
import { benchAvroSchema, benchRecord } from './bench-record.js';
import { startLocalRegistry } from './local-registry.js';

/** The memory scenario of issue 7. */
export const MEMORY = { messages: 1_000_000, schemaIds: 1_000 } as const;

/** How the heap behaved while one deserializer decoded the messages. */
export interface MemoryRun {
  /** The codec and schema cache limits. */
  readonly cacheLimit: number;
  /** How messages name their schemas: `round-robin` (each id in turn) or `blocks` (one id at a time). */
  readonly order: 'round-robin' | 'blocks';
  /** Heap after GC before the deserializer existed, in MB. */
  readonly baselineMb: number;
  /** Heap after GC at each tenth of the messages, in MB. */
  readonly checkpointsMb: readonly number[];
  /** The process's resident set at each tenth, in MB: the heap and what lives outside it. */
  readonly rssMb: readonly number[];
  /** The largest checkpoint minus the baseline: what the caches (and nothing else) hold. */
  readonly retainedMb: number;
  /** The last checkpoint minus the first: growth once the caches are full (none expected). */
  readonly growthMb: number;
  readonly elapsedMs: number;
}

/** Both memory runs and the heap one cached schema costs. */
export interface MemoryReport {
  readonly messages: number;
  readonly schemaIds: number;
  readonly runs: readonly MemoryRun[];
}

/**
 * Decodes 1,000,000 messages across 1,000 schema ids twice: with the default limits (1,000 codecs and
 * schemas, so every id stays cached), and with limits of 100 and the ids in blocks, so the caches
 * evict. The heap after GC is sampled at every tenth of the messages; it should plateau at what the
 * limit allows. Needs `--expose-gc`.
 */
export async function runMemory(): Promise<MemoryReport> {
  const collect = globalThis.gc;
  if (collect === undefined) throw new Error('the memory scenario needs node --expose-gc');
  const formats = [avroFormat()];
  const local = await startLocalRegistry(formats);
  try {
    const payloads = await seed(local.registry, formats);
    const runs: MemoryRun[] = [];
    for (const [cacheLimit, order] of [
      [1000, 'round-robin'],
      [100, 'blocks'],
    ] as const) {
      runs.push(await decodeAll(local.url, payloads, cacheLimit, order, collect));
    }
    return { messages: MEMORY.messages, schemaIds: MEMORY.schemaIds, runs };
  } finally {
    await local.close();
  }
}

// One schema per id: the bench record under names of its own, so each compiles to its own codec.
async function seed(registry: EmbeddedRegistry, formats: readonly SchemaFormat[]): Promise<Buffer[]> {
  const resolver = new SchemaResolver(registry, { maxSchemas: MEMORY.schemaIds });
  const payloads: Buffer[] = [];
  for (let i = 0; i < MEMORY.schemaIds; i++) {
    const schema = benchAvroSchema(`Memory${i}`);
    const serializer = new Serializer({
      registry: resolver,
      formats,
      schema: { schemaType: 'AVRO', schema },
    });
    await serializer.prepare(`memory-${i}`);
    payloads.push(serializer.serializeSync(`memory-${i}`, benchRecord).bytes!);
  }
  return payloads;
}

async function decodeAll(
  registryUrl: string,
  payloads: readonly Buffer[],
  cacheLimit: number,
  order: MemoryRun['order'],
  collect: () => void,
): Promise<MemoryRun> {
  const heapMb = () => {
    collect();
    return process.memoryUsage().heapUsed / 2 ** 20;
  };
  const baselineMb = heapMb();
  const resolver = new SchemaResolver(new ConfluentRestClient({ baseUrl: registryUrl }), {
    maxSchemas: cacheLimit,
  });
  const deserializer = new Deserializer({
    registry: resolver,
    formats: [avroFormat()],
    maxCodecs: cacheLimit,
  });
  const perBlock = MEMORY.messages / MEMORY.schemaIds;
  const checkpointEvery = MEMORY.messages / 10;
  const checkpointsMb: number[] = [];
  const rssMb: number[] = [];
  const message: { value: Buffer } = { value: payloads[0]! };
  const started = performance.now();
  for (let n = 0; n < MEMORY.messages; n++) {
    message.value = payloads[order === 'round-robin' ? n % payloads.length : Math.floor(n / perBlock)]!;
    const decoded = decodeCached(deserializer, message) ?? (await deserializer.deserialize(message));
    if (decoded === null) throw new Error(`message ${n} decoded to null`);
    if ((n + 1) % checkpointEvery === 0) {
      checkpointsMb.push(heapMb());
      rssMb.push(process.memoryUsage.rss() / 2 ** 20);
    }
  }
  const elapsedMs = performance.now() - started;
  const round = (mb: number) => Math.round(mb * 10) / 10;
  return {
    cacheLimit,
    order,
    baselineMb: round(baselineMb),
    checkpointsMb: checkpointsMb.map(round),
    rssMb: rssMb.map(Math.round),
    retainedMb: round(Math.max(...checkpointsMb) - baselineMb),
    growthMb: round(checkpointsMb.at(-1)! - checkpointsMb[0]!),
    elapsedMs: Math.round(elapsedMs),
  };
}

// The synchronous path while the schema is cached; undefined sends the message to the async path.
function decodeCached(
  deserializer: Deserializer,
  message: IncomingMessage,
): ReturnType<Deserializer['deserializeSync']> | undefined {
  try {
    return deserializer.deserializeSync(message);
  } catch (error) {
    if (isSchemaWireError(error, ErrorCode.NotCached)) return undefined;
    throw error;
  }
}

/** The Node flags the memory scenario runs under, each in a process of its own: the default, and the one to set with many schemas. */
export const MEMORY_FLAG_SETS: readonly (readonly string[])[] = [[], ['--no-concurrent-recompilation']];

/** The memory results, one report per flag set of {@link MEMORY_FLAG_SETS}, as a few lines of markdown. */
export function memorySummary(reports: readonly MemoryReport[]): string {
  const first = reports[0]!;
  return [
    `- Memory: ${first.messages.toLocaleString('en')} decodes across ${first.schemaIds.toLocaleString('en')} schema ids, heap after GC and resident set (RSS) at every tenth:`,
    ...reports.flatMap((report, i) => {
      const flags = MEMORY_FLAG_SETS[i]!.join(' ') || 'default flags';
      return report.runs.map(
        (run) =>
          `  - ${flags}, cache limit ${run.cacheLimit} (${run.order}): heap baseline ${run.baselineMb} MB, checkpoints ${run.checkpointsMb.join(' / ')} MB, held by the caches ${run.retainedMb} MB, growth once full ${run.growthMb} MB; RSS ${run.rssMb.join(' / ')} MB; ${run.elapsedMs} ms`,
      );
    }),
  ].join('\n');
}
