import type { Deserialized, Deserializer } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import type {
  Consumer,
  ConsumerRunConfig,
  ConsumerSubscribeTopic,
  ConsumerSubscribeTopics,
  EachBatchPayload,
  EachMessagePayload,
  KafkaMessage,
} from 'kafkajs';
import { deadLetterMessage } from './dead-letter.js';
import type { Decoded } from './decoded.js';
import { decodeError, decodeWith, toDecoded } from './decoded.js';
import type { ConsumedMessage, DeadLetterTarget, ErrorPolicy } from './error-policy.js';
import { checkErrorPolicy, errorAction } from './error-policy.js';
import type { RetryBackoffOptions } from './retry-backoff.js';
import { RetryBackoff } from './retry-backoff.js';

export type { Decoded } from './decoded.js';

/** A message of a batch with its decoded value and key. */
export interface DecodedMessage {
  readonly message: KafkaMessage;
  readonly decoded: Decoded;
}

/** kafkajs's `eachMessage` payload, with the message decoded. */
export type SchemaEachMessagePayload = EachMessagePayload & { readonly decoded: Decoded };

/**
 * kafkajs's `eachBatch` payload with the batch's messages decoded, in order, up to the first message
 * its partition has to stop at (error policy `fail`, or a retriable error); skipped and dead-lettered
 * messages are left out, so the list may be empty. Resolving a message's offset also resolves the
 * skipped or dead-lettered messages right after it. The batch is decoded, and its dead letters sent,
 * before the handler runs.
 */
export type SchemaEachBatchPayload = EachBatchPayload & {
  readonly decodedMessages: readonly DecodedMessage[];
};

/** Handles one decoded message. */
export type SchemaEachMessageHandler = (payload: SchemaEachMessagePayload) => Promise<void>;

/** Handles one batch of decoded messages. */
export type SchemaEachBatchHandler = (payload: SchemaEachBatchPayload) => Promise<void>;

/** kafkajs's `run` options, with handlers that receive decoded messages. */
export interface SchemaConsumerRunConfig extends Omit<ConsumerRunConfig, 'eachMessage' | 'eachBatch'> {
  readonly eachMessage?: SchemaEachMessageHandler;
  readonly eachBatch?: SchemaEachBatchHandler;
}

/** Where a {@link SchemaConsumer} logs; a kafkajs logger (the default: the consumer's) or `console` fit. */
export interface SchemaConsumerLogger {
  info(message: string, extra?: object): void;
  warn(message: string, extra?: object): void;
  error(message: string, extra?: object): void;
}

/** Options of a {@link SchemaConsumer}. */
export interface SchemaConsumerOptions {
  /** Decodes message values; a universal deserializer decodes every format and carrier it knows. */
  readonly value: Deserializer;
  /** Decodes message keys (a deserializer made with `isKey`); without it keys come as they are. */
  readonly key?: Deserializer;
  /** What to do with a message that cannot be decoded; default `fail`. */
  readonly onError?: ErrorPolicy;
  /** Called when a message stops its partition under policy `fail`. */
  readonly onFailure?: (error: SchemaWireError, message: ConsumedMessage) => void;
  /** Called when a message is skipped under policy `skip`. */
  readonly onSkip?: (error: SchemaWireError, message: ConsumedMessage) => void;
  /** The waits between retries of a message whose schema could not be fetched. */
  readonly retry?: RetryBackoffOptions;
  /**
   * How long a message may wait in the handler for its schema to be fetched; past that its partition
   * is paused and the handler returns, so the consumer goes on heartbeating (kafkajs heartbeats only
   * between handler steps) and keeps its place in the group while the registry is slow or down. The
   * message is read again once the schema is there. Default 1000 ms.
   */
  readonly fetchWaitMs?: number;
  /** Where failures, skips, dead letters and retries are logged; default the consumer's logger. */
  readonly logger?: SchemaConsumerLogger;
}

/** What a {@link SchemaConsumer} did with the messages it received so far. */
export interface ConsumerStats {
  /** Messages decoded and handed to the handler; one delivered again (its handler threw) counts again. */
  readonly decoded: number;
  /** Messages skipped under policy `skip`. */
  readonly skipped: number;
  /** Messages sent to the dead-letter topic. */
  readonly deadLettered: number;
  /** Messages that stopped their partition under policy `fail`. */
  readonly failed: number;
}

const DEFAULT_COMMIT_INTERVAL_MS = 1000;
const DEFAULT_COMMIT_THRESHOLD = 1000;

interface PendingRetry {
  readonly offset: string;
  readonly attempt: number;
}

