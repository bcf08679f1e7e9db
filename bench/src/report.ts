import { readFile, writeFile } from 'node:fs/promises';
import type { MeasuredCase } from './codec-case.js';
import { PEERS } from './peers.js';

/** One entry of results.json, in the shape issue 7 fixes. */
export interface CaseResult {
  readonly case: string;
  readonly opsPerSec: number;
  readonly rawOpsPerSec: number;
  /** Raw ops/s divided by schemawire ops/s: how many times longer schemawire takes per operation. */
  readonly ratioToRaw: number;
  readonly peers: Readonly<Record<string, number>>;
}

/** One entry of results.json for a phase of the real-stack run with one Kafka client. */
export interface StackCaseResult {
  readonly case: string;
  /** Messages per second through SchemaProducer / SchemaConsumer. */
  readonly opsPerSec: number;
  /** Messages per second of the same client sending and reading bytes encoded beforehand. */
  readonly preEncodedOpsPerSec: number;
  /** `opsPerSec` ÷ `preEncodedOpsPerSec`. */
  readonly ratioToPreEncoded: number;
  /** Messages per second with avsc alone encoding and decoding in the loop. */
  readonly codecOpsPerSec: number;
}

/** An entry of results.json. */
export type BenchResult = CaseResult | StackCaseResult;

/** What a measured case contributes to results.json: its synchronous path, then its async path. */
export function caseResults({ meta, opsPerSec }: MeasuredCase): CaseResult[] {
  const raw = opsOf(opsPerSec, meta.raw);
  const peers = Object.fromEntries(meta.peers.map((peer) => [peer, Math.round(opsOf(opsPerSec, peer))]));
  const result = (name: string, ops: number): CaseResult => ({
    case: name,
    opsPerSec: Math.round(ops),
    rawOpsPerSec: Math.round(raw),
    ratioToRaw: ratio(raw, ops),
    peers,
  });
  return [
    result(meta.name, opsOf(opsPerSec, meta.schemawire)),
    result(`${meta.name}-async`, opsOf(opsPerSec, meta.schemawireAsync)),
  ];
}

/** The synchronous path's ratio to raw, and whether it meets the case's target (undefined without one). */
export function targetCheck({ meta, opsPerSec }: MeasuredCase): {
  readonly ratio: number;
  readonly met: boolean | undefined;
} {
  const value = ratio(opsOf(opsPerSec, meta.raw), opsOf(opsPerSec, meta.schemawire));
  return { ratio: value, met: meta.target === undefined ? undefined : value <= meta.target };
}

/**
 * The markdown table of the codec cases: each path's ops/s and its time per operation relative to
 * the raw codec (raw ops/s ÷ ops/s; above 1 is slower), and each peer relative to raw and to
 * schemawire's synchronous path.
 */
export function codecTable(measured: readonly MeasuredCase[]): string {
  const header = [
    'case',
    'raw codec',
    'schemawire sync',
    'target',
    'schemawire async',
    ...PEERS.map((peer) => `${peer} (vs raw · vs schemawire sync)`),
  ];
  const rows = measured.map((measuredCase) => {
    const { meta, opsPerSec } = measuredCase;
    const raw = opsOf(opsPerSec, meta.raw);
    const sync = opsOf(opsPerSec, meta.schemawire);
    const async = opsOf(opsPerSec, meta.schemawireAsync);
    const { met } = targetCheck(measuredCase);
    const peerCells = PEERS.map((name) => {
      if (!meta.peers.includes(name)) return '—';
      const ops = opsOf(opsPerSec, name);
      return `${formatOps(ops)} (${times(ratio(raw, ops))} · ${times(ratio(sync, ops))})`;
    });
    return [
      meta.label,
      `${meta.raw} ${formatOps(raw)}`,
      `${formatOps(sync)} (${times(ratio(raw, sync))})`,
      meta.target === undefined ? '—' : `≤ ${times(meta.target)}: ${met === true ? 'met' : 'missed'}`,
      `${formatOps(async)} (${times(ratio(raw, async))})`,
      ...peerCells,
    ];
  });
  return markdownTable(header, rows);
}

/** A markdown table of `header` and `rows`. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Writes results.json: the cases measured now, and those of an earlier run that this one left out
 * (`BENCH_SCENARIOS=stack` keeps the codec cases), in the order of the earlier file, new cases last.
 */
export async function writeResults(path: string, results: readonly BenchResult[]): Promise<void> {
  let earlier: BenchResult[] = [];
  try {
    earlier = JSON.parse(await readFile(path, 'utf8')) as BenchResult[];
  } catch {
    // No earlier file, or one that is not JSON: this run's cases are all there is.
  }
  const now = new Map(results.map((result) => [result.case, result]));
  const merged = earlier.map((result) => now.get(result.case) ?? result);
  const known = new Set(earlier.map((result) => result.case));
  merged.push(...results.filter((result) => !known.has(result.case)));
  await writeFile(path, `${JSON.stringify(merged, null, 2)}\n`);
}

/** Operations per second, short: `546k`, `2.02M`, `7.1k`. */
export function formatOps(ops: number): string {
  if (ops >= 1e6) return `${(ops / 1e6).toFixed(2)}M`;
  if (ops >= 1e4) return `${Math.round(ops / 1e3)}k`;
  return `${(ops / 1e3).toFixed(1)}k`;
}

/** A ratio as the table prints it: `1.07×`. */
export function times(value: number): string {
  return `${value.toFixed(2)}×`;
}

/**
 * `baseline / ops` to three decimals: for two rates, how many times longer `ops` takes per operation
 * than `baseline` (or, turned round, one throughput as a share of another).
 */
export function ratio(baseline: number, ops: number): number {
  return Math.round((baseline / ops) * 1000) / 1000;
}

function opsOf(opsPerSec: Readonly<Record<string, number>>, name: string): number {
  const ops = opsPerSec[name];
  if (ops === undefined) throw new Error(`no measurement of ${name}`);
  return ops;
}
