import { describeValue, ErrorCode, isSchemaWireError, SchemaWireError } from '@schemawire/core-client';

/** Where dead letters go: a topic, written through a producer `P` of the client the application owns. */
export interface DeadLetterTarget<P = unknown> {
  readonly topic: string;
  readonly producer: P;
}

/**
 * What a consumer does with a message it cannot decode:
 * - `fail`: stop at it; nothing of its partition from it on is handled or committed;
 * - `skip`: count and report it, then go on;
 * - `deadLetter`: send it as it came to a dead-letter topic with error headers, then go on.
 * A retriable error (registry unreachable) is retried under every policy.
 */
export type ErrorPolicy<P = unknown> = 'fail' | 'skip' | { readonly deadLetter: DeadLetterTarget<P> };

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

/**
 * Checks a policy from untyped configuration; SCHEMAWIRE_CONFIG says what is wrong with it.
 * `isProducer` tells a producer of the adapter's client, named `producerName` in the error.
 */
export function checkErrorPolicy<P>(
  policy: unknown,
  isProducer: (producer: unknown) => producer is P,
  producerName: string,
): ErrorPolicy<P> {
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
    if (!isProducer(producer)) throw policyError(`deadLetter.producer must be ${producerName}`);
    return policy as ErrorPolicy<P>;
  }
  throw policyError(`${describeValue(policy)} is not "fail", "skip" or { deadLetter }`);
}

/** Whether `producer` is an object with a `send` method, as both clients' producers are. */
export function hasSend(producer: unknown): producer is { send: (...args: never[]) => unknown } {
  return (
    typeof producer === 'object' &&
    producer !== null &&
    typeof (producer as { send?: unknown }).send === 'function'
  );
}

function policyError(detail: string): SchemaWireError {
  return new SchemaWireError(ErrorCode.Config, `cannot use error policy: ${detail}`);
}