/**
 * A kafkajs consumer that hands its handler decoded messages and applies an error policy to messages
 * it cannot decode. An offset is resolved only once its message is handled (or skipped, or
 * dead-lettered), so a message that stops its partition, or waits for a retry, is read again.
 */
export class SchemaConsumer {
  /** The kafkajs consumer. */
  readonly consumer: Consumer;
  readonly #value: Deserializer;
  readonly #key: Deserializer | undefined;
  readonly #policy: ErrorPolicy;
  readonly #onFailure: SchemaConsumerOptions['onFailure'];
  readonly #onSkip: SchemaConsumerOptions['onSkip'];
  readonly #backoff: RetryBackoff;
  readonly #logger: SchemaConsumerLogger;
  readonly #stats = { decoded: 0, skipped: 0, deadLettered: 0, failed: 0 };
  readonly #retries = new Map<string, PendingRetry>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #fetchWaitMs: number;
  #stopped = false;
  // Counts pause() calls, so a batch checks the consumer's paused partitions only after one.
  #pauses = 0;

  constructor(consumer: Consumer, options: SchemaConsumerOptions) {
    this.consumer = consumer;
    this.#value = options.value;
    this.#key = options.key;
    this.#policy = checkErrorPolicy(options.onError ?? 'fail');
    this.#onFailure = options.onFailure;
    this.#onSkip = options.onSkip;
    this.#backoff = new RetryBackoff(options.retry);
    this.#logger = options.logger ?? consumer.logger();
    this.#fetchWaitMs = options.fetchWaitMs ?? 1000;
  }

  /** Connects the consumer. */
  connect(): Promise<void> {
    return this.consumer.connect();
  }

  /** Subscribes to topics, as kafkajs's `subscribe`. */
  subscribe(subscription: ConsumerSubscribeTopics | ConsumerSubscribeTopic): Promise<void> {
    return this.consumer.subscribe(subscription);
  }

  /**
   * Runs the consumer with a handler of decoded messages: `eachMessage` or `eachBatch`, not both. The
   * other options are kafkajs's, but for the commit cadence: handled offsets are committed every
   * `autoCommitInterval` ms (default 1000) or `autoCommitThreshold` handled messages (default 1000),
   * whichever comes first, not only once per fetched batch, so a rebalance or a crash delivers again
   * at most what was handled since the last commit.
   */
  async run(config: SchemaConsumerRunConfig): Promise<void> {
    const { eachMessage, eachBatch, eachBatchAutoResolve, ...options } = config;
    if (eachMessage !== undefined && eachBatch !== undefined) {
      throw new SchemaWireError(
        ErrorCode.Config,
        'cannot run consumer: give eachMessage or eachBatch, not both',
      );
    }
    const autoCommit = options.autoCommit !== false;
    let handle: (payload: EachBatchPayload) => Promise<void>;
    if (eachMessage !== undefined) {
      handle = (payload) => this.#eachMessage(payload, eachMessage, autoCommit);
    } else if (eachBatch !== undefined) {
      const autoResolve = eachBatchAutoResolve !== false;
      handle = (payload) => this.#eachBatch(payload, eachBatch, autoResolve);
    } else {
      throw new SchemaWireError(ErrorCode.Config, 'cannot run consumer: eachMessage or eachBatch is needed');
    }
    // Both handlers run on kafkajs's eachBatch so that an offset is resolved only when its message is
    // handled: kafkajs's eachMessage resolves every message that does not throw, and a throw counts
    // against the consumer's retries until it crashes.
    this.#stopped = false;
    await this.consumer.run({
      autoCommitInterval: DEFAULT_COMMIT_INTERVAL_MS,
      autoCommitThreshold: DEFAULT_COMMIT_THRESHOLD,
      ...options,
      eachBatchAutoResolve: false,
      eachBatch: handle,
    });
  }

  /** Stops consuming; retries waiting for their backoff are dropped. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#clearTimers();
    await this.consumer.stop();
  }

  /** Disconnects the consumer; retries waiting for their backoff are dropped. */
  async disconnect(): Promise<void> {
    this.#stopped = true;
    this.#clearTimers();
    await this.consumer.disconnect();
  }

  /** Pauses topics or partitions, as kafkajs's `pause`. */
  pause(topics: Parameters<Consumer['pause']>[0]): void {
    this.#pauses++;
    this.consumer.pause(topics);
  }

  /** Resumes topics or partitions, as kafkajs's `resume`. */
  resume(topics: Parameters<Consumer['resume']>[0]): void {
    this.consumer.resume(topics);
  }

