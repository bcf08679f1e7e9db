/** How long a topic's metadata is kept, as Kafka's `metadata.max.age.ms`. */
export const METADATA_MAX_AGE_MS = 300_000;

/**
 * What a producer knows of each topic (how many partitions it has), fetched when first needed and kept
 * for `maxAgeMs`: a leader move does not change it, partitions added to a topic are seen within that
 * time. A failed fetch is not kept, so the next send asks again.
 */
export class TopicMetadataCache<T> {
  readonly #fetch: (topic: string) => Promise<T>;
  readonly #maxAgeMs: number;
  readonly #entries = new Map<string, { readonly at: number; readonly value: Promise<T> }>();

  constructor(fetch: (topic: string) => Promise<T>, maxAgeMs = METADATA_MAX_AGE_MS) {
    this.#fetch = fetch;
    this.#maxAgeMs = maxAgeMs;
  }

  /** The topic's metadata, fetched when unknown or older than the limit. */
  get(topic: string): Promise<T> {
    const known = this.#entries.get(topic);
    if (known !== undefined && Date.now() - known.at < this.#maxAgeMs) return known.value;
    const entry = { at: Date.now(), value: this.#fetch(topic) };
    entry.value.catch(() => {
      if (this.#entries.get(topic) === entry) this.#entries.delete(topic);
    });
    this.#entries.set(topic, entry);
    return entry.value;
  }
}
