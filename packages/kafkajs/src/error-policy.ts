import type { SchemaWireError } from '@schemawire/core-client';
import type {
  ConsumedMessage as SharedConsumedMessage,
  DeadLetterTarget as SharedTarget,
} from '@schemawire/kafka-common';
import * as shared from '@schemawire/kafka-common';
import type { IHeaders, KafkaMessage, Message, Producer } from 'kafkajs';

// The policies themselves live in @schemawire/kafka-common; this file gives them kafkajs's types.

/** A message as a consumer received it, with the topic and partition it came from. */
export type ConsumedMessage = SharedConsumedMessage<KafkaMessage>;

/** Where dead letters go: a topic, written through a producer the application connects and owns. */
export type DeadLetterTarget = SharedTarget<Producer>;

/**
 * What a consumer does with a message it cannot decode:
 * - `fail`: stop at it; its partition is paused and nothing from it on is committed;
 * - `skip`: count and report it, then go on;
 * - `deadLetter`: send it as it came to a dead-letter topic with error headers, then go on.
 * A retriable error (registry unreachable) is retried under every policy.
 */
export type ErrorPolicy = shared.ErrorPolicy<Producer>;

/** What happens to one message that could not be decoded. */
export type ErrorAction = shared.ErrorAction;

/** The action for a message that failed to decode with `error`: retriable errors are always retried. */
export const errorAction: (error: unknown, policy: ErrorPolicy) => ErrorAction = shared.errorAction;

/** Checks a policy from untyped configuration; SCHEMAWIRE_CONFIG says what is wrong with it. */
export function checkErrorPolicy(policy: unknown): ErrorPolicy {
  return shared.checkErrorPolicy(
    policy,
    shared.hasSend as (p: unknown) => p is Producer,
    'a kafkajs producer',
  );
}

/** The record that takes an undecodable message, as it came, to a dead-letter topic, with error headers. */
export const deadLetterMessage: (error: SchemaWireError, consumed: ConsumedMessage) => Message =
  shared.deadLetterMessage;

/** A message's headers with the headers that carry its schema ids added; a name set by both is an error. */
export const mergeCarrierHeaders: (
  headers: IHeaders | undefined,
  carrier: Readonly<Record<string, Buffer>> | undefined,
) => IHeaders | undefined = shared.mergeCarrierHeaders;
