/** Message headers as the shared logic reads and writes them; kafkajs's `IHeaders` has this shape. */
export type RawHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** A consumed message's raw parts, whatever the client: key, value and headers as bytes, the offset. */
export interface RawMessage {
  readonly key?: Buffer | null;
  /** Null for a tombstone. */
  readonly value: Buffer | null;
  readonly headers?: RawHeaders | undefined;
  /** The offset as a decimal string, as Kafka clients print it. */
  readonly offset: string;
  /**
   * Where the message came from, as the deserializer is told: it reads a topic's local schema for
   * values without schema id, and names them in its errors.
   */
  readonly topic?: string;
  readonly partition?: number;
}

/** A message as a consumer received it, with the topic and partition it came from. */
export interface ConsumedMessage<M extends RawMessage = RawMessage> {
  readonly topic: string;
  readonly partition: number;
  readonly message: M;
}

/** A message to produce as the shared logic makes it: serialized key and value, headers. */
export interface OutgoingMessage {
  key?: Buffer | string | null;
  value: Buffer | null;
  headers?: RawHeaders;
}
