import type { AnySchemaHandle, Deserialized, Deserializer, SchemaWireError } from '@schemawire/core-client';
import type { ConsumedMessage, RawMessage } from './consumed.js';
import type { DeadLetterMessage } from './dead-letter.js';
import { deadLetterMessage } from './dead-letter.js';
import type { AnyDecoded } from './decoded.js';
import { decodeError, decodeWith, toDecoded } from './decoded.js';
import { partitionKey } from './delivery.js';
import type { DeadLetterTarget, ErrorPolicy } from './error-policy.js';
import { errorAction } from './error-policy.js';
import type { RetryBackoffOptions } from './retry-backoff.js';
import { RetryBackoff } from './retry-backoff.js';

/** Where a consumer logs; a kafkajs logger or `console` fit. */
export interface ConsumerLogger {
  info(message: string, extra?: object): void;
  warn(message: string, extra?: object): void;
  error(message: string, extra?: object): void;
}

/** What a consumer did with the messages it received so far. */
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

/**
 * The options every adapter's consumer takes, for a client whose producers are `P` and whose consumed
 * messages are `M`.
 */
export interface SchemaConsumerBaseOptions<
  P,
  M extends RawMessage = RawMessage,
  H extends AnySchemaHandle = AnySchemaHandle,
> {
  /**
   * Decodes message values; a universal deserializer decodes every format and carrier it knows. Its
   * schema handles `H` type the values handed to the handler.
   */
  readonly value: Deserializer<H>;
  /** Decodes message keys (a deserializer made with `isKey`); without it keys come as they are. */
  readonly key?: Deserializer<AnySchemaHandle>;
  /** What to do with a message that cannot be decoded; default `fail`. */
  readonly onError?: ErrorPolicy<P>;
  /** Called when a message stops its partition under policy `fail`. */
  readonly onFailure?: (error: SchemaWireError, message: ConsumedMessage<M>) => void;
  /** Called when a message is skipped under policy `skip`. */
  readonly onSkip?: (error: SchemaWireError, message: ConsumedMessage<M>) => void;
  /** The waits between retries of a message whose schema could not be fetched. */
  readonly retry?: RetryBackoffOptions;
}

/** How a {@link MessageDecoding} decodes and what it does with what it cannot decode. */
export interface MessageDecodingOptions<P, M extends RawMessage = RawMessage> {
  readonly value: Deserializer<AnySchemaHandle>;
  readonly key?: Deserializer<AnySchemaHandle> | undefined;
  readonly policy: ErrorPolicy<P>;
  readonly onFailure?: ((error: SchemaWireError, message: ConsumedMessage<M>) => void) | undefined;
  readonly onSkip?: ((error: SchemaWireError, message: ConsumedMessage<M>) => void) | undefined;
  readonly retry?: RetryBackoffOptions | undefined;
  readonly logger: ConsumerLogger;
  /** Sends a dead letter through the client's producer; resolves once the topic has it. */
  readonly sendDeadLetter: (target: DeadLetterTarget<P>, message: DeadLetterMessage) => Promise<unknown>;
}

/**
 * The part of a consumer no client changes: decodes a message (without a promise when its schemas are
 * cached), applies the error policy to one it cannot decode, keeps the retry count of each partition's
 * stuck message, and counts what it did. The adapter says how a partition is paused and resumed.
 */
