import { Bench } from 'tinybench';

/** One way of doing a case's work: a raw codec, a schemawire path or a peer library. */
export interface Contender {
  readonly name: string;
  /** Does the work once; a promise when the contender's API is asynchronous. */
  readonly run: () => unknown;
  /** Whether `run` returns a promise to await. */
  readonly async: boolean;
}

/** How long and how often contenders are measured. */
export interface MeasureOptions {
  /** Time per contender per round, in ms. */
  readonly timeMs: number;
  /** Rounds; each runs every contender once, in an order rotated per round. */
  readonly rounds: number;
}

// Each timed sample runs enough operations to take about this long, so the clock's own cost (a system
// call of one to three microseconds for CPU time) is spread over them instead of being added to every
// sub-microsecond operation, which would flatten every ratio towards 1.
const SAMPLE_MS = 1;
// Enough calls for the engine to optimize every contender's path before the first timed round.
const WARM_UP_TURNS = 2000;

/**
 * The clock samples are timed with: the CPU time of this process (BENCH_CLOCK=cpu, the default), which
 * other work on a shared machine does not add to, or wall time (BENCH_CLOCK=wall). CPU time counts
 * every thread of the process, so the collector's and the compiler's background work count too.
 */
const clock: () => number =
  process.env['BENCH_CLOCK'] === 'wall'
    ? () => performance.now()
    : () => {
        const { user, system } = process.cpuUsage();
        return (user + system) / 1000;
      };

/** Where results land, so the engine cannot drop work whose result nobody reads. */
export const sink: { value: unknown } = { value: undefined };

/**
 * Measures the contenders side by side in this process and returns each one's operations per second:
 * the best round's mean time per operation, GC pauses included (they are part of what allocating
 * costs). Other work on the machine only ever slows a round down, so the best round is the nearest
 * to what the code itself costs; rotating the order spreads warm-up and heap effects over all.
 */
export async function measure(
  contenders: readonly Contender[],
  options: MeasureOptions,
): Promise<Map<string, number>> {
  const perSample = await warmUpTogether(contenders);
  const samples = new Map<string, number[]>(contenders.map((contender) => [contender.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    const bench = new Bench({
      time: options.timeMs,
      warmupTime: options.timeMs / 4,
      iterations: 8,
      now: clock,
      throws: true,
    });
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
    for (const contender of order) bench.add(contender.name, batchOf(contender, perSample.get(contender)!));
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== 'completed') throw new Error(`${task.name} did not complete: ${result.state}`);
      const operations = perSample.get(contenders.find((contender) => contender.name === task.name)!)!;
      samples.get(task.name)!.push((operations * 1000) / result.latency.mean);
    }
  }
  return new Map([...samples].map(([name, opsPerSec]) => [name, Math.max(...opsPerSec)]));
}

// Contenders share code (avsc's byte cursor, Buffer's methods), and the engine optimizes a function for the
// callers it has seen so far: run them all, in turns, before any is timed, so none is measured with
// code optimized for it alone and later thrown away when another one runs. Returns how many operations
// of each contender make a sample of about SAMPLE_MS, from the warm-up's last turns.
async function warmUpTogether(contenders: readonly Contender[]): Promise<Map<Contender, number>> {
  const spent = new Map<Contender, number>(contenders.map((contender) => [contender, 0]));
  const timedFrom = WARM_UP_TURNS / 2;
  for (let i = 0; i < WARM_UP_TURNS; i++) {
    for (const contender of contenders) {
      const started = performance.now();
      const output = contender.run();
      sink.value = contender.async ? await output : output;
      if (i >= timedFrom) spent.set(contender, spent.get(contender)! + performance.now() - started);
    }
  }
  return new Map(
    contenders.map((contender) => {
      const perOperationMs = spent.get(contender)! / (WARM_UP_TURNS - timedFrom);
      return [contender, Math.max(1, Math.min(4096, Math.round(SAMPLE_MS / perOperationMs)))];
    }),
  );
}

function batchOf(contender: Contender, operations: number): () => unknown {
  const { run } = contender;
  if (contender.async) {
    return async () => {
      for (let i = 0; i < operations; i++) sink.value = await run();
    };
  }
  return () => {
    for (let i = 0; i < operations; i++) sink.value = run();
  };
}
