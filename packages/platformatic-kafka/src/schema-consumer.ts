import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsumeOptions, Consumer, Message, MessagesStream } from '@platformatic/kafka';
import { Producer } from '@platformatic/kafka';
import type { AnySchemaHandle } from '@schemawire/core-client';
import { ErrorCode, SchemaWireError } from '@schemawire/core-client';
import type {
  AnyDecoded,
  ConsumerLogger,
  ConsumerStats,
  Decoded,
  RawHeaders,
  RawMessage,
  SchemaConsumerBaseOptions,
  ConsumedMessage as SharedConsumedMessage,
  ErrorPolicy as SharedPolicy,
  DeadLetterTarget as SharedTarget,
} from '@schemawire/kafka-common';
import {
  checkErrorPolicy,
  decodeError,
  errorAction,
  MessageDecoding,
  partitionKey,
  RetryBackoff,
} from '@schemawire/kafka-common';
import { fromHeaderEntries, toHeaderMap } from './headers.js';
import { isRetriablePlatformaticError } from './kafka-error.js';

type RawConsumer = Consumer<Buffer, Buffer, Buffer, Buffer>;
type RawStream = MessagesStream<Buffer, Buffer, Buffer, Buffer>;

/** A consumed message with its raw parts as the shared logic reads them (offset as a string). */
export type ConsumedMessage = SharedConsumedMessage<RawMessage>;

/** Where dead letters go: a topic, written through a @platformatic/kafka producer the application owns. */
export type DeadLetterTarget = SharedTarget<Producer<Buffer, Buffer, Buffer, Buffer>>;

/** What a consumer does with a message it cannot decode: `fail`, `skip` or `{ deadLetter }`. */
export type ErrorPolicy = SharedPolicy<Producer<Buffer, Buffer, Buffer, Buffer>>;

/**
 * What the handler gets: the client's message (raw bytes) and its decoded value and key, typed by the
 * value deserializer's schema handles `H`.
 */
export interface SchemaMessagePayload<H extends AnySchemaHandle = never> {
  readonly topic: string;
  readonly partition: number;
  readonly message: Message<Buffer, Buffer, Buffer, Buffer>;
  readonly decoded: Decoded<H>;
}

/** Handles one decoded message; the message counts as handled once it resolves. */
export type SchemaMessageHandler<H extends AnySchemaHandle = never> = (
  payload: SchemaMessagePayload<H>,
) => Promise<void> | void;

/**
 * @platformatic/kafka's `consume` options with a handler of decoded messages. The consumer reads raw
 * bytes and commits itself, so the options that would change either are not taken.
 */
export type SchemaConsumeOptions<H extends AnySchemaHandle = never> = Omit<
  ConsumeOptions<Buffer, Buffer, Buffer, Buffer>,
  | 'autocommit'
  | 'deserializers'
  | 'beforeDeserialization'
  | 'registry'
  | 'onDeserializationError'
  | 'onCorruptedMessage'
> & {
  readonly eachMessage: SchemaMessageHandler<H>;
};

/** Options of a {@link SchemaConsumer}. */
export interface SchemaConsumerOptions<H extends AnySchemaHandle = never>
  extends SchemaConsumerBaseOptions<Producer<Buffer, Buffer, Buffer, Buffer>, RawMessage, H> {
  /** Called when the handler throws: consuming stops there, and the message is read again on restart. */
  readonly onCrash?: (error: unknown) => void;
  /** Handled offsets are committed at least this often; default 1000 ms. */
  readonly commitIntervalMs?: number;
  /**
   * At most this many handled messages are left uncommitted (the ones a commit carries while it is
   * under way, and the ones handled since), and so read again after a crash; default 10,000. A commit
   * starts after half as many, and reading waits for it once the next half is handled: a commit takes
   * a round trip to the group coordinator, so a lower bound reads slower (1,000 caps a consumer at
   * about 500 messages a round trip).
   */
  readonly commitThreshold?: number;
  /** Where failures, skips, dead letters and retries are logged; default `console`. */
  readonly logger?: ConsumerLogger;
}