export class MessageDecoding<P = unknown, M extends RawMessage = RawMessage> {
  readonly policy: ErrorPolicy<P>;
  readonly logger: ConsumerLogger;
  readonly #value: Deserializer<AnySchemaHandle>;
  readonly #key: Deserializer<AnySchemaHandle> | undefined;
  readonly #onFailure: MessageDecodingOptions<P, M>['onFailure'];
  readonly #onSkip: MessageDecodingOptions<P, M>['onSkip'];
  readonly #sendDeadLetter: MessageDecodingOptions<P, M>['sendDeadLetter'];
  readonly #backoff: RetryBackoff;
  readonly #stats = { decoded: 0, skipped: 0, deadLettered: 0, failed: 0 };
  readonly #retries = new Map<string, { readonly offset: string; readonly attempt: number }>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(options: MessageDecodingOptions<P, M>) {
    this.policy = options.policy;
    this.logger = options.logger;
    this.#value = options.value;
    this.#key = options.key;
    this.#onFailure = options.onFailure;
    this.#onSkip = options.onSkip;
    this.#sendDeadLetter = options.sendDeadLetter;
    this.#backoff = new RetryBackoff(options.retry);
  }

  /** Whether the consumer was stopped: retries waiting for their backoff were dropped. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Marks the consumer as running again. */
  start(): void {
    this.#stopped = false;
  }

  /** Marks the consumer as stopped and drops the retries waiting for their backoff. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Counts of decoded, skipped, dead-lettered and failed messages so far. */
  stats(): ConsumerStats {
    return { ...this.#stats };
  }

  /** The decoded message: synchronously when its schemas are cached, a promise only when one is fetched. */
  decode(message: RawMessage): AnyDecoded | Promise<AnyDecoded> {
    const value = decodeWith(this.#value, message);
    if (value instanceof Promise) return value.then((resolved) => this.#withKey(resolved, message));
    return this.#withKey(value, message);
  }

  /** Counts a message handed to the handler; its partition's retry count starts again. */
  decoded(topic: string, partition: number): void {
    this.#handled(topic, partition);
    this.#stats.decoded++;
  }

  /**
   * Applies the error policy to a message that could not be decoded; true when it is done with
   * (skipped, dead-lettered). `pause` pauses the message's partition and returns what resumes it.
   */
  async undecodable(error: unknown, consumed: ConsumedMessage<M>, pause: () => () => void): Promise<boolean> {
    const failure = decodeError(error, consumed);
    const context = logContext(failure, consumed);
    switch (errorAction(failure, this.policy)) {
      case 'retry':
        this.retry(failure, consumed, pause);
        return false;
      case 'fail':
        pause();
        this.#stats.failed++;
        this.logger.error(
          'cannot decode message: partition paused, nothing from this message on is committed',
          context,
        );
        this.#onFailure?.(failure, consumed);
        return false;
      case 'skip':
        this.#handled(consumed.topic, consumed.partition);
        this.#stats.skipped++;
        this.logger.warn('cannot decode message: skipped', context);
        this.#onSkip?.(failure, consumed);
        return true;
      case 'dead-letter': {
        const target = (this.policy as { readonly deadLetter: DeadLetterTarget<P> }).deadLetter;
        await this.#sendDeadLetter(target, deadLetterMessage(failure, consumed));
        this.#handled(consumed.topic, consumed.partition);
        this.#stats.deadLettered++;
        this.logger.warn('cannot decode message: sent to the dead-letter topic', {
          ...context,
          deadLetterTopic: target.topic,
        });
        return true;
      }
    }
  }

  /**
   * Pauses the message's partition and resumes it after a backoff that grows while the same message
   * keeps failing. Pausing, rather than throwing to the client, keeps the retries from counting against
   * the client's own and from ending the consumer while the registry is down.
   */
  retry(failure: SchemaWireError, consumed: ConsumedMessage, pause: () => () => void): void {
    const delayMs = this.retryDelayMs(failure, consumed);
    const resume = pause();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      resume();
    }, delayMs);
    this.#timers.add(timer);
  }

  /** The backoff before the message is tried again, counted and logged; for adapters that wait in line. */
  retryDelayMs(failure: SchemaWireError, consumed: ConsumedMessage): number {
    const key = partitionKey(consumed.topic, consumed.partition);
    const { offset } = consumed.message;
    const previous = this.#retries.get(key);
    const attempt = previous !== undefined && previous.offset === offset ? previous.attempt + 1 : 1;
    this.#retries.set(key, { offset, attempt });
    const delayMs = this.#backoff.delayMs(attempt);
    this.logger.warn('cannot decode message yet: partition paused, retrying after a backoff', {
      ...logContext(failure, consumed),
      attempt,
      delayMs,
    });
    return delayMs;
  }

  #withKey(
    value: Deserialized<AnySchemaHandle> | null,
    message: RawMessage,
  ): AnyDecoded | Promise<AnyDecoded> {
    if (this.#key === undefined) return toDecoded(value, message.key);
    const key = decodeWith(this.#key, message);
    if (key instanceof Promise) return key.then((resolved) => toDecoded(value, resolved?.value ?? null));
    return toDecoded(value, key === null ? null : key.value);
  }

  #handled(topic: string, partition: number): void {
    if (this.#retries.size > 0) this.#retries.delete(partitionKey(topic, partition));
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
