/**
 * `make bench`: schemawire beside the raw codecs and the peer libraries (issue 7). Each scenario runs
 * in a fresh process; the codec cases run in several, and each contender's median counts. Settings
 * come from the environment:
 * - BENCH_TIME_MS (default 250) and BENCH_ROUNDS (default 8): time per contender per round, and rounds;
 * - BENCH_PROCESSES (default 3): processes the codec cases run in;
 * - BENCH_CODECS (default `avro,protobuf,json`): the codec groups;
 * - BENCH_SCENARIOS (default `codec,cold-start,memory`), plus `stack` with BENCH_STACK=1 (needs Docker);
 * - BENCH_STACK_ROUNDS (default 5): timed rounds of the stack scenario.
 */

import type { CodecRun } from './codec-bench.js';
import { codecGroups, mergeRuns, runCodecCases } from './codec-bench.js';
import type { MeasuredCase } from './codec-case.js';
import type { ColdStartReport } from './cold-start.js';
import { coldStartSummary, runColdStart } from './cold-start.js';
import { machineLine } from './machine.js';
import type { MemoryReport } from './memory.js';
import { MEMORY_FLAG_SETS, memorySummary, runMemory } from './memory.js';
import type { BenchResult } from './report.js';
import { caseResults, codecTable, targetCheck, times, writeResults } from './report.js';
import type { StackReport } from './stack-throughput.js';
import { runStack, stackResults, stackSummary } from './stack-throughput.js';
import { runWorker, WORKER_FLAG } from './workers.js';

const RESULTS_PATH = new URL('../results.json', import.meta.url);

const settings = {
  timeMs: Number(process.env['BENCH_TIME_MS'] ?? 250),
  rounds: Number(process.env['BENCH_ROUNDS'] ?? 8),
  processes: Number(process.env['BENCH_PROCESSES'] ?? 3),
  codecs: list(process.env['BENCH_CODECS']) ?? codecGroups,
  scenarios: [
    ...(list(process.env['BENCH_SCENARIOS']) ?? ['codec', 'cold-start', 'memory']),
    ...(process.env['BENCH_STACK'] === '1' ? ['stack'] : []),
  ],
};

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The scenarios a worker process runs, each printing its result as JSON. */
const workers: Readonly<Record<string, () => Promise<unknown>>> = {
  codec: () => runCodecCases(settings.codecs, settings, log),
  'cold-start': runColdStart,
  memory: runMemory,
  stack: () => runStack(log),
};

async function main(): Promise<void> {
  const worker = process.argv.find((arg) => arg.startsWith(WORKER_FLAG))?.slice(WORKER_FLAG.length);
  if (worker !== undefined) {
    const run = workers[worker];
    if (run === undefined) throw new Error(`no scenario ${JSON.stringify(worker)}`);
    console.log(JSON.stringify(await run()));
    return;
  }
  const results: BenchResult[] = [];
  const sections: string[] = ['## Benchmarks', '', machineLine(), ''];
  // A scenario that fails (Docker missing, a format not built) is reported, and the others still count.
  const attempt = async (name: string, run: () => Promise<void>) => {
    if (!settings.scenarios.includes(name)) return;
    log(name);
    try {
      await run();
    } catch (error) {
      sections.push(
        `- The ${name} scenario failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exitCode = 1;
    }
  };
  await attempt('codec', async () => {
    const runs: CodecRun[] = [];
    for (let i = 0; i < settings.processes; i++) {
      log(`codec cases: process ${i + 1} of ${settings.processes}`);
      runs.push(await runWorker<CodecRun>('codec'));
    }
    const { measured, skipped } = mergeRuns(runs);
    results.push(...measured.flatMap(caseResults));
    sections.push(codecTable(measured), '', codecNotes(measured), '');
    for (const { group, reason } of skipped) sections.push(`- Skipped ${group}: ${reason}`);
  });
  await attempt('cold-start', async () => {
    sections.push(coldStartSummary(await runWorker<ColdStartReport>('cold-start')));
  });
  await attempt('memory', async () => {
    const reports: MemoryReport[] = [];
    for (const flags of MEMORY_FLAG_SETS) {
      reports.push(await runWorker<MemoryReport>('memory', ['--expose-gc', ...flags]));
    }
    sections.push(memorySummary(reports));
  });
  await attempt('stack', async () => {
    // kafkajs 2.2 sets a negative timeout somewhere on Node 24, which only warns.
    const report = await runWorker<StackReport>('stack', ['--disable-warning=TimeoutNegativeWarning']);
    sections.push(stackSummary(report));
    results.push(...stackResults(report));
  });
  console.log(sections.join('\n'));
  if (results.length > 0) await writeResults(RESULTS_PATH.pathname, results);
}

function codecNotes(measured: readonly MeasuredCase[]): string {
  const checks = measured
    .filter(({ meta }) => meta.target !== undefined)
    .map((measuredCase) => {
      const { ratio: value, met } = targetCheck(measuredCase);
      return `${measuredCase.meta.name} ${times(value)} (≤ ${times(measuredCase.meta.target!)}, ${met ? 'met' : 'missed'})`;
    });
  const processes =
    settings.processes === 1 ? 'one process' : `the median of ${settings.processes} processes`;
  return [
    `Ops/s of one 10-field record (rows marked 2 fields: a long and a string), schema cached, ${processes}, each the best of ${settings.rounds} rounds of ${settings.timeMs} ms; `,
    'ratios are time per operation relative to the raw codec (raw ops/s ÷ ops/s, above 1 is slower). ',
    `Targets of the synchronous path: ${checks.join('; ')}.`,
  ].join('');
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined || value === '' ? undefined : value.split(',').map((item) => item.trim());
}

await main();
