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

// Each timed sample runs this many operations, so the timer's own cost (tens of ns) is spread over them
// instead of being added to every sub-microsecond operation, which would flatten every ratio towards 1.
const OPERATIONS_PER_SAMPLE = 64;
// Enough calls for the engine to optimize every contender's path before the first timed round.
const WARM_UP_TURNS = 2000;

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
  await warmUpTogether(contenders);
  const samples = new Map<string, number[]>(contenders.map((contender) => [contender.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    const bench = new Bench({ time: options.timeMs, warmupTime: options.timeMs / 4, throws: true });
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
    for (const contender of order) bench.add(contender.name, batchOf(contender));
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== 'completed') throw new Error(`${task.name} did not complete: ${result.state}`);
      samples.get(task.name)!.push((OPERATIONS_PER_SAMPLE * 1000) / result.latency.mean);
    }
  }
  return new Map([...samples].map(([name, opsPerSec]) => [name, Math.max(...opsPerSec)]));
}

// Contenders share code (avsc's byte cursor, Buffer's methods), and the engine optimizes a function for the
// callers it has seen so far: run them all, in turns, before any is timed, so none is measured with
// code optimized for it alone and later thrown away when another one runs.
async function warmUpTogether(contenders: readonly Contender[]): Promise<void> {
  for (let i = 0; i < WARM_UP_TURNS; i++) {
    for (const contender of contenders) {
      const output = contender.run();
      sink.value = contender.async ? await output : output;
    }
  }
}

function batchOf(contender: Contender): () => unknown {
  const { run } = contender;
  if (contender.async) {
    return async () => {
      for (let i = 0; i < OPERATIONS_PER_SAMPLE; i++) sink.value = await run();
    };
  }
  return () => {
    for (let i = 0; i < OPERATIONS_PER_SAMPLE; i++) sink.value = run();
  };
}
