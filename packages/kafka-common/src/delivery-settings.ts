import type { PayloadSerializer } from '@schemawire/core-client';
import { describeValue, ErrorCode, SchemaWireError } from '@schemawire/core-client';
import type { DeliveryRetry } from './delivery.js';
import type { RetryBackoffOptions } from './retry-backoff.js';
import { RetryBackoff } from './retry-backoff.js';

/** The options every adapter's producer takes: its serializers and how it delivers. */
export interface SchemaProducerBaseOptions {
  /** Writes message values, with its subject name strategy and schema id carrier. */
  readonly value: PayloadSerializer;
  /** Writes message keys (a serializer made with `isKey`); without it keys are sent as given. */
  readonly key?: PayloadSerializer;
  /**
   * Which acknowledgement a message needs to count as sent: -1 (default) every in-sync replica, as
   * Kafka's `acks=all`; 1 the partition leader alone; 0 none, so nothing is verified.
   */
  readonly acks?: -1 | 0 | 1;
  /**
   * How long a send keeps sending again the messages of partitions that failed with a retriable error
   * (a broker down, a leader moving); default 120 000 ms, as Kafka's `delivery.timeout.ms`.
   */
  readonly deliveryTimeoutMs?: number;
  /** The waits between those re-sends; default from 300 ms, doubling up to 5 s. */
  readonly retry?: RetryBackoffOptions;
  /** Called for each partition's messages about to be sent again, to make the retries visible. */
  readonly onRetry?: (retry: DeliveryRetry) => void;
}

/** How a producer delivers, checked. */
export interface DeliverySettings {
  readonly acks: -1 | 0 | 1;
  readonly idempotent: boolean;
  readonly deliveryTimeoutMs: number;
  readonly backoff: RetryBackoff;
}

const DEFAULT_DELIVERY_TIMEOUT_MS = 120_000;
const DEFAULT_RETRY: RetryBackoffOptions = { initialMs: 300, maxMs: 5_000 };

/**
 * The delivery settings of a producer's options, with their defaults; `idempotent` is the client's own
 * setting, true by default with acks -1. SCHEMAWIRE_CONFIG says what is wrong with them.
 */
export function deliverySettings(
  options: SchemaProducerBaseOptions,
  idempotentSetting: boolean | undefined,
): DeliverySettings {
  const acks = options.acks ?? -1;
  if (acks !== -1 && acks !== 0 && acks !== 1) {
    throw configError(`acks must be -1, 0 or 1, not ${describeValue(options.acks)}`);
  }
  const idempotent = idempotentSetting ?? acks === -1;
  if (idempotent && acks !== -1) throw configError(`an idempotent producer needs acks -1, not ${acks}`);
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  if (!Number.isFinite(deliveryTimeoutMs) || deliveryTimeoutMs < 0) {
    throw configError(
      `deliveryTimeoutMs must be a number of milliseconds, not ${describeValue(options.deliveryTimeoutMs)}`,
    );
  }
  return { acks, idempotent, deliveryTimeoutMs, backoff: new RetryBackoff(options.retry ?? DEFAULT_RETRY) };
}

function configError(detail: string): SchemaWireError {
  return new SchemaWireError(ErrorCode.Config, `cannot make producer: ${detail}`);
}
