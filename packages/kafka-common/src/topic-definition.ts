import type { AnySchemaHandle, InputOf } from '@schemawire/core-client';

/**
 * A Kafka topic with the schema handles of its values (and keys): a send to it writes those schemas
 * and takes their input types, so a wrong field fails to compile. Make one with {@link defineTopic}.
 */
export interface TopicDefinition<
  Value extends AnySchemaHandle = AnySchemaHandle,
  Key extends AnySchemaHandle | undefined = AnySchemaHandle | undefined,
> {
  /** The topic's name in Kafka. */
  readonly name: string;
  readonly value: Value;
  /** The handle of the keys; undefined when the producer's key serializer (or none) decides. */
  readonly key: Key;
}

/** A {@link TopicDefinition}: `defineTopic('users', { value: User })`. */
export function defineTopic<
  Value extends AnySchemaHandle,
  Key extends AnySchemaHandle | undefined = undefined,
>(name: string, schemas: { readonly value: Value; readonly key?: Key }): TopicDefinition<Value, Key> {
  return Object.freeze({ name, value: schemas.value, key: schemas.key as Key });
}

/** A topic given by name or by definition. */
export type TopicRef = string | TopicDefinition;

/** The name of a topic given by name or by definition. */
export function topicName(topic: TopicRef): string {
  return typeof topic === 'string' ? topic : topic.name;
}

/** The value a message to `T` takes: its value handle's input type (or a tombstone), anything for a name. */
export type ValueInputOf<T extends TopicRef> =
  T extends TopicDefinition<infer Value, infer _Key> ? InputOf<Value> | null : unknown;

/** The key a message to `T` takes: its key handle's input type, anything for a name or a definition without one. */
export type KeyInputOf<T extends TopicRef> =
  T extends TopicDefinition<infer _Value, infer Key>
    ? Key extends AnySchemaHandle
      ? InputOf<Key> | null
      : unknown
    : unknown;
