import { describeValue, ErrorCode, isSchemaWireError, SchemaWireError } from '@schemawire/core-client';
import type { KafkaMessage, Producer } from 'kafkajs';

/** A message as a consumer received it, with the topic and partition it came from. */
export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
}

/** Where dead letters go: a topic, written through a producer the application connects and owns. */
export interface DeadLetterTarget {
  readonly topic: string;
  readonly producer: Producer;
}

/**
 * What a consumer does with a message it cannot decode:
 * - `fail`: stop at it; its partition is paused and nothing from it on is committed;
 * - `skip`: count and report it, then go on;
 * - `deadLetter`: send it as it came to a dead-letter topic with error headers, then go on.
 * A retriable error (registry unreachable) is retried under every policy.
 */
export type ErrorPolicy = 'fail' | 'skip' | { readonly deadLetter: DeadLetterTarget };

/** What happens to one message that could not be decoded. */
export type ErrorAction = 'retry' | 'fail' | 'skip' | 'dead-letter';

/**
 * The action for a message that failed to decode with `error`: retriable errors are retried whatever
 * the policy, as skipping or dead-lettering them would lose good messages while the registry is down.
 */
export function errorAction(error: unknown, policy: ErrorPolicy): ErrorAction {
  if (isSchemaWireError(error) && error.retriable) return 'retry';
  if (policy === 'fail' || policy === 'skip') return policy;
  return 'dead-letter';
}

/** Checks a policy from untyped configuration; SCHEMAWIRE_CONFIG says what is wrong with it. */
export function checkErrorPolicy(policy: unknown): ErrorPolicy {
  if (policy === 'fail' || policy === 'skip') return policy;
  if (typeof policy === 'object' && policy !== null && 'deadLetter' in policy) {
    const target: unknown = policy.deadLetter;
    if (typeof target !== 'object' || target === null) {
      throw policyError('deadLetter needs a topic and a producer');
    }
    const { topic, producer } = target as { topic?: unknown; producer?: unknown };
    if (typeof topic !== 'string' || topic.length === 0) {
      throw policyError(`deadLetter.topic must be a topic name, not ${describeValue(topic)}`);
    }
    if (
      typeof producer !== 'object' ||
      producer === null ||
      typeof (producer as Producer).send !== 'function'
    ) {
      throw policyError('deadLetter.producer must be a kafkajs producer');
    }
    return policy as ErrorPolicy;
  }
  throw policyError(`${describeValue(policy)} is not "fail", "skip" or { deadLetter }`);
}

function policyError(detail: string): SchemaWireError {
  return new SchemaWireError(ErrorCode.Config, `cannot use error policy: ${detail}`);
}