// A stream the client ended with an error it may recover from (a broker killed, a group coordinator
// that moved or is loading) is opened again, at the committed offsets, after waits doubling from
// 300 ms to 10 s, up to 12 times in a row (about 80 s) before the consumer crashes; a handled message
// starts the count again.
const REOPEN_BACKOFF = new RetryBackoff({ initialMs: 300, maxMs: 10_000 });
const REOPEN_ATTEMPTS = 12;

const RAW = (data?: Buffer): Buffer | undefined => data;
const RAW_DESERIALIZERS = { key: RAW, value: RAW, headerKey: RAW, headerValue: RAW };

/**
 * A @platformatic/kafka consumer that hands its handler decoded messages and applies an error policy
 * to the messages it cannot decode. It reads the client's message stream one message at a time and
 * commits, itself, only the offsets of messages it handled (or skipped, or dead-lettered): a message
 * that stops its partition is never committed past, and is read again after a restart or rebalance.
 */
export class SchemaConsumer<H extends AnySchemaHandle = never> {
  /** The @platformatic/kafka consumer. */
  readonly consumer: RawConsumer;
  readonly #decoding: MessageDecoding<Producer<Buffer, Buffer, Buffer, Buffer>, RawMessage>;
  readonly #onCrash: ((error: unknown) => void) | undefined;
  readonly #commitIntervalMs: number;
  readonly #commitThreshold: number;
  // Partitions stopped by policy `fail`: their later messages are left unhandled and uncommitted.
  readonly #stopped = new Set<string>();
  // The last handled message of each partition since the last commit; committing it commits its offset + 1.
  readonly #toCommit = new Map<string, Message<Buffer, Buffer, Buffer, Buffer>>();
  #handledSinceCommit = 0;
  // The commit under way, if any, and the first failure of a commit, until the read loop takes it.
  #committing: Promise<void> | undefined;
  #commitFailure: { readonly error: unknown } | undefined;
  // The messages whose offsets the commit under way carries.
  #inFlight: readonly Message<Buffer, Buffer, Buffer, Buffer>[] = [];
  // Counts the streams opened: a commit of a stream given up on neither puts its offsets back nor fails
  // the stream after it.
  #opened = 0;
  // The partitions the group gives this consumer (null: every one), made again when the client's
  // assignments change: the client replaces its array at each rebalance.
  #owned: ReadonlySet<string> | null = null;
  #ownedUnder: RawConsumer['assignments'] | undefined;
  // The partitions the group gave this consumer at its last join (keyed as the client's stream keys
  // its fetch positions).
  #joinedWith = new Set<string>();
  // The offset of the last message of each partition handled (or skipped, or dead-lettered) since
  // consume(): the client reads a partition again from its committed offset whenever the group
  // rebalances, even one this consumer kept, and what it had fetched past that comes again.
  readonly #handledUpTo = new Map<string, bigint>();
  // Messages handled since the stream was last opened.
  #handledSinceOpen = 0;
  #stream: RawStream | undefined;
  #loop: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #abort = new AbortController();

