import { describe, expect, it } from '@jest/globals';
// Internal to the CLI, so read from the built package, as the other tests read it.
import { Redelivery } from '../dist/redelivery.js';

describe('cli > redelivery', () => {
  it('takes a message delivered again after a rebalance for one seen, so --max-messages counts it once', () => {
    const redelivery = new Redelivery();
    // Offsets 0-2 printed, then the group rejoined and read again from the commit at 1.
    const delivered = ['0', '1', '2', '1', '2', '3'].map((offset) => redelivery.seen('t', 0, offset));
    expect(delivered).toEqual([false, false, false, true, true, false]);
  });

  it('keeps partitions and topics apart', () => {
    const redelivery = new Redelivery();
    expect(redelivery.seen('t', 0, '5')).toBe(false);
    expect(redelivery.seen('t', 1, '5')).toBe(false);
    expect(redelivery.seen('u', 0, '5')).toBe(false);
    expect(redelivery.seen('t', 0, '5')).toBe(true);
  });

  it('compares offsets as 64-bit numbers, not as text', () => {
    const redelivery = new Redelivery();
    expect(redelivery.seen('t', 0, '9')).toBe(false);
    expect(redelivery.seen('t', 0, '10')).toBe(false);
    expect(redelivery.seen('t', 0, '9007199254740993')).toBe(false);
    expect(redelivery.seen('t', 0, '9007199254740992')).toBe(true);
  });
});
