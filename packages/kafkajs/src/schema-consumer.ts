import type { AnySchemaHandle } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import type {
  AnyDecoded,
  ConsumerLogger,
  ConsumerStats,
  Decoded,
  RawMessage,
  SchemaConsumerBaseOptions,
  TopicDefinition,
} from '@schemawire/kafka-common';
import { decodeError, errorAction, MessageDecoding } from '@schemawire/kafka-common';
import type {
  Consumer,
  ConsumerConfig,
  ConsumerRunConfig,
  ConsumerSubscribeTopic,
  ConsumerSubscribeTopics,
  EachBatchPayload,
  EachMessagePayload,
  Kafka,
  KafkaMessage,
  Producer,
} from 'kafkajs';
import { consumerRetry } from './consumer-retry.js';
import type { ConsumedMessage } from './error-policy.js';
import { checkErrorPolicy } from './error-policy.js';

export type { ConsumerStats, Decoded } from '@schemawire/kafka-common';

/** A message of a batch with its decoded value and key; `H` are the value deserializer's schema handles. */
export interface DecodedMessage<H extends AnySchemaHandle = never> {
  readonly message: KafkaMessage;
  readonly decoded: Decoded<H>;
}

/** kafkajs's `eachMessage` payload, with the message decoded (typed by the handles `H`). */
export type SchemaEachMessagePayload<H extends AnySchemaHandle = never> = EachMessagePayload & {
  readonly decoded: Decoded<H>;
};

/**
 * kafkajs's `eachBatch` payload with the batch's messages decoded, in order, up to the first message
 * its partition has to stop at (error policy `fail`, or a retriable error); skipped and dead-lettered
 * messages are left out, so the list may be empty. Resolving a message's offset also resolves the
 * skipped or dead-lettered messages right after it. The batch is decoded, and its dead letters sent,
 * before the handler runs.
 */
export type SchemaEachBatchPayload<H extends AnySchemaHandle = never> = EachBatchPayload & {
  readonly decodedMessages: readonly DecodedMessage<H>[];
};

/** Handles one decoded message. */
export type SchemaEachMessageHandler<H extends AnySchemaHandle = never> = (
  payload: SchemaEachMessagePayload<H>,
) => Promise<void>;

/** Handles one batch of decoded messages. */
export type SchemaEachBatchHandler<H extends AnySchemaHandle = never> = (
  payload: SchemaEachBatchPayload<H>,
) => Promise<void>;

/** kafkajs's `run` options, with handlers that receive decoded messages. */
export interface SchemaConsumerRunConfig<H extends AnySchemaHandle = never>
  extends Omit<ConsumerRunConfig, 'eachMessage' | 'eachBatch'> {
  readonly eachMessage?: SchemaEachMessageHandler<H>;
  readonly eachBatch?: SchemaEachBatchHandler<H>;
}

/** kafkajs's `ConsumerSubscribeTopics`, whose topics may also be definitions (`defineTopic`). */
export interface SchemaSubscribeTopics extends Omit<ConsumerSubscribeTopics, 'topics'> {
  readonly topics: readonly (string | RegExp | TopicDefinition)[];
}

/** Where a {@link SchemaConsumer} logs; a kafkajs logger (the default: the consumer's) or `console` fit. */
export type SchemaConsumerLogger = ConsumerLogger;

