import type {
  AnySchemaHandle,
  Deserializer,
  InputOf,
  PayloadSerializer,
  SchemaIdCarrier,
  TypedValue,
} from '@schemawire/core-client';
// The topic definitions of both adapters are one type, kafka-common's.
import type { TopicDefinition } from '@schemawire/kafkajs';

/** A message the walkthrough read back, its value decoded. */
export interface Received {
  readonly topic: string;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: unknown;
  /** Undefined for a value that carried no schema id (read by the fallback). */
  readonly schemaId: number | undefined;
  readonly schemaType: string | undefined;
  readonly carrier: SchemaIdCarrier | undefined;
}

/** A message read back, from where it was and what its value decoded to. */
export function received(
  topic: string,
  offset: string,
  key: Buffer | null,
  decoded: Pick<Received, 'value' | 'schemaId' | 'schemaType' | 'carrier'>,
): Received {
  const { value, schemaId, schemaType, carrier } = decoded;
  return { topic, offset, key, value, schemaId, schemaType, carrier };
}

/** What the walkthrough needs of a Kafka client: topics, sending with a serializer, reading back. */
export interface WalkthroughClient {
  /** Creates the topics, one partition each. */
  createTopics(topics: readonly string[]): Promise<void>;
  /** Sends one message through the client's SchemaProducer; a key is sent as UTF-8 text. */
  send(topic: string, serializer: PayloadSerializer, value: unknown, key?: string): Promise<void>;
  /**
   * Reads `count` messages of `topics` from their start, each value decoded by the deserializer
   * `deserializerOf` gives for its topic; fails after `timeoutMs`.
   */
  readAll(
    topics: readonly string[],
    count: number,
    deserializerOf: (topic: string) => Deserializer,
    timeoutMs: number,
  ): Promise<Received[]>;
  /**
   * Sends one value to a defined topic through the client's SchemaProducer; the value is of the
   * topic's input type, so a wrong field fails to compile.
   */
  sendTyped<H extends AnySchemaHandle>(
    topic: TopicDefinition<H, undefined>,
    serializer: PayloadSerializer<InputOf<H>>,
    value: InputOf<H>,
  ): Promise<void>;
  /**
   * Reads `count` messages of a defined topic from its start through the client's SchemaConsumer,
   * each value typed by the deserializer's handle it was written with; fails after `timeoutMs`.
   */
  readTyped<H extends AnySchemaHandle>(
    topic: TopicDefinition<H, undefined>,
    count: number,
    deserializer: Deserializer<H>,
    timeoutMs: number,
  ): Promise<TypedValue<H>[]>;
}

/** Resolves once `count` messages were pushed, or fails after `timeoutMs` saying how many came. */
export class Arrivals<T = Received> {
  readonly received: T[] = [];
  readonly #count: number;
  readonly #all: Promise<void>;
  #done: () => void = () => {};

  constructor(count: number) {
    this.#count = count;
    this.#all = new Promise<void>((resolve) => {
      this.#done = resolve;
    });
  }

  push(received: T): void {
    this.received.push(received);
    if (this.received.length === this.#count) this.#done();
  }

  /** Waits for every message; rejects after `timeoutMs`. */
  async wait(timeoutMs: number): Promise<T[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `cannot read the walkthrough back: ${this.received.length} of ${this.#count} messages arrived within ${timeoutMs / 1000} s`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.#all, timeout]);
      return this.received;
    } finally {
      clearTimeout(timer);
    }
  }
}
