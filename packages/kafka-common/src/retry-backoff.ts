import { describeValue, ErrorCode, SchemaWireError } from '@schemawire/core-client';

/** Options of a {@link RetryBackoff}. */
export interface RetryBackoffOptions {
  /** The wait before the first retry; default 300 ms. */
  readonly initialMs?: number;
  /** The longest wait; default 30000 ms. */
  readonly maxMs?: number;
}

/** Waits between retries of one message: doubling from `initialMs`, capped at `maxMs`. */
export class RetryBackoff {
  readonly initialMs: number;
  readonly maxMs: number;

  constructor(options: RetryBackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 300;
    this.maxMs = options.maxMs ?? 30_000;
    if (!Number.isFinite(this.initialMs) || this.initialMs <= 0) {
      throw new SchemaWireError(
        ErrorCode.Config,
        `cannot use retry backoff: initialMs must be a positive number of milliseconds, not ${describeValue(this.initialMs)}`,
      );
    }
    if (!Number.isFinite(this.maxMs) || this.maxMs < this.initialMs) {
      throw new SchemaWireError(
        ErrorCode.Config,
        `cannot use retry backoff: maxMs must be at least initialMs (${this.initialMs}), not ${describeValue(this.maxMs)}`,
      );
    }
  }

  /** The wait before retry number `attempt` (1 for the first). */
  delayMs(attempt: number): number {
    return Math.min(this.maxMs, this.initialMs * 2 ** Math.max(0, attempt - 1));
  }
}