/** Options of a {@link SchemaConsumer}. */
export interface SchemaConsumerOptions<H extends AnySchemaHandle = never>
  extends SchemaConsumerBaseOptions<Producer, KafkaMessage, H> {
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

const DEFAULT_COMMIT_INTERVAL_MS = 1000;
const DEFAULT_COMMIT_THRESHOLD = 1000;

/**
 * A kafkajs consumer that hands its handler decoded messages and applies an error policy to messages
 * it cannot decode. An offset is resolved only once its message is handled (or skipped, or
 * dead-lettered), so a message that stops its partition, or waits for a retry, is read again. `H` are
 * the value deserializer's schema handles: the handler's values are typed by them (see `Decoded`).
 */
export class SchemaConsumer<H extends AnySchemaHandle = never> {
  /** The kafkajs consumer. */
  readonly consumer: Consumer;
  readonly #decoding: MessageDecoding<Producer, KafkaMessage>;
  readonly #fetchWaitMs: number;
  // Counts pause() calls, so a batch checks the consumer's paused partitions only after one.
  #pauses = 0;

  /**
   * A SchemaConsumer of a consumer `kafka` makes from `config`, with {@link consumerRetry} as its
   * retry options and the fields of `config.retry` over them: the way to make one, as kafkajs's
   * default consumer retries give up on a group coordinator that is loading, and crash the consumer.
   */
  static create<H extends AnySchemaHandle = never>(
    kafka: Pick<Kafka, 'consumer'>,
    config: ConsumerConfig,
    options: SchemaConsumerOptions<H>,
  ): SchemaConsumer<H> {
    return new SchemaConsumer(
      kafka.consumer({ ...config, retry: { ...consumerRetry, ...config.retry } }),
      options,
    );
  }

  /**
   * Wraps a consumer made elsewhere; {@link SchemaConsumer.create} gives it the retry options it
   * needs (`consumerRetry`), which this cannot check: kafkajs keeps a consumer's retry options to
   * itself.
   */
  constructor(consumer: Consumer, options: SchemaConsumerOptions<H>) {
    this.consumer = consumer;
    this.#decoding = new MessageDecoding({
      value: options.value,
      key: options.key,
      policy: checkErrorPolicy(options.onError ?? 'fail'),
      onFailure: options.onFailure,
      onSkip: options.onSkip,
      retry: options.retry,
      logger: options.logger ?? consumer.logger(),
      sendDeadLetter: (target, message) => target.producer.send({ topic: target.topic, messages: [message] }),
    });
    this.#fetchWaitMs = options.fetchWaitMs ?? 1000;
  }

  /** Connects the consumer. */
  connect(): Promise<void> {
    return this.consumer.connect();
  }

  /** Subscribes to topics, as kafkajs's `subscribe`; a topic may be given by its definition (`defineTopic`). */
  subscribe(subscription: SchemaSubscribeTopics | ConsumerSubscribeTopic): Promise<void> {
    if (!('topics' in subscription)) return this.consumer.subscribe(subscription);
    const topics = subscription.topics.map((topic) =>
      typeof topic === 'object' && !(topic instanceof RegExp) ? topic.name : topic,
    );
    return this.consumer.subscribe({ ...subscription, topics });
  }

  /**
   * Runs the consumer with a handler of decoded messages: `eachMessage` or `eachBatch`, not both. The
   * other options are kafkajs's, but for the commit cadence: handled offsets are committed every
   * `autoCommitInterval` ms (default 1000) or `autoCommitThreshold` handled messages (default 1000),
   * whichever comes first, not only once per fetched batch, so a rebalance or a crash delivers again
   * at most what was handled since the last commit.
   */
  async run(config: SchemaConsumerRunConfig<H>): Promise<void> {
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
    this.#decoding.start();
    // kafkajs's first join gives up at once on a group coordinator that is loading (as one is while a
    // cluster makes __consumer_offsets, or just after it took over from a failed broker), and the
    // consumer crashes, and restarts; asking for the group first waits, under the consumer's retry
    // options, until the coordinator answers. Should it not, the join meets the same and says so.
    await this.consumer.describeGroup().catch(() => {});
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
    this.#decoding.stop();
    await this.consumer.stop();
  }

  /** Disconnects the consumer; retries waiting for their backoff are dropped. */
  async disconnect(): Promise<void> {
    this.#decoding.stop();
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
    return this.#decoding.stats();
  }

  async #eachMessage(
    payload: EachBatchPayload,
    handler: SchemaEachMessageHandler<H>,
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
      let decoded: AnyDecoded;
      try {
        const pending = this.#decoding.decode(located(message, topic, partition));
        if (pending instanceof Promise) {
          const settled = await this.#awaitFetch(pending, { topic, partition, message }, payload.pause);
          if (settled === undefined) return;
          decoded = settled;
        } else {
          decoded = pending;
        }
      } catch (error) {
        if (!(await this.#decoding.undecodable(error, { topic, partition, message }, payload.pause))) return;
        payload.resolveOffset(message.offset);
        await heartbeat();
        if (autoCommit) await payload.commitOffsetsIfNecessary();
        // A partition paused while the message was skipped or dead-lettered (by onSkip, a logger, a
        // signal) takes no more of this batch either: the next message would be resolved unhandled.
        if (pauses !== this.#pauses && this.#isPaused(topic, partition)) return;
        continue;
      }
      this.#decoding.decoded(topic, partition);
      // The deserializer names a handle only for a payload written with its schema: the cast holds.
      await handler({ topic, partition, message, heartbeat, pause, decoded: decoded as Decoded<H> });
      payload.resolveOffset(message.offset);
      await heartbeat();
      if (autoCommit) await payload.commitOffsetsIfNecessary();
      // As kafkajs's eachMessage: a partition paused by the handler takes no more of this batch.
      if (pausedByHandler || (pauses !== this.#pauses && this.#isPaused(topic, partition))) return;
    }
  }

  async #eachBatch(
    payload: EachBatchPayload,
    handler: SchemaEachBatchHandler<H>,
    autoResolve: boolean,
  ): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    const decodedMessages: DecodedMessage<H>[] = [];
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
      let decoded: AnyDecoded;
      try {
        const pending = this.#decoding.decode(located(message, topic, partition));
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
        if (!(await this.#decoding.undecodable(error, { topic, partition, message }, payload.pause))) break;
        const previous = decodedMessages.at(-1);
        if (previous === undefined) payload.resolveOffset(message.offset);
        else resolveAlso.set(previous.message.offset, message.offset);
        lastHandled = message.offset;
        await payload.heartbeat();
        continue;
      }
      this.#decoding.decoded(topic, partition);
      decodedMessages.push({ message, decoded: decoded as Decoded<H> });
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
    pending: Promise<AnyDecoded>,
    consumed: ConsumedMessage,
    pause: () => () => void,
  ): Promise<AnyDecoded | undefined> {
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
    this.#decoding.logger.warn('waiting for a schema: partition paused until the registry answers', {
      topic: consumed.topic,
      partition: consumed.partition,
      offset: consumed.message.offset,
      error: `no schema within ${this.#fetchWaitMs} ms`,
    });
    pending.then(
      () => {
        if (!this.#decoding.stopped) resume();
      },
      (error: unknown) => {
        if (this.#decoding.stopped) return;
        const failure = decodeError(error, consumed);
        // A retriable failure waits for its backoff; any other is met again, and handled by the
        // policy, when the message is read again.
        if (errorAction(failure, this.#decoding.policy) === 'retry')
          this.#decoding.retry(failure, consumed, pause);
        else resume();
      },
    );
    return undefined;
  }

  #isPaused(topic: string, partition: number): boolean {
    return this.consumer
      .paused()
      .some((paused) => paused.topic === topic && paused.partitions.includes(partition));
  }
}

// The message as the deserializer reads it: kafkajs's message names neither its topic nor its partition.
function located(message: KafkaMessage, topic: string, partition: number): RawMessage {
  const { key, value, headers, offset } = message;
  return { key, value, headers, offset, topic, partition };
}
