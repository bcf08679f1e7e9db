import { UsageError } from './command.js';

/** Where --offset starts each partition. */
export type StartOffset =
  | { readonly kind: 'beginning' | 'end' }
  /** An offset; from the end when `fromEnd`. */
  | { readonly kind: 'offset'; readonly offset: bigint; readonly fromEnd: boolean }
  /** The first message at or after this time (ms since the epoch). */
  | { readonly kind: 'time'; readonly ms: number };

/** The help lines of --partition, --offset and --exit-at-end. */
export const partitionRangeHelp = `  --partition <N>         read only partition N of the topics (repeatable; default every partition)
  --offset <where>        where to start in each partition, whatever the group committed: beginning,
                          end, N (that offset), -N (N messages before the end), or @TIME (the first
                          message at or after TIME: Unix milliseconds or an ISO date and time);
                          default the group's committed offset, else as --from-beginning says
  --exit-at-end           stop once every partition read has reached the end it had when the run
                          started (default off: wait for new messages)`;

/** The --offset argument: `beginning`, `end`, `N`, `-N` or `@<unix ms | ISO time>`. */
export function parseStartOffset(text: string): StartOffset {
  if (text === 'beginning' || text === 'end') return { kind: text };
  const number = /^(-?)([0-9]{1,19})$/.exec(text);
  if (number !== null) return { kind: 'offset', offset: BigInt(number[2]!), fromEnd: number[1] === '-' };
  if (text.startsWith('@')) {
    const time = text.slice(1);
    // Date.parse alone takes most anything ("-1" is a date to it); only an ISO date is meant.
    const ms = /^[0-9]+$/.test(time)
      ? Number(time)
      : /^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(time)
        ? Date.parse(time)
        : Number.NaN;
    if (Number.isSafeInteger(ms) && ms >= 0) return { kind: 'time', ms };
  }
  throw new UsageError(
    `cannot parse arguments: --offset must be beginning, end, an offset N, -N (from the end) or @TIME (Unix ms or ISO time), got ${JSON.stringify(text)}`,
  );
}

/** One partition to read: where reading starts, and its end offset (the next offset) at the start. */
export interface PartitionRange {
  readonly topic: string;
  readonly partition: number;
  readonly start: string;
  readonly end: string;
}

/** A partition's first offset and its end (the offset the next message gets). */
export interface Watermarks {
  readonly partition: number;
  readonly low: bigint;
  readonly high: bigint;
}

/** The offsets a Kafka client looks up for --partition, --offset and --exit-at-end. */
export interface OffsetLookup {
  /** Every partition of the topic, with its watermarks. */
  watermarks(topic: string): Promise<readonly Watermarks[]>;
  /** The first offset at or after `ms` of each partition of the topic; -1 (or none) where there is none. */
  offsetsAt(topic: string, ms: number): Promise<ReadonlyMap<number, bigint>>;
  /** The consumer group's committed offset of each of the partitions; -1 (or none) where it has none. */
  committed(topic: string, partitions: readonly number[]): Promise<ReadonlyMap<number, bigint>>;
}

/**
 * The range of each partition of `topic` (of `partitions` when given): from --offset (clamped to the
 * offsets the partition holds), else the group's committed offset, else its beginning or end as
 * --from-beginning says, to the partition's end now.
 */
export async function partitionRanges(
  lookup: OffsetLookup,
  topic: string,
  partitions: readonly number[] | undefined,
  start: StartOffset | undefined,
  fromBeginning: boolean,
): Promise<PartitionRange[]> {
  const read = (await lookup.watermarks(topic)).filter((w) => partitions?.includes(w.partition) ?? true);
  const starts = await startOffsets(lookup, topic, read, start, fromBeginning);
  return read.map(({ partition, low, high }) => {
    const wanted = starts(partition, low, high);
    // Bigints: Math.min and Math.max take numbers only.
    let clamped = wanted;
    if (clamped < low) clamped = low;
    if (clamped > high) clamped = high;
    return { topic, partition, start: String(clamped), end: String(high) };
  });
}

type StartOf = (partition: number, low: bigint, high: bigint) => bigint;

async function startOffsets(
  lookup: OffsetLookup,
  topic: string,
  read: readonly Watermarks[],
  start: StartOffset | undefined,
  fromBeginning: boolean,
): Promise<StartOf> {
  switch (start?.kind) {
    case 'beginning':
      return (_, low) => low;
    case 'end':
      return (_, _low, high) => high;
    case 'offset':
      return start.fromEnd ? (_, _low, high) => high - start.offset : () => start.offset;
    case 'time': {
      const found = await lookup.offsetsAt(topic, start.ms);
      // -1: no message at or after the time, so reading starts at the end.
      return (partition, _low, high) => {
        const offset = found.get(partition) ?? -1n;
        return offset < 0n ? high : offset;
      };
    }
    case undefined: {
      const committed = await lookup.committed(
        topic,
        read.map((w) => w.partition),
      );
      return (partition, low, high) => {
        const offset = committed.get(partition) ?? -1n;
        if (offset >= 0n) return offset;
        return fromBeginning ? low : high;
      };
    }
  }
}

/** Where a message was read. */
export interface Location {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** The partitions still short of the end they had when the run started (--exit-at-end). */
export class PartitionEnds {
  readonly #ends = new Map<string, bigint>();

  constructor(ranges: readonly PartitionRange[]) {
    for (const { topic, partition, start, end } of ranges) {
      if (BigInt(start) < BigInt(end)) this.#ends.set(`${topic}/${partition}`, BigInt(end));
    }
  }

  /** Whether every partition has reached its end. */
  get done(): boolean {
    return this.#ends.size === 0;
  }

  /** Notes a handled message; whether every partition has now reached its end. */
  reached({ topic, partition, offset }: Location): boolean {
    const key = `${topic}/${partition}`;
    const end = this.#ends.get(key);
    if (end !== undefined && BigInt(offset) + 1n >= end) this.#ends.delete(key);
    return this.done;
  }
}
