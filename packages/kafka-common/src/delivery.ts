import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import type { RetryBackoff } from './retry-backoff.js';

/**
 * The messages of one send bound for one partition, in order, with their places in the send. A share
 * goes to one broker and is acknowledged, or not, as a whole.
 */
export interface PartitionShare<M> {
  readonly topic: string;
  readonly partition: number;
  readonly messages: M[];
  /** Where each message stood in the send (0 for its first message). */
  readonly positions: number[];
}

/** One key per partition of a topic, for maps of per-partition state. */
export function partitionKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}

/** Builds the shares of one send, message by message, in the order of the send. */
export class PartitionShares<M> {
  readonly #shares = new Map<string, PartitionShare<M>>();

  /** Adds `message`, which stood at `position` in the send, to its partition's share. */
  add(topic: string, partition: number, message: M, position: number): void {
    const id = partitionKey(topic, partition);
    let share = this.#shares.get(id);
    if (share === undefined) {
      share = { topic, partition, messages: [], positions: [] };
      this.#shares.set(id, share);
    }
    share.messages.push(message);
    share.positions.push(position);
  }

  /** The shares, in the order their partitions first came up. */
  list(): PartitionShare<M>[] {
    return [...this.#shares.values()];
  }
}

/** A share about to be sent again after a retriable failure. */
export interface DeliveryRetry {
  readonly topic: string;
  readonly partition: number;
  /** How many messages the share holds. */
  readonly messages: number;
  /** 1 for the first re-send. */
  readonly attempt: number;
  readonly delayMs: number;
  /** Why the last attempt did not deliver the share. */
  readonly error: Error;
}

/** How {@link deliver} retries. */
export interface DeliveryOptions {
  /** No re-send starts after this time (ms since the epoch). */
  readonly deadline: number;
  readonly backoff: RetryBackoff;
  /** Whether a failed attempt may succeed when tried again. */
  readonly isRetriable: (error: unknown) => boolean;
  /** The producer's queue of partitions, which keeps concurrent sends to a partition in order. */
  readonly queue: PartitionQueue;
  readonly onRetry?: ((retry: DeliveryRetry) => void) | undefined;
}

/** What {@link deliver} achieved: the acknowledgement of each delivered share, and the shares not delivered. */
export interface DeliveryOutcome<M, A> {
  readonly acks: A[];
  readonly delivered: number;
  readonly failed: { readonly share: PartitionShare<M>; readonly error: Error }[];
}

/**
 * Sends every share at once, each partition's after whatever an earlier send still has in flight for
 * it, and sends again a share whose attempt failed with a retriable error, until it is acknowledged or
 * the deadline has passed. `send` resolves with the broker's acknowledgement of the share's partition,
 * or undefined when the client's answer left it out, which counts as a retriable failure: a client may
 * report a send as done when a broker's answer did not cover every partition it was given (kafkajs 2.2.4,
 * when leadership moves while it retries).
 */
export async function deliver<M, A>(
  shares: readonly PartitionShare<M>[],
  send: (share: PartitionShare<M>) => Promise<A | undefined>,
  options: DeliveryOptions,
): Promise<DeliveryOutcome<M, A>> {
  const outcomes = await Promise.all(
    shares.map((share) => options.queue.run(share, () => deliverShare(share, send, options))),
  );
  const acks: A[] = [];
  const failed: { share: PartitionShare<M>; error: Error }[] = [];
  let delivered = 0;
  outcomes.forEach((outcome, i) => {
    const share = shares[i]!;
    if ('ack' in outcome) {
      acks.push(outcome.ack);
      delivered += share.messages.length;
    } else {
      failed.push({ share, error: outcome.error });
    }
  });
  return { acks, delivered, failed };
}

// One share's attempts: a share holds its partition's place in the queue until it is done, so a later
// send to the partition cannot overtake its re-sends.
async function deliverShare<M, A>(
  share: PartitionShare<M>,
  send: (share: PartitionShare<M>) => Promise<A | undefined>,
  options: DeliveryOptions,
): Promise<{ readonly ack: A } | { readonly error: Error }> {
  for (let attempt = 1; ; attempt++) {
    let error: Error;
    try {
      const ack = await send(share);
      if (ack !== undefined) return { ack };
      error = leftOut(share);
    } catch (reason) {
      error = asError(reason);
      if (!options.isRetriable(error)) return { error };
    }
    const delayMs = options.backoff.delayMs(attempt);
    if (Date.now() + delayMs >= options.deadline) return { error };
    try {
      options.onRetry?.({
        topic: share.topic,
        partition: share.partition,
        messages: share.messages.length,
        attempt,
        delayMs,
        error,
      });
    } catch {
      // A listener that fails must not end the delivery it only watches.
    }
    await sleep(delayMs);
  }
}

/**
 * Runs the deliveries of each partition one after another, in the order they were asked for, so that
 * messages sent concurrently to one partition land in the order of their sends, re-sends included.
 */
export class PartitionQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` once every earlier task of the share's partition has ended. */
  run<T>(share: PartitionShare<unknown>, task: () => Promise<T>): Promise<T> {
    const id = partitionKey(share.topic, share.partition);
    const previous = this.#tails.get(id);
    const result = previous === undefined ? task() : previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(id, tail);
    // The last task of a partition leaves no entry behind.
    void tail.then(() => {
      if (this.#tails.get(id) === tail) this.#tails.delete(id);
    });
    return result;
  }
}

/**
 * Messages a send could not get acknowledged: `delivered` messages were, the ones at `undelivered`
 * (their places in the send) may not be on the topic. Sending those again may write a message twice
 * unless the producer is idempotent.
 */
export class DeliveryError extends SchemaWireError {
  static readonly code = ErrorCode.NotDelivered;
  override readonly name: string = 'DeliveryError';
  /** How many messages of the send the brokers acknowledged. */
  readonly delivered: number;
  /** The places in the send of the messages not acknowledged, in order. */
  readonly undelivered: readonly number[];

  constructor(
    outcome: {
      readonly delivered: number;
      readonly failed: readonly { share: PartitionShare<unknown>; error: Error }[];
    },
    total: number,
  ) {
    const undelivered = outcome.failed.flatMap(({ share }) => share.positions).sort((a, b) => a - b);
    const where = outcome.failed
      .map(({ share }) => `${JSON.stringify(share.topic)} partition ${share.partition}`)
      .join(', ');
    const first = outcome.failed[0]!;
    super(
      ErrorCode.NotDelivered,
      `cannot send ${undelivered.length} of ${total} messages (${where}): ${first.error.message}; ${outcome.delivered} were acknowledged`,
      { cause: first.error, topic: first.share.topic, retriable: false },
    );
    this.delivered = outcome.delivered;
    this.undelivered = undelivered;
  }
}

function leftOut(share: PartitionShare<unknown>): Error {
  return new SchemaWireError(
    ErrorCode.Kafka,
    `the broker's answer did not acknowledge ${JSON.stringify(share.topic)} partition ${share.partition}`,
    { topic: share.topic, partition: share.partition, retriable: true },
  );
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
