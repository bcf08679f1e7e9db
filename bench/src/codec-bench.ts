import { avroFormat } from '@schemawire/serdes-avro';
import { jsonSchemaFormat } from '@schemawire/serdes-json';
import { protobufFormat } from '@schemawire/serdes-protobuf';
import { avroCases } from './avro-cases.js';
import type { CodecCase, MeasuredCase } from './codec-case.js';
import { checkCase, contendersOf, metaOf } from './codec-case.js';
import { jsonCases } from './json-cases.js';
import { startLocalRegistry } from './local-registry.js';
import type { MeasureOptions } from './measure.js';
import { measure } from './measure.js';
import { protobufCases } from './protobuf-cases.js';

/** A group of codec cases that could not run, and why. */
export interface SkippedGroup {
  readonly group: string;
  readonly reason: string;
}

/** What one process measured of the codec cases. */
export interface CodecRun {
  readonly measured: readonly MeasuredCase[];
  readonly skipped: readonly SkippedGroup[];
}

const GROUPS: Readonly<Record<string, (registryUrl: string) => Promise<CodecCase[]>>> = {
  avro: avroCases,
  protobuf: protobufCases,
  json: jsonCases,
};

/**
 * Measures every codec case of `groups` in this process, each beside its baselines, all fed by one
 * local registry whose schemas are fetched (and every cache primed) before any timing. A group whose
 * format cannot compile the bench record is skipped with the reason, not fatal.
 */
export async function runCodecCases(
  groups: readonly string[],
  options: MeasureOptions,
  log: (line: string) => void,
): Promise<CodecRun> {
  const registry = await startLocalRegistry([avroFormat(), protobufFormat(), jsonSchemaFormat()]);
  const measured: MeasuredCase[] = [];
  const skipped: SkippedGroup[] = [];
  try {
    for (const group of groups) {
      const build = GROUPS[group];
      if (build === undefined) throw new Error(`no codec group ${JSON.stringify(group)}`);
      let cases: CodecCase[];
      try {
        cases = await build(registry.url);
        for (const codecCase of cases) await checkCase(codecCase);
      } catch (error) {
        skipped.push({ group, reason: error instanceof Error ? error.message : String(error) });
        continue;
      }
      for (const codecCase of cases) {
        log(`measuring ${codecCase.name}`);
        const opsPerSec = await measure(contendersOf(codecCase), options);
        measured.push({ meta: metaOf(codecCase), opsPerSec: Object.fromEntries(opsPerSec) });
      }
    }
  } finally {
    await registry.close();
  }
  return { measured, skipped };
}

/** The codec groups, in the order they run. */
export const codecGroups: readonly string[] = Object.keys(GROUPS);

/**
 * Merges the runs of several processes: each contender's median ops/s. A process is one sample of
 * how the engine happened to optimize the shared code paths, so no single one is taken as the answer.
 */
export function mergeRuns(runs: readonly CodecRun[]): CodecRun {
  const first = runs[0];
  if (first === undefined) return { measured: [], skipped: [] };
  const measured = first.measured.map(({ meta }) => {
    const samples = runs.map((run) => run.measured.find((other) => other.meta.name === meta.name));
    const names = Object.keys(first.measured.find((other) => other.meta.name === meta.name)!.opsPerSec);
    const opsPerSec = Object.fromEntries(
      names.map((name) => [name, median(samples.map((sample) => sample?.opsPerSec[name] ?? Number.NaN))]),
    );
    return { meta, opsPerSec };
  });
  return { measured, skipped: first.skipped };
}

function median(values: readonly number[]): number {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
