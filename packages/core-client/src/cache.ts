/** No key: a symbol no caller can hold, so it equals no key. */
const NONE: unique symbol = Symbol('none');

/**
 * A bounded map that forgets its least recently used entry when full. Used for every cache whose
 * entries can grow without limit (schemas by id, codecs, subjects).
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #max: number;
  /** The key last set or read, which is last in the recency order; {@link NONE} when unknown. */
  #newest: unknown = NONE;
  /** The value of {@link #newest}. */
  #newestValue: V | undefined;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`cache size must be a positive integer, got ${max}`);
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    // A hot path meets the same topic or schema message after message: the newest entry is already
    // last in the recency order, and its value is at hand without a lookup.
    if (key === this.#newest) return this.#newestValue;
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Re-insert so the Map's insertion order is the recency order: the oldest entry comes first.
      this.#entries.delete(key);
      this.#entries.set(key, value);
      this.#newest = key;
      this.#newestValue = value;
    }
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#newest = key;
    this.#newestValue = value;
    if (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
    if (key === this.#newest) this.#forgetNewest();
  }

  clear(): void {
    this.#entries.clear();
    this.#forgetNewest();
  }

  #forgetNewest(): void {
    this.#newest = NONE;
    this.#newestValue = undefined;
  }
}

/**
 * Shares one in-flight call among concurrent callers asking for the same key, so a cold start of many
 * messages with one unknown schema makes one registry request, not one per message.
 */
export class SingleFlight<K, V> {
  readonly #inFlight = new Map<K, Promise<V>>();

  run(key: K, call: () => Promise<V>): Promise<V> {
    const pending = this.#inFlight.get(key);
    if (pending !== undefined) return pending;
    const started = call().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, started);
    return started;
  }
}