  constructor(consumer: RawConsumer, options: SchemaConsumerOptions<H>) {
    this.consumer = consumer;
    this.#decoding = new MessageDecoding({
      value: options.value,
      key: options.key,
      policy: checkErrorPolicy(
        options.onError ?? 'fail',
        (producer): producer is Producer<Buffer, Buffer, Buffer, Buffer> => producer instanceof Producer,
        'a @platformatic/kafka producer',
      ),
      onFailure: options.onFailure,
      onSkip: options.onSkip,
      retry: options.retry,
      logger: options.logger ?? console,
      sendDeadLetter: (target, message) => {
        const out: Parameters<Producer['send']>[0]['messages'][number] = { topic: target.topic };
        if (message.key !== null) out.key = message.key;
        if (message.value !== null) out.value = message.value;
        out.headers = toHeaderMap(message.headers)!;
        return target.producer.send({ messages: [out] });
      },
    });
    this.#onCrash = options.onCrash;
    this.#commitIntervalMs = options.commitIntervalMs ?? 1000;
    this.#commitThreshold = options.commitThreshold ?? 10_000;
  }

  /**
   * Starts consuming: resolves once the client's stream is open; messages are then handed to
   * `eachMessage` one at a time, in order, until {@link close}.
   */
  async consume(options: SchemaConsumeOptions<H>): Promise<void> {
    if (this.#loop !== undefined) {
      throw new SchemaWireError(ErrorCode.Config, 'cannot consume: the consumer is consuming already');
    }
    const { eachMessage, ...consumeOptions } = options;
    this.#decoding.start();
    this.#abort = new AbortController();
    this.#handledUpTo.clear();
    const open = async () => {
      const stream = await this.consumer.consume({
        ...consumeOptions,
        autocommit: false,
        deserializers: RAW_DESERIALIZERS,
      });
      // The client joins its group in consume() only when it starts following a topic, and a join that
      // failed (its coordinator's broker down) leaves it out of the group while it still follows the
      // topic: no heartbeats, commits queued until a join that never comes, and a stream reading
      // partitions the group gave to others. Such a client joins again here.
      if (!this.consumer.isActive()) {
        try {
          await this.consumer.joinGroup();
        } catch (error) {
          stream.destroy();
          throw error;
        }
      }
      return stream;
    };
    // The client emits 'error' when joining its group again failed (a coordinator that moved or is
    // loading), and then stays out of the group; unheard, that would end the process. The stream fails
    // with that error, and the one opened after it joins the group again.
    this.consumer.on('error', this.#clientError);
    if (consumeOptions.mode === 'committed') {
      this.#joinedWith = new Set();
      this.consumer.on('consumer:group:join', this.#joined);
    }
    this.#stream = await open();
    // A failed commit of the timer's is not the read loop's to fail on: the offsets go with the next.
    // A commit asked for while the client rejoined its group waits for a flush that only a later
    // commit request starts: the timer asks again for the one under way.
    this.#timer = setInterval(() => {
      if (this.#committing === undefined) void this.#startCommit(false);
      else for (const message of this.#inFlight) void Promise.resolve(message.commit()).catch(() => {});
    }, this.#commitIntervalMs);
    this.#timer.unref();
    this.#loop = this.#run(open, eachMessage);
  }

  /**
   * Stops consuming: waits for the handler of the message in hand, if any, then commits what was
   * handled, that message included, and closes the client's stream (the consumer stays). A handler
   * that rejects once stopping began leaves its message unhandled: it is not committed, and it is not
   * a crash.
   */
  async stop(): Promise<void> {
    this.#decoding.stop();
    // Ends the loop's waits: for messages, for a commit, for a backoff.
    this.#abort.abort();
    clearInterval(this.#timer);
    this.consumer.off('error', this.#clientError);
    this.consumer.off('consumer:group:join', this.#joined);
    try {
      await this.#loop;
      this.#loop = undefined;
      await this.#commit();
    } finally {
      // The client flushes the commits it still has queued as it closes the stream.
      const stream = this.#stream;
      this.#stream = undefined;
      if (stream !== undefined && !stream.closed) await stream.close();
    }
  }

  /** Stops consuming, then closes the client's consumer. */
  async close(): Promise<void> {
    await this.stop();
    await this.consumer.close();
  }

  /** Counts of decoded, skipped, dead-lettered and failed messages since the consumer was made. */
  stats(): ConsumerStats {
    return this.#decoding.stats();
  }

  /**
   * Reads the stream until the consumer stops; a stream that fails with an error the client may
   * recover from is opened again after a backoff, and anything else (the handler's errors) stops
   * consuming and goes to `onCrash`.
   */
  async #run(open: () => Promise<RawStream>, handler: SchemaMessageHandler<H>): Promise<void> {
    let failures = 0;
    for (let stream = this.#stream; stream !== undefined; ) {
      this.#handledSinceOpen = 0;
      let error: unknown;
      try {
        await this.#read(stream, handler);
        return;
      } catch (failure) {
        error = failure;
      }
      if (this.#handledSinceOpen > 0) failures = 0;
      const failed = stream;
      stream = undefined;
      while (stream === undefined) {
        if (this.#decoding.stopped) return;
        if (!isRetriablePlatformaticError(error) || ++failures > REOPEN_ATTEMPTS) {
          this.#crash(error);
          return;
        }
        const delayMs = REOPEN_BACKOFF.delayMs(failures);
        this.#decoding.logger.warn('cannot read messages: the stream is opened again after a backoff', {
          error: error instanceof Error ? error.message : String(error),
          attempt: failures,
          delayMs,
        });
        // The failed stream's commits go nowhere: what it handled since the last commit is read again.
        // One left for a failed commit is still fetching: it goes, with the commits it still holds.
        if (!failed.destroyed) failed.destroy();
        this.#opened++;
        // Nor is its commit waited for: a destroyed stream may never settle it.
        this.#committing = undefined;
        this.#toCommit.clear();
        this.#handledSinceCommit = 0;
        this.#commitFailure = undefined;
        try {
          await sleep(delayMs, undefined, { signal: this.#abort.signal });
          stream = await open();
        } catch (reopenError) {
          error = reopenError;
        }
      }
      if (this.#decoding.stopped) {
        await stream.close();
        return;
      }
      this.#stream = stream;
    }
  }

  readonly #clientError = (error: unknown): void => {
    this.#decoding.logger.warn('cannot rejoin the group yet', {
      error: error instanceof Error ? error.message : String(error),
    });
    const stream = this.#stream;
    if (stream !== undefined && !stream.destroyed) stream.destroy(error as Error);
  };

  /**
   * On each join of the group, forgets where the stream would fetch each partition it did not keep:
   * the client goes on from its own fetch position when the group has no committed offset for a
   * partition, and a position kept from a partition this consumer once had and gave up (its fetched
   * messages then dropped as no longer owned) would skip what lies between. A partition forgotten
   * starts from its committed offset, or, with none, where `fallbackMode` says.
   */
  readonly #joined = (): void => {
    const assigned = new Set(
      (this.consumer.assignments ?? []).flatMap(({ topic, partitions }) =>
        // The stream's key of a partition's fetch position.
        partitions.map((partition) => `${topic}:${partition}`),
      ),
    );
    const positions = this.#stream?.offsetsToFetch;
    for (const id of positions?.keys() ?? []) {
      if (!(assigned.has(id) && this.#joinedWith.has(id))) positions!.delete(id);
    }
    this.#joinedWith = assigned;
  };

  #crash(error: unknown): void {
    this.#decoding.stop();
    this.#decoding.logger.error('cannot handle message: consuming stopped', {
      error: error instanceof Error ? error.message : String(error),
    });
    this.#onCrash?.(error);
  }

  /**
   * Reads what the stream holds one message after another without a promise, and waits only when it
   * is empty, a schema is fetched, a policy acts or the handler returns a promise: a promise per
   * message (the stream's async iterator, awaiting a handler that returned nothing) costs more than
   * decoding a small one. The stream's errors, the handler's and a failed commit's go to #run.
   */
  async #read(stream: RawStream, handler: SchemaMessageHandler<H>): Promise<void> {
    // A commit starts every half threshold, and waits for the one before it: what it carries and what
    // is handled meanwhile stay within the threshold.
    const commitEvery = Math.max(1, Math.ceil(this.#commitThreshold / 2));
    let lastTopic: string | undefined;
    let lastPartition = -1;
    let id = '';
    const waiter = new StreamWaiter(stream, this.#abort.signal);
    try {
      for (;;) {
        this.#throwCommitFailure();
        const message = stream.read() as Message<Buffer, Buffer, Buffer, Buffer> | null;
        if (message === null) {
          if (this.#decoding.stopped || !(await waiter.next())) return;
          continue;
        }
        if (this.#decoding.stopped) return;
        const { topic, partition } = message;
        if (topic !== lastTopic || partition !== lastPartition) {
          id = partitionKey(topic, partition);
          lastTopic = topic;
          lastPartition = partition;
        }
        if ((this.#stopped.size > 0 && this.#stopped.has(id)) || !this.#owns(id)) continue;
        // Handled already by this consumer: committed, or to be committed, with the messages after it.
        const upTo = this.#handledUpTo.get(id);
        if (upTo !== undefined && message.offset <= upTo) continue;
        const raw = new RawView(message);
        // A cached schema decodes without a promise; only a fetch or a failure goes the slow way.
        let decoded: AnyDecoded | typeof HANDLED | typeof STOPPED;
        try {
          const pending = this.#decoding.decode(raw);
          decoded =
            pending instanceof Promise
              ? await this.#settle({ topic, partition, message: raw }, id, pending)
              : pending;
        } catch (error) {
          decoded = await this.#settle({ topic, partition, message: raw }, id, Promise.reject(error));
        }
        if (decoded === STOPPED) {
          if (this.#decoding.stopped) return;
          continue;
        }
        if (decoded !== HANDLED) {
          // Stopped while its schema was fetched: the message is not handed on.
          if (this.#decoding.stopped) return;
          this.#decoding.decoded(topic, partition);
          // The deserializer names a handle only for a payload written with its schema: the cast holds.
          const handling = handler({ topic, partition, message, decoded: decoded as Decoded<H> });
          if (handling !== undefined) await handling;
        }
        this.#toCommit.set(id, message);
        this.#handledUpTo.set(id, message.offset);
        this.#handledSinceOpen++;
        // stop() commits it, with what was handled before it.
        if (this.#decoding.stopped) return;
        if (++this.#handledSinceCommit >= commitEvery) {
          // A commit can wait for the group while the stream fails: the stream's end ends the wait.
          if (this.#committing !== undefined && !(await waiter.next(this.#committing))) return;
          this.#throwCommitFailure();
          void this.#startCommit();
        }
      }
    } finally {
      waiter.close();
    }
  }

  /**
   * The decoded message once `first` settles; HANDLED when the policy took care of it (skipped,
   * dead-lettered), STOPPED when its partition stops at it (`fail`) or the consumer was stopped. A retriable failure is tried
   * again in place after its backoff: the client heartbeats on its own timer, so a long registry
   * outage does not cost the consumer its place in the group, and the stream, not read meanwhile,
   * stops fetching once its buffer is full.
   */
  async #settle(
    consumed: ConsumedMessage,
    id: string,
    first: Promise<AnyDecoded>,
  ): Promise<AnyDecoded | typeof HANDLED | typeof STOPPED> {
    for (let attempt = first; ; ) {
      try {
        return await attempt;
      } catch (error) {
        if (this.#decoding.stopped) return STOPPED;
        const failure = decodeError(error, consumed);
        if (errorAction(failure, this.#decoding.policy) !== 'retry') {
          const done = await this.#decoding.undecodable(failure, consumed, () => this.#stop(id));
          return done ? HANDLED : STOPPED;
        }
        try {
          await sleep(this.#decoding.retryDelayMs(failure, consumed), undefined, {
            signal: this.#abort.signal,
          });
        } catch {
          return STOPPED;
        }
        try {
          const next = this.#decoding.decode(consumed.message);
          attempt = next instanceof Promise ? next : Promise.resolve(next);
        } catch (again) {
          attempt = Promise.reject(again);
        }
      }
    }
  }

  /**
   * Whether the group still gives this consumer the partition `id`: the client's stream goes on
   * delivering what it fetched before a rebalance, and what is handled of a partition after it went to
   * another member is never committed, so that member reads it again.
   */
  #owns(id: string): boolean {
    const assignments = this.consumer.assignments;
    if (assignments !== this.#ownedUnder) {
      this.#ownedUnder = assignments;
      this.#owned =
        assignments === null
          ? null
          : new Set(
              assignments.flatMap(({ topic, partitions }) =>
                partitions.map((partition) => partitionKey(topic, partition)),
              ),
            );
    }
    return this.#owned === null || this.#owned.has(id);
  }

  #stop(id: string): () => void {
    this.#stopped.add(id);
    return () => this.#stopped.delete(id);
  }

  /**
   * Starts committing the offsets handled since the last commit, and resolves once it settled (it never
   * rejects). The client's message.commit() commits offset + 1 through its single-flight,
   * never-backwards commit machinery, so a commit started while another is under way cannot land out
   * of order. A failed commit puts its offsets back for the next one, unless a later message of the
   * partition was handled meanwhile; unless `failsRead` is false, it is kept for the read loop,
   * which opens the stream again: what was handled since the last commit that landed is read again.
   */
  #startCommit(failsRead = true): Promise<void> | undefined {
    if (this.#toCommit.size === 0) return undefined;
    // A partition that went to another member is that member's to commit: an offset committed for it
    // from here could be behind its own.
    const messages = [...this.#toCommit.entries()].filter(([id]) => this.#owns(id));
    this.#toCommit.clear();
    this.#handledSinceCommit = 0;
    const opened = this.#opened;
    const commit: Promise<void> = Promise.all(messages.map(([, message]) => message.commit())).then(
      () => {
        if (this.#committing === commit) this.#committing = undefined;
      },
      (error: unknown) => {
        if (this.#committing === commit) this.#committing = undefined;
        if (opened !== this.#opened) return;
        for (const [id, message] of messages) if (!this.#toCommit.has(id)) this.#toCommit.set(id, message);
        if (failsRead) this.#commitFailure ??= { error };
      },
    );
    this.#committing = commit;
    this.#inFlight = messages.map(([, message]) => message);
    return commit;
  }

  /**
   * Commits what was handled since the last commit started, and rejects if that failed. The commit
   * under way is not waited for: one that waits for the group may never settle, and the client
   * commits of a partition never go backwards.
   */
  async #commit(): Promise<void> {
    this.#commitFailure = undefined;
    await this.#startCommit();
    this.#throwCommitFailure();
  }

  #throwCommitFailure(): void {
    const failure = this.#commitFailure;
    if (failure === undefined) return;
    this.#commitFailure = undefined;
    throw failure.error;
  }
}

/**
 * Waits for `stream` to have messages, or for `done` to settle when given: `next()` resolves true
 * once it has (or `done` settled), false once it ended or closed or `signal` aborted, and rejects
 * with its error. Its listeners stay for the whole read, as the stream's own async iterator keeps
 * them: without a `readable` listener the client's stream takes itself to be unread and stops fetching.
 */
class StreamWaiter {
  readonly #stream: RawStream;
  readonly #signal: AbortSignal;
  #wake: (() => void) | undefined;
  readonly #onEvent = () => {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  };

  constructor(stream: RawStream, signal: AbortSignal) {
    this.#stream = stream;
    this.#signal = signal;
    signal.addEventListener('abort', this.#onEvent);
    stream.on('readable', this.#onEvent);
    stream.on('end', this.#onEvent);
    stream.on('close', this.#onEvent);
    // Also what keeps the stream's error from ending the process between waits.
    stream.on('error', this.#onEvent);
  }

  async next(done?: Promise<void>): Promise<boolean> {
    let settled = false;
    const settle = () => {
      settled = true;
      this.#onEvent();
    };
    done?.then(settle, settle);
    for (;;) {
      const stream = this.#stream;
      if (stream.errored !== null) throw stream.errored;
      if (stream.readableEnded || stream.destroyed || this.#signal.aborted) return false;
      if (done === undefined ? stream.readableLength > 0 : settled) return true;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  close(): void {
    const stream = this.#stream;
    stream.off('readable', this.#onEvent);
    stream.off('end', this.#onEvent);
    stream.off('close', this.#onEvent);
    this.#signal.removeEventListener('abort', this.#onEvent);
    // The error listener stays: stop() still commits through the stream, and closes it.
    this.#onEvent();
  }
}

const HANDLED = Symbol('handled');
const STOPPED = Symbol('stopped');

/**
 * A consumed message's raw parts as the shared logic reads them, read from the client's message when
 * asked: most messages decode from the value alone, so the offset's text and the headers' record are
 * made only for those that need them (a failure, a header carrier).
 */
class RawView implements RawMessage {
  readonly #message: Message<Buffer, Buffer, Buffer, Buffer>;
  #headers: RawHeaders | undefined | null = null;

  constructor(message: Message<Buffer, Buffer, Buffer, Buffer>) {
    this.#message = message;
  }

  // The deserializer reads a topic's local schema for values without schema id, and names the topic
  // and partition in its errors.
  get topic(): string {
    return this.#message.topic;
  }

  get partition(): number {
    return this.#message.partition;
  }

  get key(): Buffer | null {
    return this.#message.key ?? null;
  }

  get value(): Buffer | null {
    return this.#message.value ?? null;
  }

  get headers(): RawHeaders | undefined {
    if (this.#headers === null) this.#headers = fromHeaderEntries(this.#message.headerEntries);
    return this.#headers;
  }

  get offset(): string {
    return String(this.#message.offset);
  }
}