  /** Counts of decoded, skipped, dead-lettered and failed messages since the consumer was made. */
  stats(): ConsumerStats {
    return { ...this.#stats };
  }

  async #eachMessage(
    payload: EachBatchPayload,
    handler: SchemaEachMessageHandler,
    autoCommit: boolean,
  ): Promise<void> {
    const { batch, heartbeat } = payload;
    const { topic, partition } = batch;
    let pausedByHandler = false;
    const pause = (): (() => void) => {
      pausedByHandler = true;
      return payload.pause();
    };
    const pauses = this.#pauses;
    // A batch fetched before its partition was paused (a run that ended, a failure) is left unhandled.
    if (pauses > 0 && this.#isPaused(topic, partition)) return;
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) return;
      let decoded: Decoded;
      try {
        const pending = this.#decode(message);
        if (pending instanceof Promise) {
          const settled = await this.#awaitFetch(pending, { topic, partition, message }, payload.pause);
          if (settled === undefined) return;
          decoded = settled;
        } else {
          decoded = pending;
        }
      } catch (error) {
        if (!(await this.#undecodable(error, { topic, partition, message }, payload.pause))) return;
        payload.resolveOffset(message.offset);
        await heartbeat();
        if (autoCommit) await payload.commitOffsetsIfNecessary();
        // A partition paused while the message was skipped or dead-lettered (by onSkip, a logger, a
        // signal) takes no more of this batch either: the next message would be resolved unhandled.
        if (pauses !== this.#pauses && this.#isPaused(topic, partition)) return;
        continue;
      }
      this.#handled(topic, partition);
      this.#stats.decoded++;
      await handler({ topic, partition, message, heartbeat, pause, decoded });
      payload.resolveOffset(message.offset);
      await heartbeat();
      if (autoCommit) await payload.commitOffsetsIfNecessary();
      // As kafkajs's eachMessage: a partition paused by the handler takes no more of this batch.
      if (pausedByHandler || (pauses !== this.#pauses && this.#isPaused(topic, partition))) return;
    }
  }

  async #eachBatch(
    payload: EachBatchPayload,
    handler: SchemaEachBatchHandler,
    autoResolve: boolean,
  ): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    const decodedMessages: DecodedMessage[] = [];
    // Skipped and dead-lettered messages after a decoded one are resolved with it: were only the decoded
    // one resolved, they would be read, and skipped or dead-lettered, again.
    const resolveAlso = new Map<string, string>();
    let lastHandled: string | undefined;
    // Whether the consumer may have stopped, or the partition been sought, since the last look: only
    // while this loop awaits can either happen, and kafkajs's isStale() costs a string per call.
    let mayHaveMoved = true;
    for (const message of batch.messages) {
      if (mayHaveMoved && (!payload.isRunning() || payload.isStale())) break;
      mayHaveMoved = false;
      let decoded: Decoded;
      try {
        const pending = this.#decode(message);
        if (pending instanceof Promise) {
          mayHaveMoved = true;
          const settled = await this.#awaitFetch(pending, { topic, partition, message }, payload.pause);
          if (settled === undefined) break;
          decoded = settled;
          await payload.heartbeat();
        } else {
          decoded = pending;
        }
      } catch (error) {
        mayHaveMoved = true;
        if (!(await this.#undecodable(error, { topic, partition, message }, payload.pause))) break;
        const previous = decodedMessages.at(-1);
        if (previous === undefined) payload.resolveOffset(message.offset);
        else resolveAlso.set(previous.message.offset, message.offset);
        lastHandled = message.offset;
        await payload.heartbeat();
        continue;
      }
      this.#handled(topic, partition);
      this.#stats.decoded++;
      decodedMessages.push({ message, decoded });
      lastHandled = message.offset;
    }
    const resolveOffset =
      resolveAlso.size === 0
        ? payload.resolveOffset
        : (offset: string) => payload.resolveOffset(resolveAlso.get(offset) ?? offset);
    await handler({ ...payload, resolveOffset, decodedMessages });
    // kafkajs would resolve the whole batch; this stops short of a message that has to be read again.
    if (autoResolve && lastHandled !== undefined) payload.resolveOffset(lastHandled);
  }

  /**
   * The decoded message once its schema is fetched, if that takes no longer than `fetchWaitMs`; else
   * undefined, with the partition paused until the fetch ends (and, when it failed with a retriable
   * error, a backoff after it), so the handler returns and the message is read again later.
   */
  async #awaitFetch(
    pending: Promise<Decoded>,
    consumed: ConsumedMessage,
    pause: () => () => void,
  ): Promise<Decoded | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, this.#fetchWaitMs, undefined);
    });
    try {
      const settled = await Promise.race([pending, late]);
      if (settled !== undefined) return settled;
    } finally {
      clearTimeout(timer);
    }
    const resume = pause();
    this.#logger.warn('waiting for a schema: partition paused until the registry answers', {
      topic: consumed.topic,
      partition: consumed.partition,
      offset: consumed.message.offset,
      error: `no schema within ${this.#fetchWaitMs} ms`,
    });
    pending.then(
      () => {
        if (!this.#stopped) resume();
      },
      (error: unknown) => {
        if (this.#stopped) return;
        const failure = decodeError(error, consumed);
        // A retriable failure waits for its backoff; any other is met again, and handled by the
        // policy, when the message is read again.
        if (errorAction(failure, this.#policy) === 'retry') this.#retry(failure, consumed, pause);
        else resume();
      },
    );
    return undefined;
  }

  // The synchronous path when the schemas are cached; a promise only when one has to be fetched.
  #decode(message: KafkaMessage): Decoded | Promise<Decoded> {
    const value = decodeWith(this.#value, message);
    if (value instanceof Promise) return value.then((resolved) => this.#withKey(resolved, message));
    return this.#withKey(value, message);
  }

  #withKey(value: Deserialized | null, message: KafkaMessage): Decoded | Promise<Decoded> {
    if (this.#key === undefined) return toDecoded(value, message.key);
    const key = decodeWith(this.#key, message);
    if (key instanceof Promise) return key.then((resolved) => toDecoded(value, resolved?.value ?? null));
    return toDecoded(value, key === null ? null : key.value);
  }

  /** Applies the error policy; true when the message is done with (skipped, dead-lettered). */
  async #undecodable(error: unknown, consumed: ConsumedMessage, pause: () => () => void): Promise<boolean> {
    const failure = decodeError(error, consumed);
    const context = logContext(failure, consumed);
    switch (errorAction(failure, this.#policy)) {
      case 'retry':
        this.#retry(failure, consumed, pause);
        return false;
      case 'fail':
        pause();
        this.#stats.failed++;
        this.#logger.error(
          'cannot decode message: partition paused, nothing from this message on is committed',
          context,
        );
        this.#onFailure?.(failure, consumed);
        return false;
      case 'skip':
        this.#handled(consumed.topic, consumed.partition);
        this.#stats.skipped++;
        this.#logger.warn('cannot decode message: skipped', context);
        this.#onSkip?.(failure, consumed);
        return true;
      case 'dead-letter': {
        const target = (this.#policy as { readonly deadLetter: DeadLetterTarget }).deadLetter;
        await target.producer.send({ topic: target.topic, messages: [deadLetterMessage(failure, consumed)] });
        this.#handled(consumed.topic, consumed.partition);
        this.#stats.deadLettered++;
        this.#logger.warn('cannot decode message: sent to the dead-letter topic', {
          ...context,
          deadLetterTopic: target.topic,
        });
        return true;
      }
    }
  }

  // Pausing and resuming later, rather than throwing to kafkajs, keeps the retries from counting
  // against the consumer's own and crashing it while the registry is down.
  #retry(failure: SchemaWireError, consumed: ConsumedMessage, pause: () => () => void): void {
    const key = partitionKey(consumed.topic, consumed.partition);
    const { offset } = consumed.message;
    const previous = this.#retries.get(key);
    const attempt = previous !== undefined && previous.offset === offset ? previous.attempt + 1 : 1;
    this.#retries.set(key, { offset, attempt });
    const delayMs = this.#backoff.delayMs(attempt);
    const resume = pause();
    this.#logger.warn('cannot decode message yet: partition paused, retrying after a backoff', {
      ...logContext(failure, consumed),
      attempt,
      delayMs,
    });
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      resume();
    }, delayMs);
    this.#timers.add(timer);
  }

  #handled(topic: string, partition: number): void {
    if (this.#retries.size > 0) this.#retries.delete(partitionKey(topic, partition));
  }

  #isPaused(topic: string, partition: number): boolean {
    return this.consumer
      .paused()
      .some((paused) => paused.topic === topic && paused.partitions.includes(partition));
  }

  #clearTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}

function logContext(failure: SchemaWireError, consumed: ConsumedMessage): Record<string, unknown> {
  return {
    topic: consumed.topic,
    partition: consumed.partition,
    offset: consumed.message.offset,
    code: failure.code,
    error: failure.message,
  };
}

function partitionKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}
