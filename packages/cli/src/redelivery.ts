/**
 * The highest offset handed on per partition, to tell a message delivered again (after a rebalance,
 * or a consumer that restarted and rejoined, with the offsets committed behind it) from a new one.
 */
export class Redelivery {
  readonly #highest = new Map<string, bigint>();

  /** True when `offset` of the partition was seen before; else records it and answers false. */
  seen(topic: string, partition: number, offset: string): boolean {
    const where = `${partition}:${topic}`;
    const value = BigInt(offset);
    const highest = this.#highest.get(where);
    if (highest !== undefined && value <= highest) return true;
    this.#highest.set(where, value);
    return false;
  }
}
