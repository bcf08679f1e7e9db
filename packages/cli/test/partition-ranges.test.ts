import { describe, expect, it } from '@jest/globals';
// Internal to the CLI, so read from the built package, as the other tests read it.
import { PartitionEnds, parseStartOffset } from '../dist/partition-ranges.js';

describe('cli > partition ranges > --offset', () => {
  it.each([
    ['beginning', { kind: 'beginning' }],
    ['end', { kind: 'end' }],
    ['0', { kind: 'offset', offset: 0n, fromEnd: false }],
    ['9223372036854775807', { kind: 'offset', offset: 9223372036854775807n, fromEnd: false }],
    ['-5', { kind: 'offset', offset: 5n, fromEnd: true }],
    ['@1767225600000', { kind: 'time', ms: 1767225600000 }],
    ['@2026-01-01T00:00:00Z', { kind: 'time', ms: Date.UTC(2026, 0, 1) }],
  ])('reads %s', (text, start) => {
    expect(parseStartOffset(text)).toEqual(start);
  });

  it.each(['', 'latest', '1.5', '@', '@yesterday', '@-1', '--3'])('refuses %j, naming the forms', (text) => {
    expect(() => parseStartOffset(text)).toThrow(
      `--offset must be beginning, end, an offset N, -N (from the end) or @TIME (Unix ms or ISO time), got ${JSON.stringify(text)}`,
    );
  });
});

describe('cli > partition ranges > ends', () => {
  const ranges = [
    { topic: 't', partition: 0, start: '0', end: '2' },
    { topic: 't', partition: 1, start: '5', end: '5' },
  ];

  it('is done once every partition with something to read has handled its last offset', () => {
    const ends = new PartitionEnds(ranges);
    expect(ends.done).toBe(false);
    expect(ends.reached({ topic: 't', partition: 0, offset: '0' })).toBe(false);
    expect(ends.reached({ topic: 't', partition: 1, offset: '7' })).toBe(false);
    expect(ends.reached({ topic: 't', partition: 0, offset: '1' })).toBe(true);
  });

  it('is done at once when no partition has anything to read', () => {
    expect(new PartitionEnds([ranges[1]!]).done).toBe(true);
  });
});
